/**
 * GET /v1/webhooks — the tenant's webhook endpoints (never their secrets). Scope
 * `webhooks:write` (the endpoints' URLs and delivery logs are integration settings).
 */
import { describeRoute } from "hono-openapi";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { listOf } from "../../http/schemas";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { WebhookSchema } from "./schemas";
import { WEBHOOK_SCOPE } from "./shared";

export function registerListWebhooks(app: App): void {
  app.get(
    "/v1/webhooks",
    describeRoute({
      tags: ["Webhooks"],
      summary: "List webhook endpoints",
      responses: { 200: jsonResponse("The endpoints", listOf(WebhookSchema)), ...problemResponses(401, 403) },
    }),
    authenticate,
    requireScope(WEBHOOK_SCOPE),
    async (c) => {
      const data = await c.get("services").tenant(c.get("principal").tenantId).listWebhooks();
      return c.json({ data });
    },
  );
}
