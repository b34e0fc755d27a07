/**
 * POST /v1/auth/signout — ends the session: the cookie is cleared. Behind `authenticate`,
 * so a cross-site page cannot sign a user out (CSRF token required).
 */
import { describeRoute } from "hono-openapi";
import { problemResponses } from "../../http/openapi";
import { authenticate } from "../../middleware/auth";
import { endSession } from "../../services/sessions";
import type { App } from "../index";

export function registerSignOut(app: App): void {
  app.post(
    "/v1/auth/signout",
    describeRoute({
      tags: ["Account"],
      summary: "Sign out (clears the session cookie)",
      responses: { 204: { description: "Signed out" }, ...problemResponses(401, 403) },
    }),
    authenticate,
    (c) => {
      endSession(c);
      return c.body(null, 204);
    },
  );
}
