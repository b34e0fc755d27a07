/**
 * DELETE /v1/exports/{id}/shares/{shareId} — revoke a share link: from now on it answers 410.
 * Revoking a revoked link changes nothing (204 again). Scope `exports:write`.
 */
import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { revokeShareLink } from "../../../db/evidence";
import { problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { ShareParams } from "./schemas";

export function registerRevokeShare(app: App): void {
  app.delete(
    "/v1/exports/:id/shares/:shareId",
    describeRoute({
      tags: ["Evidence"],
      summary: "Revoke a share link",
      responses: { 204: { description: "Revoked" }, ...problemResponses(401, 403, 404, 422) },
    }),
    authenticate,
    requireScope("exports:write"),
    validate("param", ShareParams),
    async (c) => {
      const { id, shareId } = c.req.valid("param");
      const principal = c.get("principal");
      const outcome = await withTenant(c.get("services").db(), principal.tenantId, async (tx) => {
        const result = await revokeShareLink(tx, id, shareId, principal.actorId);
        if (result === "revoked")
          await recordAudit(tx, {
            tenantId: principal.tenantId,
            actor: principal.actorId,
            action: "evidence_share.revoked",
            target: shareId,
            detail: { exportId: id },
          });
        return result;
      });
      if (!outcome) throw notFound(`Share link ${shareId} of export ${id}`);
      return c.body(null, 204);
    },
  );
}
