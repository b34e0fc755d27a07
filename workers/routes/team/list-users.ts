/**
 * GET /v1/users — the team: every member with their role, locations and groups. Scope
 * `team:read`.
 */
import { describeRoute } from "hono-openapi";
import { withTenant } from "../../../db/client";
import { listUsers } from "../../../db/users";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { listOf } from "../../http/schemas";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { TeamMemberSchema } from "./schemas";

export function registerListUsers(app: App): void {
  app.get(
    "/v1/users",
    describeRoute({
      tags: ["Team"],
      summary: "List the team",
      responses: {
        200: jsonResponse("Team members", listOf(TeamMemberSchema)),
        ...problemResponses(401, 403),
      },
    }),
    authenticate,
    requireScope("team:read"),
    async (c) => {
      const data = await withTenant(c.get("services").db(), c.get("principal").tenantId, listUsers);
      return c.json({ data });
    },
  );
}
