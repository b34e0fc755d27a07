/**
 * Schemas of the platform admin API (/v1/admin/*): datasets, their versions and diff report,
 * manual overrides and refresh runs. The dataset source's schema stays in dataset-source.ts:
 * its URL rule lives in pipeline/sources.ts.
 */
import * as v from "valibot";
import { AsOfSchema } from "../../../compliance/index";
import { idSchema, OcdIdParamSchema } from "../../http/schemas";

/** OCD ids contain slashes: they are accepted raw or percent-encoded, as in /v1/jurisdictions. */
export const OcdIdSchema = v.pipe(v.string(), v.transform(decodeURIComponent), OcdIdParamSchema);

export const JurisdictionParams = v.object({ ocdId: OcdIdSchema });

export const VersionParams = v.object({
  ocdId: OcdIdSchema,
  versionId: idSchema("dsv", "must be a version id dsv_…"),
});

export const VersionListSchema = v.object({ data: v.array(v.unknown()) });

export const ReviewSchema = v.object({ versionId: v.string(), status: v.string() });

export const DiffQuery = v.object({
  from: v.optional(v.pipe(v.string(), v.maxLength(40))),
  to: v.optional(v.pipe(v.string(), v.maxLength(40))),
  asOf: v.optional(AsOfSchema),
  format: v.optional(v.picklist(["json", "markdown"], "must be json or markdown"), "json"),
});

/** Today (UTC) as YYYY-MM-DD: the default `effectiveFrom` of an override. */
export const today = () => new Date().toISOString().slice(0, 10);

export const CreateOverrideSchema = v.pipe(
  v.object({
    jurisdiction: OcdIdSchema,
    action: v.picklist(["replace", "add"], "must be replace or add"),
    ruleId: v.pipe(
      v.string(),
      v.regex(/^[A-Z0-9][A-Z0-9-]{0,59}$/, "must be a rule id (upper-case letters, digits, dashes)"),
    ),
    /** replace: the fields to replace; add: the whole rule. */
    rule: v.record(v.string(), v.unknown()),
    reason: v.pipe(v.string(), v.trim(), v.minLength(1, "must say why"), v.maxLength(2000)),
    effectiveFrom: v.optional(AsOfSchema),
    expiresAt: AsOfSchema,
  }),
  v.forward(
    v.partialCheck(
      [["effectiveFrom"], ["expiresAt"]],
      (o) => o.expiresAt > (o.effectiveFrom ?? today()) && o.expiresAt > today(),
      "must be after effectiveFrom and in the future",
    ),
    ["expiresAt"],
  ),
);

export const OverrideListQuery = v.object({
  jurisdiction: v.optional(OcdIdSchema),
  status: v.optional(v.picklist(["pending", "approved", "rejected", "revoked"])),
});

export const OverrideIdParams = v.object({ id: idSchema("ovr", "must be an override id ovr_…") });

export const RefreshSchema = v.object({
  jurisdictions: v.optional(v.pipe(v.array(OcdIdSchema), v.minLength(1), v.maxLength(100))),
});

export const RunParams = v.object({ runId: idSchema("run", "must be a run id run_…") });
