/**
 * POST /v1/invites — invite someone with a role (and, for a manager, locations and groups).
 * The link goes by email to the invitee only, so accepting it proves the address, and the
 * answer never says whether the address has an account elsewhere (accepting then fails for
 * the invitee, who holds the mailbox). Scope `team:write`; only owners invite owners.
 */
import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { createInvite } from "../../../db/invites";
import { loadTenantName } from "../../../db/tenants";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { json } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { inviteMail } from "../../services/mail/messages";
import { assertKnownAssignments } from "../../services/team-rules";
import type { App } from "../index";
import { CreatedInviteSchema, CreateInviteSchema } from "./schemas";

export function registerCreateInvite(app: App): void {
  app.post(
    "/v1/invites",
    describeRoute({
      tags: ["Team"],
      summary: "Invite someone; the link is emailed to them",
      requestBody: jsonRequestBody(CreateInviteSchema),
      responses: {
        201: jsonResponse("The invite (its link was emailed to the invitee)", CreatedInviteSchema),
        ...problemResponses(401, 403, 415, 422),
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
      const services = c.get("services");
      const db = services.db();
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
        return { ...result, tenantName: (await loadTenantName(tx, principal.tenantId)) ?? "your team" };
      });
      // The token rides in the fragment, which browsers never send to a server or in a Referer.
      const url = `${new URL(c.req.url).origin}/accept-invite#token=${created.token}`;
      services.sendLater(inviteMail(body.email, created.tenantName, url));
      return c.json({ invite: created.invite, emailSent: true as const }, 201);
    },
  );
}
