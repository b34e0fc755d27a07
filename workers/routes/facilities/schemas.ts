/**
 * Schemas of /v1/facilities: the stored facility (the check contract's facility object plus
 * its id, status and timestamps), the id in paths and the body of a facility check.
 */
import * as v from "valibot";
import { AsOfSchema, FacilityInputSchema } from "../../../compliance";
import { FacilityIdSchema, paginationQuery, VerdictStatusSchema } from "../../http/schemas";
import { NotApplicableCount, VerdictSchema } from "../checks/schemas";

/** What produced a facility's latest verdict (docs/tenant-object.md). */
export const FACILITY_VERDICT_CAUSES = [
  "created",
  "updated",
  "check",
  "deadline",
  "rules",
  "reconciled",
] as const;

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

/**
 * GET /v1/facilities/{id}/verdict: the facility's latest verdict (the one behind its status),
 * what produced it, and when. Not a check: nothing is metered.
 */
export const FacilityVerdictSchema = v.object({
  facilityId: v.string(),
  asOf: v.string(),
  evaluatedAt: v.string(),
  cause: v.picklist(FACILITY_VERDICT_CAUSES),
  ...VerdictSchema.entries,
  notApplicableCount: NotApplicableCount,
});

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
