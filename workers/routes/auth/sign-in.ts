/**
 * POST /v1/auth/signin — email and password to a session cookie. Attempts are limited per
 * IP, per email and IP, and per email (services/login-limit.ts), before any hashing; unknown
 * emails and wrong passwords get the same answer in the same time.
 */
import { describeRoute } from "hono-openapi";
import { findUserForSignIn } from "../../../db/users";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { unauthorized } from "../../http/problem";
import { json } from "../../http/validation";
import { limitLoginAttempts } from "../../services/login-limit";
import { decoyHash, verifyPassword } from "../../services/passwords";
import { sessionBody } from "../../services/session-view";
import { startSession } from "../../services/sessions";
import type { App } from "../index";
import { SessionSchema, SignInSchema } from "./schemas";

export function registerSignIn(app: App): void {
  app.post(
    "/v1/auth/signin",
    describeRoute({
      tags: ["Account"],
      summary: "Sign in with email and password",
      requestBody: jsonRequestBody(SignInSchema),
      responses: {
        200: jsonResponse("The new session", SessionSchema),
        ...problemResponses(401, 415, 422, 429),
      },
    }),
    ...json(SignInSchema),
    async (c) => {
      const { email, password } = c.req.valid("json");
      await limitLoginAttempts(c, { route: "signin", email });
      const user = await findUserForSignIn(c.get("services").db(), email);
      const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash()));
      if (!user?.passwordHash || !valid)
        throw unauthorized("The email or password is not right. Check both and try again.");
      const session = await startSession(c, { userId: user.id, tenantId: user.tenantId });
      return c.json(await sessionBody(c, session));
    },
  );
}
