/**
 * POST /v1/auth/password-reset/confirm — the reset email's link plus a new password. The
 * link works once and for an hour; using it signs out every session of the account (and
 * closes their live sockets) and emails a notice. The caller then signs in.
 */
import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { consumePasswordReset, findPasswordResetTenant } from "../../../db/password-resets";
import { revokeSessions } from "../../../db/sessions";
import { setPasswordHash } from "../../../db/users";
import { jsonRequestBody, problemResponses } from "../../http/openapi";
import { notFound, Problem } from "../../http/problem";
import { json } from "../../http/validation";
import { limitLoginAttempts } from "../../services/login-limit";
import { passwordChangedMail } from "../../services/mail/messages";
import { hashPassword } from "../../services/passwords";
import { notifyStreams } from "../alerts/shared";
import type { App } from "../index";
import { PasswordResetSchema } from "./schemas";

const linkUnusable = (detail: string) =>
  new Problem({ status: 410, code: "link_unusable", title: "Link not usable", detail });

export function registerResetPassword(app: App): void {
  app.post(
    "/v1/auth/password-reset/confirm",
    describeRoute({
      tags: ["Account"],
      summary: "Set a new password with a reset link (signs out every session)",
      requestBody: jsonRequestBody(PasswordResetSchema),
      responses: {
        204: { description: "The password is changed; sign in with it" },
        ...problemResponses(404, 410, 415, 422, 429),
      },
    }),
    ...json(PasswordResetSchema),
    async (c) => {
      const body = c.req.valid("json");
      await limitLoginAttempts(c, { route: "reset-link", token: body.token });
      const services = c.get("services");
      const db = services.db();
      const found = await findPasswordResetTenant(db, body.token);
      if (!found) throw notFound("This reset link");
      const passwordHash = await hashPassword(body.password);
      const done = await withTenant(db, found.tenantId, async (tx) => {
        const reset = await consumePasswordReset(tx, found.id);
        if (reset === "used") throw linkUnusable("This reset link was already used. Ask for a new one.");
        if (reset === "expired")
          throw linkUnusable("This reset link has expired (links last an hour). Ask for a new one.");
        await setPasswordHash(tx, reset.userId, passwordHash);
        const revoked = await revokeSessions(tx, { userId: reset.userId, revokedBy: reset.userId });
        await recordAudit(tx, {
          tenantId: found.tenantId,
          actor: reset.userId,
          action: "user.password_reset",
          target: reset.userId,
          detail: { sessionsRevoked: revoked.length },
        });
        return { ...reset, revoked };
      });
      await notifyStreams(services, found.tenantId, (object) =>
        object.endSessionStreams({ sessionIds: done.revoked }),
      );
      services.sendLater(passwordChangedMail(done.email));
      return c.body(null, 204);
    },
  );
}
