/**
 * GET /v1/session — the signed-in user, their tenant, role, scopes, locations and the CSRF
 * token the web app echoes on state-changing requests. API keys use GET /v1/me instead.
 */
import { describeRoute } from "hono-openapi";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { unauthorized } from "../../http/problem";
import { authenticate } from "../../middleware/auth";
import { sessionBody } from "../../services/session-view";
import { readSession } from "../../services/sessions";
import type { App } from "../index";
import { SessionSchema } from "./schemas";

export function registerSession(app: App): void {
  app.get(
    "/v1/session",
    describeRoute({
      tags: ["Account"],
      summary: "The signed-in user (web sessions)",
      responses: { 200: jsonResponse("The session", SessionSchema), ...problemResponses(401) },
    }),
    authenticate,
    async (c) => {
      // `authenticate` accepted either a key or a session; only a session has one to describe.
      const session = c.get("principal").userId ? await readSession(c) : null;
      if (!session)
        throw unauthorized("No web session: sign in first. API keys are described by GET /v1/me.");
      c.header("cache-control", "no-store");
      return c.json(await sessionBody(c, session));
    },
  );
}
