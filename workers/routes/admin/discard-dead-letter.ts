/**
 * DELETE /v1/admin/tenants/{tenantId}/dead-letters/{checkId} — forgets a dead letter for good;
 * the check stays metered, as it was answered (platform admins; audited).
 */
import { describeRoute } from "hono-openapi";
import { problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import { TenantMeters } from "../../services/tenant-meters";
import type { App } from "../index";
import { DeadLetterParams } from "./schemas";
import { auditAdminAction, onTheShardHolding } from "./shared";

export function registerDiscardDeadLetter(app: App): void {
  app.delete(
    "/v1/admin/tenants/:tenantId/dead-letters/:checkId",
    describeRoute({
      tags: ["Admin"],
      summary: "Forget a dead letter",
      responses: { 204: { description: "Forgotten" }, ...problemResponses(401, 403, 404, 422) },
    }),
    authenticateAdmin,
    validate("param", DeadLetterParams),
    async (c) => {
      const { tenantId, checkId } = c.req.valid("param");
      const meters = TenantMeters.of(c.env, tenantId);
      if (!(await onTheShardHolding(meters, (shard) => shard.discardDeadLetter(checkId))))
        throw notFound(`Dead letter ${checkId}`);
      await auditAdminAction(c, { action: "dead_letter.discarded", target: checkId, detail: { tenantId } });
      return c.body(null, 204);
    },
  );
}
