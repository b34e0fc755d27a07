/**
 * POST /v1/account/password — the signed-in user changes their password, proving the
 * current one. Every other session of theirs is signed out at once (their live sockets
 * close); this one stays. A notice goes to their address. Web sessions only (an API key has
 * no password). Limited per account like sign-in: each attempt hashes twice.
 */
import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { revokeSessions } from "../../../db/sessions";
import { loadCredentials, setPasswordHash } from "../../../db/users";
import { jsonRequestBody, problemResponses } from "../../http/openapi";
import { Problem, unauthorized, validationFailed } from "../../http/problem";
import { json } from "../../http/validation";
import { authenticate } from "../../middleware/auth";
import { limitLoginAttempts } from "../../services/login-limit";
import { passwordChangedMail } from "../../services/mail/messages";
import { hashPassword, verifyPassword } from "../../services/passwords";
import { notifyStreams } from "../alerts/shared";
import type { App } from "../index";
import { ChangePasswordSchema } from "./schemas";

export function registerChangePassword(app: App): void {
  app.post(
    "/v1/account/password",
    describeRoute({
      tags: ["Account"],
      summary: "Change your password (signs out your other sessions)",
      requestBody: jsonRequestBody(ChangePasswordSchema),
      responses: {
        204: { description: "Changed; your other sessions are signed out" },
        ...problemResponses(401, 403, 415, 422, 429),
      },
    }),
    authenticate,
    ...json(ChangePasswordSchema),
    async (c) => {
      const { tenantId, userId, sessionId } = c.get("principal");
      if (!userId || !sessionId) {
        throw new Problem({
          status: 403,
          code: "session_required",
          title: "Forbidden",
          detail: "Only a signed-in user can change their password; an API key has none.",
        });
      }
      const body = c.req.valid("json");
      await limitLoginAttempts(c, { route: "password", userId });
      const services = c.get("services");
      const db = services.db();
      const current = await withTenant(db, tenantId, (tx) => loadCredentials(tx, userId));
      if (!current) throw unauthorized("This account no longer exists. Sign in again.");
      if (!current.passwordHash || !(await verifyPassword(body.currentPassword, current.passwordHash)))
        throw validationFailed([{ pointer: "/currentPassword", detail: "is not your current password" }]);
      const passwordHash = await hashPassword(body.newPassword);
      const revoked = await withTenant(db, tenantId, async (tx) => {
        await setPasswordHash(tx, userId, passwordHash);
        const ids = await revokeSessions(tx, { userId, revokedBy: userId, except: sessionId });
        await recordAudit(tx, {
          tenantId,
          actor: userId,
          action: "user.password_changed",
          target: userId,
          detail: { sessionsRevoked: ids.length },
        });
        return ids;
      });
      await notifyStreams(services, tenantId, (object) => object.endSessionStreams({ sessionIds: revoked }));
      services.sendLater(passwordChangedMail(current.email));
      return c.body(null, 204);
    },
  );
}
