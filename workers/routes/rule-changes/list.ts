/**
 * GET /v1/rule-changes — rule changes ahead for the tenant's locations: each coming change
 * (a rule of a newly activated dataset version that takes effect on a later date) with the
 * locations it will break and what to do by then, from the tenant's object
 * (durable-objects/rule-changes.ts). Notices stay listed through their effective date; after
 * it, drift alerts take over. Scope `facilities:read`; a manager sees only their locations.
 */
import { describeRoute } from "hono-openapi";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { listOf } from "../../http/schemas";
import { authenticate, requireScope } from "../../middleware/auth";
import { visibleFacilities } from "../alerts/shared";
import type { App } from "../index";
import { RuleChangeSchema } from "./schemas";

export function registerListRuleChanges(app: App): void {
  app.get(
    "/v1/rule-changes",
    describeRoute({
      tags: ["Facilities"],
      summary: "Rule changes ahead and the locations they will break",
      responses: {
        200: jsonResponse("Upcoming rule changes, earliest first", listOf(RuleChangeSchema)),
        ...problemResponses(401, 403),
      },
    }),
    authenticate,
    requireScope("facilities:read"),
    async (c) => {
      const principal = c.get("principal");
      const notices = await c
        .get("services")
        .tenant(principal.tenantId)
        .listRuleChanges({ facilityIds: visibleFacilities(principal) });
      return c.json({ data: notices });
    },
  );
}
