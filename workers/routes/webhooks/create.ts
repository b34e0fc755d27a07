/**
 * POST /v1/webhooks — a Standard Webhooks endpoint for the listed event types. Answers 201
 * with the endpoint and its signing secret (`whsec_…`), shown this once. Scope
 * `webhooks:write`; the plan must include webhooks. Production refuses non-HTTPS URLs and
 * hosts that are or resolve to private, loopback or link-local addresses (422 at `/url`).
 */
import { describeRoute } from "hono-openapi";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { json } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { appOrigin } from "../billing/shared";
import type { App } from "../index";
import { CreatedWebhookSchema, CreateWebhookSchema } from "./schemas";
import { assertDeliverableUrl, requireWebhooksFeature, WEBHOOK_SCOPE } from "./shared";

export function registerCreateWebhook(app: App): void {
  app.post(
    "/v1/webhooks",
    describeRoute({
      tags: ["Webhooks"],
      summary: "Create a webhook endpoint (its secret is shown once)",
      requestBody: jsonRequestBody(CreateWebhookSchema),
      responses: {
        201: jsonResponse("The endpoint with its signing secret", CreatedWebhookSchema),
        ...problemResponses(401, 402, 403, 415, 422),
      },
    }),
    authenticate,
    requireScope(WEBHOOK_SCOPE),
    requireWebhooksFeature,
    ...json(CreateWebhookSchema),
    async (c) => {
      const body = c.req.valid("json");
      await assertDeliverableUrl(c, body.url);
      const principal = c.get("principal");
      const { endpoint, secret } = await c
        .get("services")
        .tenant(principal.tenantId)
        .createWebhook({ url: body.url, events: body.events, description: body.description }, appOrigin(c));
      return c.json({ ...endpoint, secret }, 201);
    },
  );
}
