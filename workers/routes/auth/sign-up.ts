/**
 * POST /v1/auth/signup — a new company: creates the tenant and its owner, and signs the
 * owner in (session cookie). An email already in use anywhere is a 409.
 */
import { describeRoute } from "hono-openapi";
import { isUniqueViolation } from "../../../db/errors";
import { createTenantWithOwner } from "../../../db/tenants";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { json } from "../../http/validation";
import { limitLoginAttempts } from "../../services/login-limit";
import { hashPassword } from "../../services/passwords";
import { sessionBody } from "../../services/session-view";
import { startSession } from "../../services/sessions";
import type { App } from "../index";
import { SessionSchema, SignUpSchema } from "./schemas";

export function registerSignUp(app: App): void {
  app.post(
    "/v1/auth/signup",
    describeRoute({
      tags: ["Account"],
      summary: "Sign up: a new company (tenant) and its owner, signed in",
      requestBody: jsonRequestBody(SignUpSchema),
      responses: {
        201: jsonResponse("The new session", SessionSchema),
        ...problemResponses(409, 415, 422, 429),
      },
    }),
    ...json(SignUpSchema),
    async (c) => {
      const body = c.req.valid("json");
      await limitLoginAttempts(c, { route: "signup", email: body.email });
      const passwordHash = await hashPassword(body.password);
      let created: { tenantId: string; userId: string };
      try {
        created = await createTenantWithOwner(c.get("services").db(), {
          name: body.companyName,
          owner: { email: body.email, name: body.name ?? null, passwordHash },
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw new Problem({
          status: 409,
          code: "email_taken",
          title: "Email already registered",
          detail:
            "An account with this email already exists. Sign in instead, or ask your team's admin for an invite.",
        });
      }
      const session = await startSession(c, created);
      return c.json(await sessionBody(c, session), 201);
    },
  );
}
