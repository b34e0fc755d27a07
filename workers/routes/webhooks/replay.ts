/**
 * POST /v1/webhooks/{id}/deliveries/{deliveryId}/replay — sends a logged delivery again now
 * (same `webhook-id`, so a receiver that processed it can tell), whatever its status. 202
 * with the delivery. Scope `webhooks:write`; the plan must include webhooks; a disabled
 * endpoint is a 409.
 */
import { describeRoute } from "hono-openapi";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { DeliveryParams, DeliverySchema } from "./schemas";
import { endpointNotFound, requireWebhooksFeature, WEBHOOK_SCOPE } from "./shared";
import { endpointDisabled } from "./test-send";

export function registerReplayWebhookDelivery(app: App): void {
  app.post(
    "/v1/webhooks/:id/deliveries/:deliveryId/replay",
    describeRoute({
      tags: ["Webhooks"],
      summary: "Send a delivery again",
      responses: {
        202: jsonResponse("The delivery, queued again", DeliverySchema),
        ...problemResponses(401, 402, 403, 404, 409, 422),
      },
    }),
    authenticate,
    requireScope(WEBHOOK_SCOPE),
    requireWebhooksFeature,
    validate("param", DeliveryParams),
    async (c) => {
      const { id, deliveryId } = c.req.valid("param");
      const tenant = c.get("services").tenant(c.get("principal").tenantId);
      const endpoint = await tenant.getWebhook(id);
      if (!endpoint) throw endpointNotFound(id);
      if (!endpoint.enabled) throw endpointDisabled(id);
      const delivery = await tenant.replayWebhookDelivery(id, deliveryId);
      if (!delivery) throw notFound(`Delivery ${deliveryId} of webhook endpoint ${id}`);
      return c.json(delivery, 202);
    },
  );
}
