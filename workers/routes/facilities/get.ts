/**
 * GET /v1/facilities/{id} — one facility. Scope `facilities:read`; another tenant's id is 404.
 */
import { describeRoute } from "hono-openapi";
import { withTenant } from "../../../db/client";
import { loadFacility } from "../../../db/facility-records";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { requireLocation } from "../../middleware/locations";
import { facilityBody } from "../../services/facility-evaluation";
import type { App } from "../index";
import { FacilityIdParams, FacilityResponseSchema } from "./schemas";

export function registerGetFacility(app: App): void {
  app.get(
    "/v1/facilities/:id",
    describeRoute({
      tags: ["Facilities"],
      summary: "Get a facility",
      responses: {
        200: jsonResponse("The facility", FacilityResponseSchema),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticate,
    requireScope("facilities:read"),
    validate("param", FacilityIdParams),
    requireLocation,
    async (c) => {
      const { id } = c.req.valid("param");
      const record = await withTenant(c.get("services").db(), c.get("principal").tenantId, (tx) =>
        loadFacility(tx, id),
      );
      if (!record) throw notFound(`Facility ${id}`);
      return c.json(facilityBody(record));
    },
  );
}
