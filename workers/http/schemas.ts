/**
 * Request and response schemas shared by several routes (valibot: validation, types and
 * the OpenAPI document from one definition).
 */
import * as v from "valibot";
import { AsOfSchema, FacilityInputSchema } from "../../compliance";

export const IdempotencyKeyHeader = v.object({
  "idempotency-key": v.optional(
    v.pipe(v.string(), v.regex(/^[\x21-\x7e]{1,255}$/, "must be 1–255 visible ASCII characters")),
  ),
});

export const CheckRequestSchema = v.object({
  asOf: v.optional(AsOfSchema),
  facility: FacilityInputSchema,
});

export const FacilityCheckRequestSchema = v.object({ asOf: v.optional(AsOfSchema) });

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
  verified: v.boolean(),
  /** Present when a manual override (docs/data-pipeline.md) produced the rule. */
  override: v.optional(v.object({ id: v.string(), reason: v.string() })),
});

export const CheckResultSchema = v.object({
  id: v.string(),
  asOf: v.string(),
  evaluatedAt: v.string(),
  facilityId: v.nullable(v.string()),
  status: v.picklist(["compliant", "at_risk", "non_compliant"]),
  jurisdictions: v.array(v.string()),
  datasets: v.array(v.object({ jurisdiction: v.string(), version: v.string() })),
  findings: v.array(FindingSchema),
  nextDeadline: v.nullable(v.object({ date: v.string(), ruleId: v.string(), subject: v.unknown() })),
  reevaluateAt: v.nullable(v.string()),
  /** The narrowest level whose rules were evaluated; "state" means no local rules are checked. */
  coverage: v.nullable(v.picklist(["federal", "state", "county", "city"])),
});

export const FacilityIdParams = v.object({
  id: v.pipe(v.string(), v.regex(/^fac_[0-9A-Z]{26}$/, "must be a facility id (fac_…)")),
});

export const FacilityResponseSchema = v.intersect([
  FacilityInputSchema,
  v.object({
    id: v.string(),
    status: v.nullable(v.picklist(["compliant", "at_risk", "non_compliant"])),
    lastCheckedAt: v.nullable(v.string()),
    createdAt: v.string(),
    updatedAt: v.string(),
  }),
]);

/**
 * `cursor` (the previous page's `nextCursor`: an id with `idPrefix`) and `limit` (1–100) for
 * list routes; spread into a route's query schema.
 */
export function paginationQuery(idPrefix: string, defaultLimit: number) {
  return {
    cursor: v.optional(
      v.pipe(
        v.string(),
        v.regex(new RegExp(`^${idPrefix}_[0-9A-Z]{26}$`), "must be the nextCursor of a previous page"),
      ),
    ),
    limit: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^\d{1,3}$/, "must be a whole number from 1 to 100"),
        v.transform(Number),
        v.minValue(1, "must be a whole number from 1 to 100"),
        v.maxValue(100, "must be a whole number from 1 to 100"),
      ),
      String(defaultLimit),
    ),
  };
}
