/**
 * PATCH /v1/users/{id} — change a member's role, or a manager's locations and groups.
 * Scope `team:write` (owners and admins; who may change whom: services/team-rules.ts).
 * The member's live alert sockets follow: a role change closes them (4403, reconnect for the
 * new access); new locations or groups replace their filter in place. A role that may no longer
 * hold a key's scopes revokes the keys they made (services/roles.ts mayKeepKey), except
 * service keys an owner made; those keys' sockets close (4401).
 */
import { describeRoute } from "hono-openapi";
import { revokeKeysOfCreator } from "../../../db/api-keys";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { findTeamMember, loadUserAccess, setAssignments, setUserRole } from "../../../db/users";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { json, validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { mayKeepKey } from "../../services/roles";
import { assertKnownAssignments, assertMayManage } from "../../services/team-rules";
import { notifyStreams } from "../alerts/shared";
import type { App } from "../index";
import { afterKeysRevoked } from "../keys/shared";
import { TeamMemberSchema, UpdateMemberSchema, UserIdParams } from "./schemas";

export function registerUpdateUser(app: App): void {
  app.patch(
    "/v1/users/:id",
    describeRoute({
      tags: ["Team"],
      summary: "Change a member's role, locations or groups",
      requestBody: jsonRequestBody(UpdateMemberSchema),
      responses: {
        200: jsonResponse("The member", TeamMemberSchema),
        ...problemResponses(401, 403, 404, 409, 415, 422),
      },
    }),
    authenticate,
    requireScope("team:write"),
    validate("param", UserIdParams),
    ...json(UpdateMemberSchema),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const principal = c.get("principal");
      const { member, roleChanged, access, revokedKeys } = await withTenant(
        c.get("services").db(),
        principal.tenantId,
        async (tx) => {
          const target = await findTeamMember(tx, id);
          if (!target) throw notFound(`User ${id}`);
          assertMayManage(principal, target, body.role);
          await assertKnownAssignments(tx, body);
          if (body.role) await setUserRole(tx, id, body.role);
          const newRole = body.role;
          const revokedKeys =
            newRole && newRole !== target.role
              ? await revokeKeysOfCreator(tx, id, "creator_demoted", (scopes) => mayKeepKey(newRole, scopes))
              : [];
          if (body.facilityIds || body.groupIds) {
            await setAssignments(tx, principal.tenantId, id, {
              facilityIds: body.facilityIds ?? target.facilityIds,
              groupIds: body.groupIds ?? target.groupIds,
            });
          }
          await recordAudit(tx, {
            tenantId: principal.tenantId,
            actor: principal.actorId,
            action: "user.changed",
            target: id,
            detail:
              revokedKeys.length > 0 ? { ...body, revokedKeys: revokedKeys.map((key) => key.id) } : body,
          });
          return {
            member: await findTeamMember(tx, id),
            roleChanged: body.role !== undefined && body.role !== target.role,
            access: body.facilityIds || body.groupIds ? await loadUserAccess(tx, id) : null,
            revokedKeys,
          };
        },
      );
      await afterKeysRevoked(c.get("services"), principal.tenantId, revokedKeys);
      if (roleChanged) {
        await notifyStreams(c.get("services"), principal.tenantId, (object) =>
          object.endStreams({ actorId: id, why: "access_changed" }),
        );
      } else if (access) {
        await notifyStreams(c.get("services"), principal.tenantId, (object) =>
          object.updateStreamFilter({ userId: id, facilityIds: access.facilityIds }),
        );
      }
      return c.json(member);
    },
  );
}
