/**
 * POST /v1/auth/signout — ends the session: its server-side row is revoked (the cookie,
 * even if kept, answers 401 from then on), the cookies are cleared and the session's live
 * alert sockets close. Behind `authenticate`, so a cross-site page cannot sign a user out
 * (CSRF token required).
 */
import { describeRoute } from "hono-openapi";
import { withTenant } from "../../../db/client";
import { revokeSessions } from "../../../db/sessions";
import { problemResponses } from "../../http/openapi";
import { authenticate } from "../../middleware/auth";
import { clearSessionCookies } from "../../services/sessions";
import { notifyStreams } from "../alerts/shared";
import type { App } from "../index";

export function registerSignOut(app: App): void {
  app.post(
    "/v1/auth/signout",
    describeRoute({
      tags: ["Account"],
      summary: "Sign out (ends this session on the server and clears its cookie)",
      responses: { 204: { description: "Signed out" }, ...problemResponses(401, 403) },
    }),
    authenticate,
    async (c) => {
      const { tenantId, userId, sessionId } = c.get("principal");
      clearSessionCookies(c);
      // An API key has no session to end; the call still clears any cookie.
      if (userId && sessionId) {
        await withTenant(c.get("services").db(), tenantId, (tx) =>
          revokeSessions(tx, { userId, revokedBy: userId, only: sessionId }),
        );
        await notifyStreams(c.get("services"), tenantId, (object) =>
          object.endSessionStreams({ sessionIds: [sessionId] }),
        );
      }
      return c.body(null, 204);
    },
  );
}
