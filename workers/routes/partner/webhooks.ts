/**
 * The partner's webhook endpoints (issue 21 item 4, ADR 0023), token scope `webhooks:write`:
 *
 * - POST /v1/partner/webhooks { url, events? } — an endpoint for the linked businesses'
 *   `facility.status_changed`; its `whsec_…` secret is in this response only
 * - GET /v1/partner/webhooks — the partner's endpoints
 * - DELETE /v1/partner/webhooks/:id — stops deliveries to it
 *
 * Deliveries come from each business's own notification pipeline (services/partner-webhooks.ts).
 */
import { and, desc, eq } from "drizzle-orm";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { asPlatform } from "../../../db/client";
import { newId } from "../../../db/ids";
import { partnerWebhooks } from "../../../db/schema";
import { newWebhookSecret } from "../../../notifications/webhooks";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { listOf } from "../../http/schemas";
import { json, validate } from "../../http/validation";
import { authenticatePartner, requirePartnerScope } from "../../middleware/partner-auth";
import { mirrorNewEndpoint, unmirrorEndpoint } from "../../services/partner-webhooks";
import type { App } from "../index";
import { assertDeliverableUrl } from "../webhooks/shared";
import { CreatePartnerWebhookSchema, PartnerWebhookParams, PartnerWebhookSchema } from "./schemas";

const PATH = "/v1/partner/webhooks";
const security = [{ partnerOAuth: ["webhooks:write"] }];
const view = ({ id, url, events, createdAt }: typeof partnerWebhooks.$inferSelect) => ({
  id,
  url,
  events,
  createdAt,
});

export function registerPartnerWebhooks(app: App): void {
  app.post(
    PATH,
    describeRoute({
      tags: ["Partner API"],
      summary: "Register an endpoint for linked businesses' status changes (Standard Webhooks)",
      security,
      requestBody: jsonRequestBody(CreatePartnerWebhookSchema),
      responses: {
        201: jsonResponse(
          "The endpoint; its secret is in this response only",
          v.object({ ...PartnerWebhookSchema.entries, secret: v.string() }),
        ),
        ...problemResponses(401, 403, 415, 422, 429),
      },
    }),
    authenticatePartner,
    requirePartnerScope("webhooks:write"),
    ...json(CreatePartnerWebhookSchema),
    async (c) => {
      const body = c.req.valid("json");
      await assertDeliverableUrl(c, body.url);
      const services = c.get("services");
      const [row] = await asPlatform(services.db(), (tx) =>
        tx
          .insert(partnerWebhooks)
          .values({
            id: newId("pwh"),
            partnerId: c.get("partner").partnerId,
            url: body.url,
            events: [...new Set(body.events)],
            secret: newWebhookSecret(),
          })
          .returning(),
      );
      if (!row) throw new Error("partner webhook insert returned nothing");
      await mirrorNewEndpoint(services, row);
      return c.json({ ...view(row), secret: row.secret }, 201);
    },
  );
  app.get(
    PATH,
    describeRoute({
      tags: ["Partner API"],
      summary: "The partner's webhook endpoints",
      security,
      responses: {
        200: jsonResponse("Every endpoint", listOf(PartnerWebhookSchema)),
        ...problemResponses(401, 403, 429),
      },
    }),
    authenticatePartner,
    requirePartnerScope("webhooks:write"),
    async (c) => {
      const rows = await asPlatform(c.get("services").db(), (tx) =>
        tx
          .select()
          .from(partnerWebhooks)
          .where(eq(partnerWebhooks.partnerId, c.get("partner").partnerId))
          .orderBy(desc(partnerWebhooks.id)),
      );
      return c.json({ data: rows.map(view) });
    },
  );
  app.delete(
    `${PATH}/:id`,
    describeRoute({
      tags: ["Partner API"],
      summary: "Delete an endpoint (its pending deliveries are canceled)",
      security,
      responses: { 204: { description: "Deleted" }, ...problemResponses(401, 403, 404, 422, 429) },
    }),
    authenticatePartner,
    requirePartnerScope("webhooks:write"),
    validate("param", PartnerWebhookParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const services = c.get("services");
      const deleted = await asPlatform(services.db(), (tx) =>
        tx
          .delete(partnerWebhooks)
          .where(and(eq(partnerWebhooks.id, id), eq(partnerWebhooks.partnerId, c.get("partner").partnerId)))
          .returning({ id: partnerWebhooks.id }),
      );
      if (deleted.length === 0) throw notFound(`Partner webhook ${id}`);
      await unmirrorEndpoint(services, id);
      return c.body(null, 204);
    },
  );
}
