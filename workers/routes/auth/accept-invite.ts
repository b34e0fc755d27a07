/**
 * POST /v1/auth/invites/accept — the invite link's token plus a name and password create
 * the user (with the invite's role and locations) and sign them in. A link works once and
 * for seven days.
 */

import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { isUniqueViolation } from "../../../db/errors";
import { findInviteTenant, loadInvite, markInviteAccepted } from "../../../db/invites";
import { insertUser, setAssignments, unknownIds } from "../../../db/users";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { json } from "../../http/validation";
import { limitLoginAttempts } from "../../services/login-limit";
import { hashPassword } from "../../services/passwords";
import { sessionBody } from "../../services/session-view";
import { startSession } from "../../services/sessions";
import type { App } from "../index";
import { AcceptInviteSchema, SessionSchema } from "./schemas";

const inviteUnusable = (detail: string) =>
  new Problem({ status: 410, code: "invite_unusable", title: "Invite not usable", detail });

export function registerAcceptInvite(app: App): void {
  app.post(
    "/v1/auth/invites/accept",
    describeRoute({
      tags: ["Account"],
      summary: "Accept an invite: create the account and sign in",
      requestBody: jsonRequestBody(AcceptInviteSchema),
      responses: {
        201: jsonResponse("The new session", SessionSchema),
        ...problemResponses(404, 409, 415, 422, 429),
      },
    }),
    ...json(AcceptInviteSchema),
    async (c) => {
      const body = c.req.valid("json");
      await limitLoginAttempts(c, { route: "invite", token: body.token });
      const db = c.get("services").db();
      const found = await findInviteTenant(db, body.token);
      if (!found) {
        throw new Problem({
          status: 404,
          code: "not_found",
          title: "Not found",
          detail: "This invite link is not valid. Ask your admin for a new one.",
        });
      }
      const passwordHash = await hashPassword(body.password);
      let userId: string;
      try {
        userId = await withTenant(db, found.tenantId, async (tx) => {
          const invite = await loadInvite(tx, found.id);
          if (!invite || invite.acceptedAt)
            throw inviteUnusable("This invite was already used. Sign in instead.");
          if (Date.parse(invite.expiresAt) < Date.now())
            throw inviteUnusable("This invite has expired. Ask your admin for a new one.");
          if (!(await markInviteAccepted(tx, invite.id)))
            throw inviteUnusable("This invite was already used. Sign in instead.");
          const id = await insertUser(tx, {
            tenantId: found.tenantId,
            email: invite.email,
            name: body.name ?? null,
            passwordHash,
            role: invite.role,
          });
          // Locations deleted since the invite was sent are skipped, not an error.
          const gone = new Set([
            ...(await unknownIds(tx, "facility", invite.facilityIds)),
            ...(await unknownIds(tx, "group", invite.groupIds)),
          ]);
          await setAssignments(tx, found.tenantId, id, {
            facilityIds: invite.facilityIds.filter((f) => !gone.has(f)),
            groupIds: invite.groupIds.filter((g) => !gone.has(g)),
          });
          await recordAudit(tx, {
            tenantId: found.tenantId,
            actor: id,
            action: "user.joined",
            target: id,
            detail: { inviteId: invite.id, role: invite.role },
          });
          return id;
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw new Problem({
          status: 409,
          code: "email_taken",
          title: "Email already registered",
          detail: "An account with this invite's email already exists. Sign in with it instead.",
        });
      }
      const session = await startSession(c, { userId, tenantId: found.tenantId });
      return c.json(await sessionBody(c, session), 201);
    },
  );
}
