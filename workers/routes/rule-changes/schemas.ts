/**
 * Schemas of /v1/rule-changes: a rule change ahead and the tenant's locations it will break.
 */
import * as v from "valibot";
import { VerdictStatusSchema } from "../../http/schemas";

export const RuleChangeSchema = v.object({
  id: v.string(),
  jurisdiction: v.string(),
  versionId: v.string(),
  ruleId: v.string(),
  title: v.string(),
  citation: v.string(),
  effectiveFrom: v.string(),
  summary: v.string(),
  affected: v.array(
    v.object({
      facilityId: v.string(),
      facilityName: v.string(),
      from: VerdictStatusSchema,
      to: VerdictStatusSchema,
      actions: v.array(v.string()),
    }),
  ),
  createdAt: v.string(),
});
