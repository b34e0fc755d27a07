/**
 * GET /v1/groups — the tenant's location groups (regions, brands) with their facilities.
 * Scope `facilities:read`.
 */
import { describeRoute } from "hono-openapi";
import { withTenantRead } from "../../../db/client";
import { listGroups } from "../../../db/groups";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { listOf } from "../../http/schemas";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { GroupSchema } from "./schemas";

export function registerListGroups(app: App): void {
  app.get(
    "/v1/groups",
    describeRoute({
      tags: ["Facilities"],
      summary: "List location groups",
      responses: { 200: jsonResponse("Groups", listOf(GroupSchema)), ...problemResponses(401, 403) },
    }),
    authenticate,
    requireScope("facilities:read"),
    async (c) => {
      const data = await withTenantRead(c.get("services").db(), c.get("principal").tenantId, listGroups);
      return c.json({ data });
    },
  );
}
