/**
 * GET /v1/webhooks/{id} — one endpoint (without its secret). Scope `webhooks:write`;
 * another tenant's endpoint is a 404.
 */
import { describeRoute } from "hono-openapi";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { WebhookIdParams, WebhookSchema } from "./schemas";
import { endpointNotFound, WEBHOOK_SCOPE } from "./shared";

export function registerGetWebhook(app: App): void {
  app.get(
    "/v1/webhooks/:id",
    describeRoute({
      tags: ["Webhooks"],
      summary: "Get a webhook endpoint",
      responses: {
        200: jsonResponse("The endpoint", WebhookSchema),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticate,
    requireScope(WEBHOOK_SCOPE),
    validate("param", WebhookIdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const endpoint = await c.get("services").tenant(c.get("principal").tenantId).getWebhook(id);
      if (!endpoint) throw endpointNotFound(id);
      return c.json(endpoint);
    },
  );
}
