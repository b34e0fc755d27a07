/**
 * GET /v1/me — who the presented API key is: tenant, key id, scopes and mode. The simplest
 * authenticated call; the quickstart uses it to prove a key works.
 */

import { describeRoute, resolver } from "hono-openapi";
import { problemResponses } from "../../http/openapi";
import { authenticate } from "../../middleware/auth";
import type { App } from "../index";
import { MeSchema } from "./schemas";

export function registerMe(app: App): void {
  app.get(
    "/v1/me",
    describeRoute({
      tags: ["Account"],
      summary: "Describe the calling API key",
      responses: {
        200: {
          description: "The key's tenant and scopes",
          content: { "application/json": { schema: resolver(MeSchema) } },
        },
        ...problemResponses(401),
      },
    }),
    authenticate,
    (c) => {
      const principal = c.get("principal");
      return c.json({
        tenantId: principal.tenantId,
        // The field predates sessions: for the web app's session it names the signed-in user.
        keyId: principal.actorId,
        mode: principal.mode,
        scopes: [...principal.scopes].sort(),
      });
    },
  );
}
