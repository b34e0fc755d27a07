/**
 * GET /v1/alerts — the tenant's alerts (each drift event of its facilities: a verdict that
 * changed, from its TenantObject), newest first, with cursor pagination and filters by
 * facility, status and acknowledgement. Scope `alerts:read`; a manager sees only their
 * locations' alerts.
 */
import { describeRoute } from "hono-openapi";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { AlertListQuery, AlertPageSchema } from "./schemas";
import { visibleFacilities } from "./shared";

export function registerListAlerts(app: App): void {
  app.get(
    "/v1/alerts",
    describeRoute({
      tags: ["Alerts"],
      summary: "List alerts (facility verdicts that changed), newest first",
      responses: {
        200: jsonResponse("A page of alerts", AlertPageSchema),
        ...problemResponses(401, 403, 422),
      },
    }),
    authenticate,
    requireScope("alerts:read"),
    validate("query", AlertListQuery),
    async (c) => {
      const principal = c.get("principal");
      const tenant = c.get("services").tenant(principal.tenantId);
      return c.json(
        await tenant.listAlerts({ ...c.req.valid("query"), facilityIds: visibleFacilities(principal) }),
      );
    },
  );
}
