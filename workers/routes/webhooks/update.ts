/**
 * PATCH /v1/webhooks/{id} — change an endpoint's URL, event types or description, or
 * enable it again after automatic disabling (`enabled: true`) or pause it (`false`: its
 * queued deliveries are canceled). Scope `webhooks:write`; the plan must include webhooks.
 */
import { describeRoute } from "hono-openapi";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { json, validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { UpdateWebhookSchema, WebhookIdParams, WebhookSchema } from "./schemas";
import { assertDeliverableUrl, endpointNotFound, requireWebhooksFeature, WEBHOOK_SCOPE } from "./shared";

export function registerUpdateWebhook(app: App): void {
  app.patch(
    "/v1/webhooks/:id",
    describeRoute({
      tags: ["Webhooks"],
      summary: "Update, re-enable or pause a webhook endpoint",
      requestBody: jsonRequestBody(UpdateWebhookSchema),
      responses: {
        200: jsonResponse("The endpoint", WebhookSchema),
        ...problemResponses(401, 402, 403, 404, 415, 422),
      },
    }),
    authenticate,
    requireScope(WEBHOOK_SCOPE),
    requireWebhooksFeature,
    validate("param", WebhookIdParams),
    ...json(UpdateWebhookSchema),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      if (body.url !== undefined) await assertDeliverableUrl(c, body.url);
      const endpoint = await c.get("services").tenant(c.get("principal").tenantId).updateWebhook(id, body);
      if (!endpoint) throw endpointNotFound(id);
      return c.json(endpoint);
    },
  );
}
