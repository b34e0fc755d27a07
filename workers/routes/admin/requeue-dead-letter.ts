/**
 * POST /v1/admin/tenants/{tenantId}/dead-letters/{checkId}/requeue — sends a dead letter to
 * Postgres again on the next flush, once its cause is fixed (platform admins; audited).
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import { TenantMeters } from "../../services/tenant-meters";
import type { App } from "../index";
import { DeadLetterParams } from "./schemas";
import { auditAdminAction, onTheShardHolding } from "./shared";

export function registerRequeueDeadLetter(app: App): void {
  app.post(
    "/v1/admin/tenants/:tenantId/dead-letters/:checkId/requeue",
    describeRoute({
      tags: ["Admin"],
      summary: "Send a dead letter to Postgres again",
      responses: {
        200: jsonResponse("Requeued", v.object({ checkId: v.string(), requeued: v.literal(true) })),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticateAdmin,
    validate("param", DeadLetterParams),
    async (c) => {
      const { tenantId, checkId } = c.req.valid("param");
      const meters = TenantMeters.of(c.env, tenantId);
      if (!(await onTheShardHolding(meters, (shard) => shard.requeueDeadLetter(checkId))))
        throw notFound(`Dead letter ${checkId}`);
      await auditAdminAction(c, { action: "dead_letter.requeued", target: checkId, detail: { tenantId } });
      return c.json({ checkId, requeued: true });
    },
  );
}
