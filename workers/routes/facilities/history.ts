/**
 * GET /v1/facilities/{id}/checks — the facility's check history, newest first, with cursor
 * pagination. Scope `checks:read` (or `checks:write`); managers only for their locations.
 */
import { eq } from "drizzle-orm";
import { describeRoute } from "hono-openapi";
import { listFacilityChecks } from "../../../db/check-history";
import { withTenantRead } from "../../../db/client";
import { facilities } from "../../../db/schema";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { pageOf } from "../../http/schemas";
import { validate } from "../../http/validation";
import { authenticate, requireAnyScope } from "../../middleware/auth";
import { requireLocation } from "../../middleware/locations";
import { CheckSummarySchema } from "../checks/schemas";
import type { App } from "../index";
import { FacilityHistoryQuery, FacilityIdParams } from "./schemas";

export function registerFacilityHistory(app: App): void {
  app.get(
    "/v1/facilities/:id/checks",
    describeRoute({
      tags: ["Checks", "Facilities"],
      summary: "A facility's check history",
      responses: {
        200: jsonResponse("A page of past checks", pageOf(CheckSummarySchema)),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticate,
    requireAnyScope("checks:read", "checks:write"),
    validate("param", FacilityIdParams),
    requireLocation,
    validate("query", FacilityHistoryQuery),
    async (c) => {
      const principal = c.get("principal");
      const { id } = c.req.valid("param");
      const query = c.req.valid("query");
      const page = await withTenantRead(c.get("services").db(), principal.tenantId, async (tx) => {
        const [exists] = await tx.select({ id: facilities.id }).from(facilities).where(eq(facilities.id, id));
        if (!exists) throw notFound(`Facility ${id}`);
        return listFacilityChecks(tx, id, { before: query.cursor, limit: Number(query.limit) });
      });
      return c.json(page);
    },
  );
}
