/**
 * Schemas of /v1/exports (evidence exports), their share links and the export schedule.
 */
import * as v from "valibot";
import { DateSchema } from "../../../compliance";
import { EmailSchema, FacilityIdSchema, idSchema, paginationQuery } from "../../http/schemas";

/** The most locations one request may name (a tenant's every location: omit facilityIds). */
export const MAX_EXPORT_FACILITIES = 1000;
/** The longest period one export covers: a year (bounded work per location; bench/evidence.ts). */
export const MAX_EXPORT_DAYS = 366;
/** The longest a share link may live. */
export const MAX_SHARE_DAYS = 90;

const dayNumber = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / 86_400_000);
const today = () => new Date().toISOString().slice(0, 10);

export const CreateExportSchema = v.pipe(
  v.strictObject({
    facilityIds: v.optional(
      v.pipe(
        v.array(FacilityIdSchema, "must be an array of facility ids"),
        v.minLength(1, "must name at least one facility (omit it for all)"),
        v.maxLength(MAX_EXPORT_FACILITIES, `must name at most ${MAX_EXPORT_FACILITIES} facilities`),
        v.check((ids) => new Set(ids).size === ids.length, "must not name a facility twice"),
      ),
    ),
    from: v.optional(DateSchema),
    to: v.optional(DateSchema),
  }),
  v.forward(
    v.partialCheck(
      [["to"]],
      ({ to }) => to === undefined || to <= today(),
      "must not be after today (UTC): there is no evidence of the future",
    ),
    ["to"],
  ),
  v.forward(
    v.partialCheck(
      [["from"], ["to"]],
      ({ from, to }) => from === undefined || from <= (to ?? today()),
      "must not be after to",
    ),
    ["from"],
  ),
  v.forward(
    v.partialCheck(
      [["from"], ["to"]],
      ({ from, to }) => from === undefined || dayNumber(to ?? today()) - dayNumber(from) < MAX_EXPORT_DAYS,
      `must be at most ${MAX_EXPORT_DAYS} days before to`,
    ),
    ["from"],
  ),
);

export const ExportIdParams = v.object({ id: idSchema("exp", "must be an export id (exp_…)") });
export const ExportFileParams = v.object({
  id: idSchema("exp", "must be an export id (exp_…)"),
  name: v.pipe(v.string(), v.maxLength(200), v.regex(/^[A-Za-z0-9._/-]+$/, "must be a file of the export")),
});
export const ShareParams = v.object({
  id: idSchema("exp", "must be an export id (exp_…)"),
  shareId: idSchema("shr", "must be a share link id (shr_…)"),
});
export const ExportListQuery = v.object(paginationQuery("exp", 20));

export const ExportFileSchema = v.object({
  name: v.string(),
  contentType: v.string(),
  size: v.number(),
  sha256: v.string(),
  /** Downloads the file with the same credentials. */
  url: v.string(),
});

export const ExportSchema = v.object({
  id: v.string(),
  status: v.picklist(["queued", "running", "ready", "failed"]),
  trigger: v.picklist(["manual", "scheduled"]),
  facilityIds: v.array(v.string()),
  allFacilities: v.boolean(),
  from: v.string(),
  to: v.string(),
  createdBy: v.string(),
  createdAt: v.string(),
  startedAt: v.nullable(v.string()),
  finishedAt: v.nullable(v.string()),
  progress: v.object({ locationsDone: v.number(), locationsTotal: v.number() }),
  error: v.nullable(v.string()),
  files: v.array(ExportFileSchema),
  /** SHA-256 of manifest.json (what `npx prep evidence verify` checks the signature over). */
  manifestSha256: v.nullable(v.string()),
});

const ShareExpirySchema = v.pipe(
  v.string(),
  v.isoTimestamp("must be an RFC 3339 timestamp, e.g. 2027-01-31T23:59:59Z"),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const at = Date.parse(dataset.value);
    if (Number.isNaN(at)) addIssue({ message: "must be a real date and time" });
    else if (at <= Date.now()) addIssue({ message: "must be in the future" });
    else if (at > Date.now() + MAX_SHARE_DAYS * 86_400_000)
      addIssue({ message: `must be at most ${MAX_SHARE_DAYS} days ahead` });
  }),
  v.transform((at) => new Date(at).toISOString()),
);

export const CreateShareSchema = v.strictObject({
  expiresAt: ShareExpirySchema,
  /** The auditor the link is for (recorded and shown; the link itself is the credential). */
  email: v.optional(v.nullable(EmailSchema)),
});

export const ShareAccessSchema = v.object({
  at: v.string(),
  ip: v.nullable(v.string()),
  userAgent: v.nullable(v.string()),
  resource: v.string(),
  outcome: v.picklist(["granted", "expired", "revoked"]),
});

export const ShareLinkSchema = v.object({
  id: v.string(),
  exportId: v.string(),
  email: v.nullable(v.string()),
  createdBy: v.string(),
  createdAt: v.string(),
  expiresAt: v.string(),
  revokedAt: v.nullable(v.string()),
  revokedBy: v.nullable(v.string()),
  status: v.picklist(["active", "expired", "revoked"]),
  accessCount: v.number(),
  /** The latest 100 accesses, newest first. */
  accesses: v.array(ShareAccessSchema),
});

export const CreatedShareSchema = v.object({
  ...ShareLinkSchema.entries,
  /** The link to give the auditor; shown once (only its token's hash is stored). */
  url: v.string(),
});

export const ScheduleSchema = v.object({
  cadence: v.picklist(["monthly", "quarterly"]),
  facilityIds: v.nullable(v.array(v.string())),
  createdBy: v.string(),
  updatedAt: v.string(),
  /** The first day of the last period an export was queued for. */
  lastPeriodFrom: v.nullable(v.string()),
});

export const PutScheduleSchema = v.strictObject({
  cadence: v.picklist(["monthly", "quarterly"], "must be monthly or quarterly"),
  facilityIds: v.optional(
    v.nullable(
      v.pipe(
        v.array(FacilityIdSchema, "must be an array of facility ids"),
        v.minLength(1, "must name at least one facility (null for all)"),
        v.maxLength(MAX_EXPORT_FACILITIES, `must name at most ${MAX_EXPORT_FACILITIES} facilities`),
        v.check((ids) => new Set(ids).size === ids.length, "must not name a facility twice"),
      ),
    ),
  ),
});
