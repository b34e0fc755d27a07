/**
 * POST /v1/auth/signup/verify — the sign-up email's link: creates the company and its owner
 * (the address is now proven) and signs the owner in. A link works once and for 24 hours.
 * If the address got an account meanwhile (another sign-up verified first), 409: the caller
 * holds the mailbox, so telling them is no leak.
 */
import { describeRoute } from "hono-openapi";
import { isUniqueViolation } from "../../../db/errors";
import { takeSignup } from "../../../db/signups";
import { createTenantWithOwner } from "../../../db/tenants";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { json } from "../../http/validation";
import { recordProductEvent } from "../../services/analytics";
import { sessionBody } from "../../services/session-view";
import { startSession } from "../../services/sessions";
import type { App } from "../index";
import { SessionSchema, VerifySignUpSchema } from "./schemas";

export function registerVerifySignUp(app: App): void {
  app.post(
    "/v1/auth/signup/verify",
    describeRoute({
      tags: ["Account"],
      summary: "Confirm a sign-up's email: creates the company and its owner, signed in",
      requestBody: jsonRequestBody(VerifySignUpSchema),
      responses: {
        201: jsonResponse("The new session", SessionSchema),
        ...problemResponses(409, 410, 415, 422),
      },
    }),
    ...json(VerifySignUpSchema),
    async (c) => {
      const { token } = c.req.valid("json");
      const db = c.get("services").db();
      const signup = await takeSignup(db, token);
      if (!signup) {
        throw new Problem({
          status: 410,
          code: "link_unusable",
          title: "Link not usable",
          detail:
            "This link is not valid, was already used or has expired (links last 24 hours). Sign up again.",
        });
      }
      let created: { tenantId: string; userId: string };
      try {
        created = await createTenantWithOwner(db, {
          name: signup.companyName,
          owner: { email: signup.email, name: signup.name, passwordHash: signup.passwordHash },
        });
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        throw new Problem({
          status: 409,
          code: "email_taken",
          title: "Email already registered",
          detail:
            "This address already has a Prep account. Sign in instead (or reset the password from the sign-in page).",
        });
      }
      // New tenants start on the default plan's trial (db/tenants.ts); one event per tenant.
      recordProductEvent(c.get("services"), c.env, {
        event: "Signed Up",
        tenantId: created.tenantId,
        userId: created.userId,
        properties: { plan: "starter", source: "web_signup" },
        messageId: `Signed Up:${created.tenantId}`,
      });
      const session = await startSession(c, created);
      return c.json(await sessionBody(c, session), 201);
    },
  );
}
