/**
 * POST /v1/invites — invite someone with a role (and, for a manager, locations and groups).
 * The invite link is in this response only: Prep sends no email, the admin passes the link
 * on. Scope `team:write`; only owners invite owners; an email with an account is a 409.
 */
import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { createInvite } from "../../../db/invites";
import { findUserForSignIn } from "../../../db/users";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { json } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { assertKnownAssignments } from "../../services/team-rules";
import type { App } from "../index";
import { CreatedInviteSchema, CreateInviteSchema } from "./schemas";

export function registerCreateInvite(app: App): void {
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
}
