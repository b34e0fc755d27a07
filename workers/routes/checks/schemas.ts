/**
 * Schemas of /v1/checks: the check request, the verdict (also answered by
 * POST /v1/facilities/{id}/checks) and the summary of a past check in a facility's history.
 */
import * as v from "valibot";
import { AsOfSchema, FacilityInputSchema } from "../../../compliance";
import { idSchema, VerdictStatusSchema } from "../../http/schemas";

export const CheckRequestSchema = v.object({
  asOf: v.optional(AsOfSchema),
  facility: FacilityInputSchema,
});

/** `?include=not_applicable` adds the findings that do not apply; by default answers leave them out. */
export const FindingsQuery = v.object({
  include: v.optional(
    v.picklist(
      ["not_applicable"],
      'must be "not_applicable" (add the findings that do not apply to the facility)',
    ),
  ),
});

export const CheckIdParams = v.object({ id: idSchema("chk", "must be a check id (chk_…)") });

const FindingSchema = v.object({
  ruleId: v.string(),
  jurisdiction: v.string(),
  status: v.picklist(["pass", "warn", "fail", "not_applicable"]),
  severity: v.picklist(["critical", "major", "minor"]),
  title: v.string(),
  citation: v.string(),
  message: v.string(),
  subject: v.nullable(
    v.object({ kind: v.picklist(["staff", "permit", "facility", "temperatureLog"]), id: v.string() }),
  ),
  dueBy: v.nullable(v.string()),
  /**
   * When to start renewing (or obtaining) the finding's credential or permit to be covered in
   * time: `dueBy` (else `validThrough`) minus the renewal lead time where the facility stands
   * (the datasets' lead times). Null when there is no such date.
   */
  startBy: v.nullable(v.string()),
  /** The last valid day of the credential or permit found current; null when none, or it never expires. */
  validThrough: v.nullable(v.string()),
  verified: v.boolean(),
  /** Present when a manual override (docs/data-pipeline.md) produced the rule. */
  override: v.optional(v.object({ id: v.string(), reason: v.string() })),
});

/** What the engine answers for a facility at a date, whatever asked for it. */
export const VerdictSchema = v.object({
  status: VerdictStatusSchema,
  jurisdictions: v.array(v.string()),
  datasets: v.array(v.object({ jurisdiction: v.string(), version: v.string() })),
  findings: v.array(FindingSchema),
  nextDeadline: v.nullable(v.object({ date: v.string(), ruleId: v.string(), subject: v.unknown() })),
  reevaluateAt: v.nullable(v.string()),
  /** The narrowest level whose rules were evaluated; "state" means no local rules are checked. */
  coverage: v.nullable(v.picklist(["federal", "state", "county", "city"])),
  /** The address's ZIP code spans counties the address does not settle: county rules were not checked. */
  countyAmbiguity: v.optional(
    v.object({ postalCode: v.string(), counties: v.array(v.string()), detail: v.string() }),
  ),
});

/**
 * How many of the verdict's findings are `not_applicable`; they are in `findings` only with
 * `?include=not_applicable`.
 */
export const NotApplicableCount = v.pipe(v.number(), v.integer(), v.minValue(0));

export const CheckResultSchema = v.object({
  id: v.string(),
  asOf: v.string(),
  evaluatedAt: v.string(),
  facilityId: v.nullable(v.string()),
  ...VerdictSchema.entries,
  notApplicableCount: NotApplicableCount,
});

/** One past check of a facility, newest first in lists; GET /v1/checks/{id} has the whole verdict. */
export const CheckSummarySchema = v.object({
  id: v.string(),
  asOf: v.string(),
  evaluatedAt: v.string(),
  status: VerdictStatusSchema,
  failing: v.number(),
});
