/**
 * DELETE /v1/users/{id} — remove a member; their sessions stop working at once, the API keys
 * they made are revoked (except service keys an owner made), and their live alert sockets and
 * those keys' close (4401). Scope
 * `team:write` (owners and admins; who may remove whom: services/team-rules.ts).
 */
import { describeRoute } from "hono-openapi";
import { revokeKeysOfCreator } from "../../../db/api-keys";
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
import { afterKeysRevoked } from "../keys/shared";
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
      const revokedKeys = await withTenant(c.get("services").db(), principal.tenantId, async (tx) => {
        const target = await findTeamMember(tx, id);
        if (!target) throw notFound(`User ${id}`);
        assertMayManage(principal, target);
        await deleteUser(tx, id);
        const keys = await revokeKeysOfCreator(tx, id, "creator_removed");
        await recordAudit(tx, {
          tenantId: principal.tenantId,
          actor: principal.actorId,
          action: "user.removed",
          target: id,
          detail: { email: target.email, revokedKeys: keys.map((key) => key.id) },
        });
        return keys;
      });
      await afterKeysRevoked(c.get("services"), principal.tenantId, revokedKeys);
      await notifyStreams(c.get("services"), principal.tenantId, (object) =>
        object.endStreams({ actorId: id, why: "revoked" }),
      );
      return c.body(null, 204);
    },
  );
}
