/**
 * GET /v1/keys — the tenant's API keys, revoked ones included; secrets are never shown
 * again. Scope `keys:write`: key management is an admin act.
 */
import { describeRoute } from "hono-openapi";
import { listApiKeys } from "../../../db/api-keys";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { listOf } from "../../http/schemas";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { KeySummarySchema } from "./schemas";

export function registerListKeys(app: App): void {
  app.get(
    "/v1/keys",
    describeRoute({
      tags: ["API keys"],
      summary: "List API keys (secrets are never shown again)",
      responses: { 200: jsonResponse("Keys", listOf(KeySummarySchema)), ...problemResponses(401, 403) },
    }),
    authenticate,
    requireScope("keys:write"),
    async (c) => {
      const keys = await listApiKeys(c.get("services").db(), c.get("principal").tenantId);
      return c.json({ data: keys });
    },
  );
}
