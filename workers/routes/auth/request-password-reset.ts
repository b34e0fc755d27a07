/**
 * POST /v1/auth/password-reset — "forgot password": emails the address a link that sets a
 * new password (once, within an hour). Always 202 with the same body, so it never tells
 * whether the address has an account. Limited like sign-in (it sends mail).
 */
import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { createPasswordReset } from "../../../db/password-resets";
import { findUserForSignIn } from "../../../db/users";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { json } from "../../http/validation";
import { limitLoginAttempts } from "../../services/login-limit";
import { passwordResetMail } from "../../services/mail/messages";
import type { App } from "../index";
import { PasswordResetRequestedSchema, PasswordResetRequestSchema } from "./schemas";

export function registerRequestPasswordReset(app: App): void {
  app.post(
    "/v1/auth/password-reset",
    describeRoute({
      tags: ["Account"],
      summary: "Forgot password: email a single-use reset link",
      description:
        "Always 202 with the same body, whether or not the address has an account. The link (valid one hour, once) goes to POST /v1/auth/password-reset/confirm.",
      requestBody: jsonRequestBody(PasswordResetRequestSchema),
      responses: {
        202: jsonResponse(
          "If the address has an account, the email is on its way",
          PasswordResetRequestedSchema,
        ),
        ...problemResponses(415, 422, 429),
      },
    }),
    ...json(PasswordResetRequestSchema),
    async (c) => {
      const { email } = c.req.valid("json");
      await limitLoginAttempts(c, { route: "reset", email });
      const services = c.get("services");
      const db = services.db();
      const origin = new URL(c.req.url).origin;
      // The lookup and what follows run after the response, so its timing says nothing.
      services.afterResponse("password-reset request", async () => {
        const user = await findUserForSignIn(db, email);
        if (!user) return;
        const token = await withTenant(db, user.tenantId, async (tx) => {
          const created = await createPasswordReset(tx, { tenantId: user.tenantId, userId: user.id });
          await recordAudit(tx, {
            tenantId: user.tenantId,
            actor: user.id,
            action: "user.password_reset_requested",
            target: user.id,
          });
          return created;
        });
        await services.mail.send(passwordResetMail(email, `${origin}/reset-password#token=${token}`));
      });
      return c.json({ email, emailSent: true as const }, 202);
    },
  );
}
