/**
 * Schemas of /v1/alerts: the list query, the alert id in paths, an alert and a page of them.
 */
import * as v from "valibot";
import {
  FacilityIdSchema,
  idSchema,
  pageOf,
  paginationQuery,
  VERDICT_STATUSES,
  VerdictStatusSchema,
} from "../../http/schemas";

export const AlertIdParams = v.object({ id: idSchema("alr", "must be an alert id (alr_…)") });

export const AlertListQuery = v.object({
  ...paginationQuery("alr", 25),
  facilityId: v.optional(FacilityIdSchema),
  status: v.optional(v.picklist(VERDICT_STATUSES, `must be one of: ${VERDICT_STATUSES.join(", ")}`)),
  acknowledged: v.optional(
    v.pipe(
      v.picklist(["true", "false"], "must be true or false"),
      v.transform((flag) => flag === "true"),
    ),
  ),
});

const SubjectSchema = v.nullable(v.object({ kind: v.string(), id: v.string() }));

export const AlertSchema = v.object({
  id: v.string(),
  facilityId: v.string(),
  facilityName: v.string(),
  cause: v.string(),
  reason: v.nullable(v.string()),
  detectedAt: v.string(),
  previousVerdictAt: v.string(),
  previousStatus: VerdictStatusSchema,
  status: VerdictStatusSchema,
  changes: v.array(
    v.object({
      ruleId: v.string(),
      citation: v.string(),
      subject: SubjectSchema,
      from: v.nullable(v.string()),
      to: v.nullable(v.string()),
    }),
  ),
  acknowledgedAt: v.nullable(v.string()),
  acknowledgedBy: v.nullable(v.string()),
});

export const AlertPageSchema = pageOf(AlertSchema);
