/**
 * DELETE /v1/keys/{id} — revoke an API key: refused at once in this isolate and within the
 * key cache's TTL (60 seconds) everywhere; its live alert sockets close at once (4401).
 * Scope `keys:write`.
 */
import { describeRoute } from "hono-openapi";
import { revokeApiKey } from "../../../db/api-keys";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { KeyIdParams } from "./schemas";
import { afterKeysRevoked } from "./shared";

export function registerRevokeKey(app: App): void {
  app.delete(
    "/v1/keys/:id",
    describeRoute({
      tags: ["API keys"],
      summary: "Revoke an API key (effective within 60 seconds everywhere)",
      responses: { 204: { description: "Revoked" }, ...problemResponses(401, 403, 404, 422) },
    }),
    authenticate,
    requireScope("keys:write"),
    validate("param", KeyIdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const principal = c.get("principal");
      const revokedPrefix = await withTenant(c.get("services").db(), principal.tenantId, async (tx) => {
        const prefix = await revokeApiKey(tx, id);
        if (prefix) {
          await recordAudit(tx, {
            tenantId: principal.tenantId,
            actor: principal.actorId,
            action: "api_key.revoked",
            target: id,
          });
        }
        return prefix;
      });
      if (!revokedPrefix) throw notFound(`API key ${id}`);
      await afterKeysRevoked(c.get("services"), principal.tenantId, [{ id, prefix: revokedPrefix }]);
      return c.body(null, 204);
    },
  );
}
