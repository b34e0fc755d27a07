/**
 * Schemas of the platform admin API (/v1/admin/*): datasets, their versions and diff report,
 * proposed source changes, manual overrides and refresh runs. The dataset source's schema stays in dataset-source.ts:
 * its URL rule lives in pipeline/sources.ts.
 */
import * as v from "valibot";
import { isStorableText, storableString } from "../../../compliance";
import { AsOfSchema } from "../../../compliance/index";
import { idSchema, OcdIdParamSchema, paginationQuery } from "../../http/schemas";

/** decodeURIComponent throws on a malformed escape ("%ZZ", "%C0%AF"): such an id is invalid, not an error. */
function decodesCleanly(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/** OCD ids contain slashes: they are accepted raw or percent-encoded, as in /v1/jurisdictions. */
export const OcdIdSchema = v.pipe(
  v.string(),
  v.check(decodesCleanly, "must be an OCD division id"),
  v.transform(decodeURIComponent),
  OcdIdParamSchema,
);

export const JurisdictionParams = v.object({ ocdId: OcdIdSchema });

export const VersionParams = v.object({
  ocdId: OcdIdSchema,
  versionId: idSchema("dsv", "must be a version id dsv_…"),
});

export const VersionListSchema = v.object({ data: v.array(v.unknown()) });

export const ReviewSchema = v.object({ versionId: v.string(), status: v.string() });

export const DiffQuery = v.object({
  from: v.optional(v.pipe(storableString(), v.maxLength(40))),
  to: v.optional(v.pipe(storableString(), v.maxLength(40))),
  asOf: v.optional(AsOfSchema),
  format: v.optional(v.picklist(["json", "markdown"], "must be json or markdown"), "json"),
});

/** Every key and string in a JSON value is storable text (jsonb refuses U+0000). Iterative: safe at any depth. */
function isStorableJson(value: unknown): boolean {
  const pending: unknown[] = [value];
  for (let node = pending.pop(); pending.length > 0 || node !== undefined; node = pending.pop()) {
    if (typeof node === "string") {
      if (!isStorableText(node)) return false;
    } else if (node !== null && typeof node === "object") {
      for (const [key, child] of Object.entries(node)) {
        if (!isStorableText(key)) return false;
        pending.push(child);
      }
    }
  }
  return true;
}

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
    rule: v.pipe(
      v.record(v.string(), v.unknown()),
      v.check(
        (rule: Record<string, unknown>) => isStorableJson(rule),
        "must not contain U+0000 or unpaired UTF-16 surrogates in any key or string",
      ),
    ),
    reason: v.pipe(storableString(), v.trim(), v.minLength(1, "must say why"), v.maxLength(2000)),
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

export const SourceChangeIdParams = v.object({
  id: idSchema("dsc", "must be a source change id dsc_…"),
});

export const SourceChangeListQuery = v.object({
  jurisdiction: v.optional(OcdIdSchema),
  status: v.optional(v.picklist(["pending", "approved", "rejected"])),
});

export const SourceChangeSchema = v.object({
  id: v.string(),
  jurisdiction: v.string(),
  sourceUrl: v.string(),
  trusted: v.boolean(),
  status: v.picklist(["pending", "approved", "rejected"]),
  createdBy: v.string(),
  createdAt: v.string(),
  decidedBy: v.nullable(v.string()),
  decidedAt: v.nullable(v.string()),
});

export const RefreshSchema = v.object({
  jurisdictions: v.optional(v.pipe(v.array(OcdIdSchema), v.minLength(1), v.maxLength(100))),
});

export const RunParams = v.object({ runId: idSchema("run", "must be a run id run_…") });

/** A tenant in the admin dead-letter paths. */
export const TenantParams = v.object({
  tenantId: v.pipe(v.string(), v.regex(/^ten_[0-9A-Z]{26}$/, "must be a tenant id ten_…")),
});
/** Any id a dead letter may carry (a refused record need not have a well-formed one). */
const DeadLetterIdSchema = v.pipe(v.string(), v.regex(/^[\x21-\x7e]{1,200}$/, "must be a check id"));
export const DeadLetterParams = v.object({ ...TenantParams.entries, checkId: DeadLetterIdSchema });
export const DeadLetterListQuery = v.object({
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, "must be 1–500"),
      v.transform(Number),
      v.minValue(1, "must be 1–500"),
      v.maxValue(500, "must be 1–500"),
    ),
    "50",
  ),
  cursor: v.optional(DeadLetterIdSchema),
});

export const DeadLetterSchema = v.object({
  checkId: v.string(),
  idempotencyKey: v.nullable(v.string()),
  record: v.string(),
  reason: v.string(),
  sqlState: v.nullable(v.string()),
  deadLetteredAt: v.string(),
  /** The meter shard holding it: its number, and its region (null: the tenant's home shards; ADR 0025). */
  shard: v.number(),
  region: v.nullable(v.string()),
});

export const DeadLetterSummarySchema = v.object({
  total: v.number(),
  tenantCount: v.number(),
  tenants: v.array(v.object({ tenantId: v.string(), count: v.number() })),
});

// ---- Source watchers' review queue (docs/data-pipeline.md "Source watchers") ----

export const ReviewIdParams = v.object({ id: idSchema("srv", "must be a review item id srv_…") });

export const ReviewListQuery = v.object({
  ...paginationQuery("srv", 20),
  status: v.optional(v.picklist(["open", "resolved"], "must be open or resolved")),
});

const ReviewNote = v.pipe(
  storableString(),
  v.trim(),
  v.minLength(1, "must say what was done"),
  v.maxLength(2000),
);

/** Which dataset version addressed the change, or that none was needed; a note either way. */
export const ResolveReviewBody = v.variant(
  "resolution",
  [
    v.object({
      resolution: v.literal("dataset_version"),
      datasetVersionId: idSchema("dsv", "must be a dataset version id dsv_…"),
      note: ReviewNote,
    }),
    v.object({ resolution: v.literal("no_change_needed"), note: ReviewNote }),
  ],
  "must be dataset_version (with datasetVersionId) or no_change_needed",
);

export const SourceReviewSchema = v.object({
  id: v.string(),
  status: v.picklist(["open", "resolved"]),
  source: v.object({ id: v.string(), kind: v.string(), title: v.string(), url: v.string() }),
  /** The datasets and rule ids that cite the source. */
  datasets: v.array(v.string()),
  rules: v.array(v.string()),
  /** Unified diff of the source's normalised text, from what was last reviewed to now. */
  diff: v.string(),
  fromHash: v.string(),
  toHash: v.string(),
  /** Changes this item covers (a change while it is open updates it). */
  changes: v.number(),
  openedAt: v.string(),
  updatedAt: v.string(),
  /** Whether it has waited beyond the review SLA (the datasets it cites then count as stale). */
  overdue: v.boolean(),
  resolvedAt: v.nullable(v.string()),
  resolvedBy: v.nullable(v.string()),
  resolution: v.nullable(v.picklist(["dataset_version", "no_change_needed"])),
  datasetVersionId: v.nullable(v.string()),
  note: v.nullable(v.string()),
});
