/**
 * DELETE /v1/webhooks/{id} — remove an endpoint; its queued deliveries are canceled. Scope
 * `webhooks:write` (no plan needed: a tenant that downgraded can still clean up).
 */
import { describeRoute } from "hono-openapi";
import { problemResponses } from "../../http/openapi";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { WebhookIdParams } from "./schemas";
import { endpointNotFound, WEBHOOK_SCOPE } from "./shared";

export function registerDeleteWebhook(app: App): void {
  app.delete(
    "/v1/webhooks/:id",
    describeRoute({
      tags: ["Webhooks"],
      summary: "Delete a webhook endpoint",
      responses: { 204: { description: "Deleted" }, ...problemResponses(401, 403, 404, 422) },
    }),
    authenticate,
    requireScope(WEBHOOK_SCOPE),
    validate("param", WebhookIdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const deleted = await c.get("services").tenant(c.get("principal").tenantId).deleteWebhook(id);
      if (!deleted) throw endpointNotFound(id);
      return c.body(null, 204);
    },
  );
}
