/**
 * GET /v1/users/{id}/sessions — a member's active web sessions (when and where each
 * started), so an owner or admin can end the ones that should not be there. Scope
 * `team:write` (owners and admins, their own included); only owners list owners' (services/team-rules.ts).
 */
import { describeRoute } from "hono-openapi";
import { withTenant } from "../../../db/client";
import { listActiveSessions } from "../../../db/sessions";
import { findTeamMember } from "../../../db/users";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { listOf } from "../../http/schemas";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { assertMayManage } from "../../services/team-rules";
import type { App } from "../index";
import { MemberSessionSchema, UserIdParams } from "./schemas";

export function registerListSessions(app: App): void {
  app.get(
    "/v1/users/:id/sessions",
    describeRoute({
      tags: ["Team"],
      summary: "List a member's active web sessions",
      responses: {
        200: jsonResponse("Active sessions, newest first", listOf(MemberSessionSchema)),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticate,
    requireScope("team:write"),
    validate("param", UserIdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const principal = c.get("principal");
      const sessions = await withTenant(c.get("services").db(), principal.tenantId, async (tx) => {
        const target = await findTeamMember(tx, id);
        if (!target) throw notFound(`User ${id}`);
        if (target.id !== principal.userId) assertMayManage(principal, target);
        return listActiveSessions(tx, id);
      });
      c.header("cache-control", "no-store");
      return c.json({
        data: sessions.map(({ userId: _user, ...session }) => ({
          ...session,
          current: session.id === principal.sessionId,
        })),
      });
    },
  );
}
