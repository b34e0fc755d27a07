/**
 * PATCH /v1/users/{id} — change a member's role, or a manager's locations and groups.
 * Scope `team:write` (owners and admins; who may change whom: services/team-rules.ts).
 * The member's live alert sockets follow: a role change closes them (4403, reconnect for the
 * new access); new locations or groups replace their filter in place.
 */
import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { findTeamMember, loadUserAccess, setAssignments, setUserRole } from "../../../db/users";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { json, validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { assertKnownAssignments, assertMayManage } from "../../services/team-rules";
import { notifyStreams } from "../alerts/shared";
import type { App } from "../index";
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
      const { member, roleChanged, access } = await withTenant(
        c.get("services").db(),
        principal.tenantId,
        async (tx) => {
          const target = await findTeamMember(tx, id);
          if (!target) throw notFound(`User ${id}`);
          assertMayManage(principal, target, body.role);
          await assertKnownAssignments(tx, body);
          if (body.role) await setUserRole(tx, id, body.role);
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
            detail: body,
          });
          return {
            member: await findTeamMember(tx, id),
            roleChanged: body.role !== undefined && body.role !== target.role,
            access: body.facilityIds || body.groupIds ? await loadUserAccess(tx, id) : null,
          };
        },
      );
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
