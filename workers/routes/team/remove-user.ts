/**
 * DELETE /v1/users/{id} — remove a member; their sessions stop working at once and their
 * live alert sockets close (4401). Scope
 * `team:write` (owners and admins; who may remove whom: services/team-rules.ts).
 */
import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { deleteUser, findTeamMember } from "../../../db/users";
import { problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { assertMayManage } from "../../services/team-rules";
import { notifyStreams } from "../alerts/shared";
import type { App } from "../index";
import { UserIdParams } from "./schemas";

export function registerRemoveUser(app: App): void {
  app.delete(
    "/v1/users/:id",
    describeRoute({
      tags: ["Team"],
      summary: "Remove a member (their sessions stop working at once)",
      responses: { 204: { description: "Removed" }, ...problemResponses(401, 403, 404, 409, 422) },
    }),
    authenticate,
    requireScope("team:write"),
    validate("param", UserIdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const principal = c.get("principal");
      await withTenant(c.get("services").db(), principal.tenantId, async (tx) => {
        const target = await findTeamMember(tx, id);
        if (!target) throw notFound(`User ${id}`);
        assertMayManage(principal, target);
        await deleteUser(tx, id);
        await recordAudit(tx, {
          tenantId: principal.tenantId,
          actor: principal.actorId,
          action: "user.removed",
          target: id,
          detail: { email: target.email },
        });
      });
      await notifyStreams(c.get("services"), principal.tenantId, (object) =>
        object.endStreams({ actorId: id, why: "revoked" }),
      );
      return c.body(null, 204);
    },
  );
}
