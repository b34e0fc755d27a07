/**
 * POST /v1/auth/signup — asks for a new company (tenant) and its owner. Nothing is created
 * yet: the address gets an email, and the account exists once its link is opened
 * (POST /v1/auth/signup/verify). The answer is the same 202 whether or not the address
 * already has an account, so sign-up never tells anyone which addresses are Prep's; an
 * address that has one gets a "someone tried to sign up" email instead. Unverified sign-ups
 * block nobody and lapse after 24 hours (docs/decisions/0011-sessions-mail-and-verification.md).
 */
import { describeRoute } from "hono-openapi";
import { startSignup } from "../../../db/signups";
import { findUserForSignIn } from "../../../db/users";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { json } from "../../http/validation";
import { limitLoginAttempts } from "../../services/login-limit";
import { signupAttemptMail, verifySignupMail } from "../../services/mail/messages";
import { hashPassword } from "../../services/passwords";
import type { App } from "../index";
import { SignUpAcceptedSchema, SignUpSchema } from "./schemas";

export function registerSignUp(app: App): void {
  app.post(
    "/v1/auth/signup",
    describeRoute({
      tags: ["Account"],
      summary: "Sign up: emails a link that creates the company and its owner",
      description:
        "Always 202 with the same body: whether the address already has an account is never revealed. The link in the email (valid 24 hours) goes to POST /v1/auth/signup/verify.",
      requestBody: jsonRequestBody(SignUpSchema),
      responses: {
        202: jsonResponse("The confirmation email is on its way", SignUpAcceptedSchema),
        ...problemResponses(415, 422, 429),
      },
    }),
    ...json(SignUpSchema),
    async (c) => {
      const body = c.req.valid("json");
      await limitLoginAttempts(c, { route: "signup", email: body.email });
      const services = c.get("services");
      const db = services.db();
      // Hashed either way, so both answers take the same time.
      const passwordHash = await hashPassword(body.password);
      const origin = new URL(c.req.url).origin;
      // The lookup and what follows run after the response, so its timing says nothing.
      services.afterResponse("sign-up", async () => {
        if (await findUserForSignIn(db, body.email)) {
          await services.mail.send(
            signupAttemptMail(body.email, `${origin}/signin`, `${origin}/forgot-password`),
          );
          return;
        }
        const token = await startSignup(db, {
          email: body.email,
          companyName: body.companyName,
          name: body.name ?? null,
          passwordHash,
        });
        await services.mail.send(
          verifySignupMail(body.email, body.companyName, `${origin}/verify-email#token=${token}`),
        );
      });
      return c.json({ email: body.email, verificationSent: true as const }, 202);
    },
  );
}
