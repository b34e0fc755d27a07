/**
 * Schemas of /v1/facilities: the stored facility (the check contract's facility object plus
 * its id, status and timestamps), the id in paths and the body of a facility check.
 */
import * as v from "valibot";
import { AsOfSchema, FacilityInputSchema } from "../../../compliance";
import { FacilityIdSchema, paginationQuery, VerdictStatusSchema } from "../../http/schemas";

export const FacilityIdParams = v.object({ id: FacilityIdSchema });

export const FacilityResponseSchema = v.intersect([
  FacilityInputSchema,
  v.object({
    id: v.string(),
    status: v.nullable(VerdictStatusSchema),
    lastCheckedAt: v.nullable(v.string()),
    createdAt: v.string(),
    updatedAt: v.string(),
  }),
]);

export const FacilityCheckRequestSchema = v.object({ asOf: v.optional(AsOfSchema) });

/** GET /v1/facilities: filters and the page. */
export const FacilityListQuery = v.object({
  state: v.optional(
    v.pipe(v.string(), v.toUpperCase(), v.regex(/^[A-Z]{2}$/, "must be a two-letter USPS state code")),
  ),
  status: v.optional(VerdictStatusSchema),
  ...paginationQuery("fac", 50),
});

/** GET /v1/facilities/{id}/checks: the page of the facility's check history. */
export const FacilityHistoryQuery = v.object({ ...paginationQuery("chk", 20) });
