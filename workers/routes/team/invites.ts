/**
 * Invites: GET /v1/invites (pending), POST /v1/invites (the link is in this response only;
 * Prep sends no email, the admin passes the link on), DELETE /v1/invites/{id} to withdraw
 * one. `team:write`; only owners invite owners.
 */

import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { createInvite, deleteInvite, listPendingInvites } from "../../../db/invites";
import { findUserForSignIn } from "../../../db/users";
import {
  CreatedInviteSchema,
  CreateInviteSchema,
  InviteIdParams,
  InviteSchema,
} from "../../http/account-schemas";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { notFound, Problem } from "../../http/problem";
import { json, validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { assertKnownAssignments } from "../../services/team-rules";
import type { App } from "../index";

export function registerTeamInvites(app: App): void {
  app.get(
    "/v1/invites",
    describeRoute({
      tags: ["Team"],
      summary: "List pending invites",
      responses: {
        200: jsonResponse("Pending invites", v.object({ data: v.array(InviteSchema) })),
        ...problemResponses(401, 403),
      },
    }),
    authenticate,
    requireScope("team:write"),
    async (c) => {
      const data = await withTenant(c.get("services").db(), c.get("principal").tenantId, listPendingInvites);
      return c.json({ data });
    },
  );

  app.post(
    "/v1/invites",
    describeRoute({
      tags: ["Team"],
      summary: "Invite someone; the invite link is shown once",
      requestBody: jsonRequestBody(CreateInviteSchema),
      responses: {
        201: jsonResponse("The invite and its link", CreatedInviteSchema),
        ...problemResponses(401, 403, 409, 415, 422),
      },
    }),
    authenticate,
    requireScope("team:write"),
    ...json(CreateInviteSchema),
    async (c) => {
      const body = c.req.valid("json");
      const principal = c.get("principal");
      if (body.role === "owner" && principal.role !== "owner") {
        throw new Problem({
          status: 403,
          code: "owner_only",
          title: "Forbidden",
          detail: "Only an owner can invite another owner.",
        });
      }
      const db = c.get("services").db();
      if (await findUserForSignIn(db, body.email)) {
        throw new Problem({
          status: 409,
          code: "email_taken",
          title: "Email already registered",
          detail: `${body.email} already has a Prep account.`,
        });
      }
      const created = await withTenant(db, principal.tenantId, async (tx) => {
        await assertKnownAssignments(tx, body);
        const result = await createInvite(tx, {
          tenantId: principal.tenantId,
          ...body,
          createdBy: principal.actorId,
        });
        await recordAudit(tx, {
          tenantId: principal.tenantId,
          actor: principal.actorId,
          action: "invite.created",
          target: result.invite.id,
          detail: { email: body.email, role: body.role },
        });
        return result;
      });
      // The token rides in the fragment, which browsers never send to a server or in a Referer.
      const url = `${new URL(c.req.url).origin}/accept-invite#token=${created.token}`;
      return c.json({ ...created, url }, 201);
    },
  );

  app.delete(
    "/v1/invites/:id",
    describeRoute({
      tags: ["Team"],
      summary: "Withdraw a pending invite",
      responses: { 204: { description: "Withdrawn" }, ...problemResponses(401, 403, 404, 422) },
    }),
    authenticate,
    requireScope("team:write"),
    validate("param", InviteIdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const principal = c.get("principal");
      const deleted = await withTenant(c.get("services").db(), principal.tenantId, (tx) =>
        deleteInvite(tx, id),
      );
      if (!deleted) throw notFound(`Invite ${id}`);
      return c.body(null, 204);
    },
  );
}
