/**
 * GET /v1/webhooks/{id}/deliveries — the endpoint's delivery log, newest first, with cursor
 * pagination; GET /v1/webhooks/{id}/deliveries/{deliveryId} — one delivery with every
 * attempt (time, response status, error, duration). Scope `webhooks:write`.
 */
import { describeRoute } from "hono-openapi";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import {
  DeliveryListQuery,
  DeliveryPageSchema,
  DeliveryParams,
  DeliverySchema,
  WebhookIdParams,
} from "./schemas";
import { endpointNotFound, WEBHOOK_SCOPE } from "./shared";

export function registerListWebhookDeliveries(app: App): void {
  app.get(
    "/v1/webhooks/:id/deliveries",
    describeRoute({
      tags: ["Webhooks"],
      summary: "An endpoint's delivery log, newest first",
      responses: {
        200: jsonResponse("A page of deliveries", DeliveryPageSchema),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticate,
    requireScope(WEBHOOK_SCOPE),
    validate("param", WebhookIdParams),
    validate("query", DeliveryListQuery),
    async (c) => {
      const { id } = c.req.valid("param");
      const tenant = c.get("services").tenant(c.get("principal").tenantId);
      if (!(await tenant.getWebhook(id))) throw endpointNotFound(id);
      return c.json(await tenant.webhookDeliveries(id, c.req.valid("query")));
    },
  );
}

export function registerGetWebhookDelivery(app: App): void {
  app.get(
    "/v1/webhooks/:id/deliveries/:deliveryId",
    describeRoute({
      tags: ["Webhooks"],
      summary: "One delivery with its attempts",
      responses: {
        200: jsonResponse("The delivery", DeliverySchema),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticate,
    requireScope(WEBHOOK_SCOPE),
    validate("param", DeliveryParams),
    async (c) => {
      const { id, deliveryId } = c.req.valid("param");
      const delivery = await c
        .get("services")
        .tenant(c.get("principal").tenantId)
        .webhookDelivery(id, deliveryId);
      if (!delivery) throw notFound(`Delivery ${deliveryId} of webhook endpoint ${id}`);
      return c.json(delivery);
    },
  );
}
