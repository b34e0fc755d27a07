/**
 * The team: GET /v1/users (`team:read`), PATCH /v1/users/{id} to change a role or a
 * manager's locations and groups, DELETE /v1/users/{id} to remove someone (`team:write`,
 * owners and admins; see services/team-rules.ts).
 */

import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { deleteUser, findTeamMember, listUsers, setAssignments, setUserRole } from "../../../db/users";
import { TeamMemberSchema, UpdateMemberSchema, UserIdParams } from "../../http/account-schemas";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { json, validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { assertKnownAssignments, assertMayManage } from "../../services/team-rules";
import type { App } from "../index";

export function registerTeamUsers(app: App): void {
  app.get(
    "/v1/users",
    describeRoute({
      tags: ["Team"],
      summary: "List the team",
      responses: {
        200: jsonResponse("Team members", v.object({ data: v.array(TeamMemberSchema) })),
        ...problemResponses(401, 403),
      },
    }),
    authenticate,
    requireScope("team:read"),
    async (c) => {
      const data = await withTenant(c.get("services").db(), c.get("principal").tenantId, listUsers);
      return c.json({ data });
    },
  );

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
      const member = await withTenant(c.get("services").db(), principal.tenantId, async (tx) => {
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
        return findTeamMember(tx, id);
      });
      return c.json(member);
    },
  );

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
      return c.body(null, 204);
    },
  );
}
