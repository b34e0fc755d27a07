/**
 * DELETE /v1/exports/schedule — stop scheduled exports (exports already made stay).
 * Scope `exports:write`.
 */
import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { deleteSchedule } from "../../../db/evidence";
import { problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";

export function registerDeleteExportSchedule(app: App): void {
  app.delete(
    "/v1/exports/schedule",
    describeRoute({
      tags: ["Evidence"],
      summary: "Stop scheduled exports",
      responses: { 204: { description: "Stopped" }, ...problemResponses(401, 403, 404) },
    }),
    authenticate,
    requireScope("exports:write"),
    async (c) => {
      const principal = c.get("principal");
      const deleted = await withTenant(c.get("services").db(), principal.tenantId, async (tx) => {
        const existed = await deleteSchedule(tx);
        if (existed)
          await recordAudit(tx, {
            tenantId: principal.tenantId,
            actor: principal.actorId,
            action: "evidence_schedule.deleted",
          });
        return existed;
      });
      if (!deleted) throw notFound("An export schedule");
      return c.body(null, 204);
    },
  );
}
