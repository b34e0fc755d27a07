/**
 * DELETE /v1/users/{id}/sessions/{sessionId} — ends one of a member's web sessions at once:
 * its cookie answers 401 from the next request and its live alert sockets close (4401).
 * Scope `team:write` (owners and admins, their own included); only owners end owners' sessions. Audited.
 */
import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { revokeSessions } from "../../../db/sessions";
import { findTeamMember } from "../../../db/users";
import { problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { assertMayManage } from "../../services/team-rules";
import { notifyStreams } from "../alerts/shared";
import type { App } from "../index";
import { SessionParams } from "./schemas";

export function registerRevokeSession(app: App): void {
  app.delete(
    "/v1/users/:id/sessions/:sessionId",
    describeRoute({
      tags: ["Team"],
      summary: "End one of a member's sessions at once",
      responses: { 204: { description: "Ended" }, ...problemResponses(401, 403, 404, 422) },
    }),
    authenticate,
    requireScope("team:write"),
    validate("param", SessionParams),
    async (c) => {
      const { id, sessionId } = c.req.valid("param");
      const principal = c.get("principal");
      await withTenant(c.get("services").db(), principal.tenantId, async (tx) => {
        const target = await findTeamMember(tx, id);
        if (!target) throw notFound(`User ${id}`);
        if (target.id !== principal.userId) assertMayManage(principal, target);
        const revoked = await revokeSessions(tx, {
          userId: id,
          revokedBy: principal.actorId,
          only: sessionId,
        });
        if (revoked.length === 0) throw notFound(`Active session ${sessionId}`);
        await recordAudit(tx, {
          tenantId: principal.tenantId,
          actor: principal.actorId,
          action: "session.revoked",
          target: sessionId,
          detail: { userId: id, email: target.email },
        });
      });
      await notifyStreams(c.get("services"), principal.tenantId, (object) =>
        object.endSessionStreams({ sessionIds: [sessionId] }),
      );
      return c.body(null, 204);
    },
  );
}
