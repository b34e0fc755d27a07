/**
 * POST /v1/webhooks/{id}/test — sends a `webhook.test` event to this endpoint alone (the
 * app's test-send button). Answers 202 with the queued delivery; its outcome appears in the
 * delivery log within seconds. Scope `webhooks:write`; the plan must include webhooks; a
 * disabled endpoint is a 409 (enable it first).
 */
import { describeRoute } from "hono-openapi";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { DeliverySchema, WebhookIdParams } from "./schemas";
import { endpointNotFound, requireWebhooksFeature, WEBHOOK_SCOPE } from "./shared";

export const endpointDisabled = (id: string) =>
  new Problem({
    status: 409,
    code: "webhook_disabled",
    title: "Endpoint disabled",
    detail: `Webhook endpoint ${id} is disabled; enable it with PATCH {"enabled": true} first.`,
  });

export function registerTestWebhook(app: App): void {
  app.post(
    "/v1/webhooks/:id/test",
    describeRoute({
      tags: ["Webhooks"],
      summary: "Send a test event to one endpoint",
      responses: {
        202: jsonResponse("The queued delivery", DeliverySchema),
        ...problemResponses(401, 402, 403, 404, 409, 422),
      },
    }),
    authenticate,
    requireScope(WEBHOOK_SCOPE),
    requireWebhooksFeature,
    validate("param", WebhookIdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const tenant = c.get("services").tenant(c.get("principal").tenantId);
      const endpoint = await tenant.getWebhook(id);
      if (!endpoint) throw endpointNotFound(id);
      if (!endpoint.enabled) throw endpointDisabled(id);
      const delivery = await tenant.testWebhook(id);
      if (!delivery) throw endpointNotFound(id);
      return c.json(delivery, 202);
    },
  );
}
