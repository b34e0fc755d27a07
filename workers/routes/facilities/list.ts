/**
 * GET /v1/facilities — the tenant's facilities, oldest first, with cursor pagination and
 * filters by state and status. Scope `facilities:read`.
 */
import { createFactory } from "hono/factory";
import { describeRoute } from "hono-openapi";
import { withTenantRead } from "../../../db/client";
import { listFacilities } from "../../../db/facility-records";
import type { AppEnv } from "../../context";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { pageOf } from "../../http/schemas";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { facilityBody } from "../../services/facility-evaluation";
import type { App } from "../index";
import { FacilityListQuery, FacilityResponseSchema } from "./schemas";

export function registerListFacilities(app: App): void {
  app.get(
    "/v1/facilities",
    describeRoute({
      tags: ["Facilities"],
      summary: "List facilities",
      responses: {
        200: jsonResponse("A page of facilities", pageOf(FacilityResponseSchema)),
        ...problemResponses(401, 403, 422),
      },
    }),
    authenticate,
    requireScope("facilities:read"),
    ...listFacilitiesOfTenant,
  );
}

/** The listing once the caller is authenticated and holds the scope: also the partner API's. */
export const listFacilitiesOfTenant = createFactory<AppEnv>().createHandlers(
  validate("query", FacilityListQuery),
  async (c) => {
    const query = c.req.valid("query");
    const principal = c.get("principal");
    const page = await withTenantRead(c.get("services").db(), principal.tenantId, (tx) =>
      listFacilities(tx, {
        state: query.state,
        status: query.status,
        after: query.cursor,
        limit: Number(query.limit),
        // A manager lists only their locations.
        ids: principal.locations ? [...principal.locations] : undefined,
      }),
    );
    return c.json({ data: page.data.map(facilityBody), nextCursor: page.nextCursor });
  },
);
