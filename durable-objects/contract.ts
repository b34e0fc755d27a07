/**
 * What the Worker and the tenant Durable Object exchange over RPC. Plain, structured-clone-
 * able data only.
 */
import { type FacilityInput, type Finding, findingsJson, type Verdict } from "../compliance";

/** The body of a check response (`POST /v1/checks`, `GET /v1/checks/{id}`). */
export type CheckResult = Verdict & {
  id: string;
  asOf: string;
  evaluatedAt: string;
  facilityId: string | null;
};

export interface CheckRecord {
  id: string;
  tenantId: string;
  facilityId: string | null;
  /** USPS state of the facility: checks are metered per state. */
  state: string;
  asOf: string;
  evaluatedAt: string;
  result: CheckResult;
}

/**
 * A check serialised once by the Worker, before it is metered: the same JSON becomes the
 * ledger row, the outbox's payload to Postgres and (its `result`) the response body, so
 * neither the RPC nor the object copies or re-serialises the findings.
 */
export interface CheckText {
  id: string;
  tenantId: string;
  /** USPS state: checks are metered per state. */
  state: string;
  /** The whole CheckRecord as JSON. */
  json: string;
}

/**
 * A check on its way to the ledger over the RPC (`encodeCheck` of a `CheckText`).
 *
 * It travels as UTF-8 bytes, not as text: the findings hold "≤", "≥" and "–", so V8 keeps
 * the text two bytes a character and the RPC would copy twice the bytes, and the object
 * deflates bytes anyway (docs/performance.md, "What moved in the object"). The encoding is
 * metering's cost, so it is made where the meter is called (`TenantMeters.record`), not
 * when the check is serialised.
 */
export interface CheckEntry {
  id: string;
  tenantId: string;
  /** USPS state: checks are metered per state. */
  state: string;
  /** The whole CheckRecord as JSON, UTF-8 encoded. */
  utf8: Uint8Array;
}

export interface RecordCheckInput {
  check: CheckEntry;
  /** The caller's Idempotency-Key; a retry with the same key returns the first check. */
  idempotencyKey?: string | undefined;
  /** Fingerprint of the request body: the same key with a different body is refused. */
  requestHash?: string | undefined;
  /**
   * Set when this object is a regional meter shard (a location hint, ADR 0025): before its
   * first check is answered it registers the region with the tenant's home object, so reads
   * know to merge it.
   */
  meterRegion?: string | undefined;
}

/** What the Worker asks its meters to record: the check as text or already encoded. */
export type MeterCheckInput = Omit<RecordCheckInput, "check"> & { check: CheckText | CheckEntry };

const UTF8 = new TextEncoder();

/** The RPC's form of a check: its JSON as UTF-8 bytes. */
export function encodeCheck(check: CheckText | CheckEntry): CheckEntry {
  if (!("json" in check)) return check;
  return { id: check.id, tenantId: check.tenantId, state: check.state, utf8: UTF8.encode(check.json) };
}

export type RecordCheckOutcome =
  /** The caller already has the check it sent. */
  { kind: "recorded" } | { kind: "replayed"; record: CheckRecord } | { kind: "idempotency_conflict" };

/**
 * Which findings an answer carries. Most findings of a verdict do not apply to the facility
 * (17 of a San Francisco check's 22), so answers carry those that do and a count of the rest
 * unless the caller asks for them (`?include=not_applicable`). The ledger keeps them all.
 */
export interface FindingsView {
  includeNotApplicable: boolean;
}

/** What an answer carries unless the caller asks for more. */
export const DEFAULT_VIEW: FindingsView = { includeNotApplicable: false };

/** The findings `view` shows, and how many not-applicable ones it leaves out. */
export function viewFindings(
  findings: readonly Finding[],
  view: FindingsView,
): { findings: readonly Finding[]; notApplicableCount: number } {
  let notApplicable = 0;
  for (const f of findings) if (f.status === "not_applicable") notApplicable++;
  if (view.includeNotApplicable || notApplicable === 0)
    return { findings, notApplicableCount: notApplicable };
  return {
    findings: findings.filter((f) => f.status !== "not_applicable"),
    notApplicableCount: notApplicable,
  };
}

/** A check result as answered (`view`), or as the ledger stores it (`null`: no count added). */
export function checkResultJson(result: CheckResult, view: FindingsView | null): string {
  const { findings, ...head } = result;
  // The findings go last: most of their text is cached (compliance findingsJson).
  if (view === null) return `${JSON.stringify(head).slice(0, -1)},"findings":${findingsJson(findings)}}`;
  const shown = viewFindings(findings, view);
  const headJson = JSON.stringify({ ...head, notApplicableCount: shown.notApplicableCount });
  return `${headJson.slice(0, -1)},"findings":${findingsJson(shown.findings)}}`;
}

/**
 * Serialises a check for the ledger (every finding) and the response (as `view` asks): the
 * findings' text is cached, so the second serialisation costs little.
 */
export function serializeCheck(
  record: CheckRecord,
  view: FindingsView,
): { entry: CheckText; resultJson: string } {
  const { result, ...header } = record;
  const headerJson = JSON.stringify(header);
  return {
    entry: {
      id: record.id,
      tenantId: record.tenantId,
      state: record.state,
      json: `${headerJson.slice(0, -1)},"result":${checkResultJson(result, null)}}`,
    },
    resultJson: checkResultJson(result, view),
  };
}

/** A stored facility as the DO keeps it, to re-evaluate on deadlines and rule changes. */
export interface FacilitySnapshot {
  facilityId: string;
  facility: FacilityInput;
  verdict: Verdict;
  /** Why this verdict was produced: "created", "updated", "check", "deadline", "rules", "reconciled". */
  cause: string;
  /** When the verdict was produced (ISO 8601), as Postgres records it; absent = now. */
  evaluatedAt?: string | undefined;
}

/** A facility as the object watches it, for reconciliation with Postgres. */
export interface WatchedFacility {
  facilityId: string;
  evaluatedAt: string;
  status: Verdict["status"];
}

/** What reconciliation asks of the object: facilities it missed or holds stale, and deleted ones. */
export interface FacilityReconciliation {
  upsert: { facilityId: string; facility: FacilityInput }[];
  remove: string[];
}

/** A facility's latest verdict as its tenant object holds it, and what produced it. */
export interface FacilityVerdict {
  verdict: Verdict;
  cause: string;
  /** When the verdict was produced (ISO 8601); it was evaluated as of that date (UTC). */
  evaluatedAt: string;
}

/** One finding whose status changed between two verdicts; `null` = the finding is absent. */
export interface DriftChange {
  ruleId: string;
  citation: string;
  subject: Finding["subject"];
  from: Finding["status"] | null;
  to: Finding["status"] | null;
}

/**
 * A facility's verdict changed: the overall status, or a finding's status (keyed by rule
 * and subject). Every drift event is stored as an alert with the same id (`alr_…`).
 */
export interface DriftEvent {
  id: string;
  facilityId: string;
  facilityName: string;
  /** What produced the new verdict: the snapshot's cause, "deadline" or "rules". */
  cause: string;
  /** Free text for rule changes (`reevaluateAll(reason)`), else null. */
  reason: string | null;
  detectedAt: string;
  /** When the verdict this one replaced was stored. */
  previousVerdictAt: string;
  previousStatus: Verdict["status"];
  status: Verdict["status"];
  changes: DriftChange[];
}

export interface Alert extends DriftEvent {
  acknowledgedAt: string | null;
  /** The API key (or user) that acknowledged it. */
  acknowledgedBy: string | null;
}

export interface AlertQuery {
  /** The last alert id of the previous page; pages run newest first. */
  cursor?: string | undefined;
  limit: number;
  facilityId?: string | undefined;
  /** The facility's new status. */
  status?: Verdict["status"] | undefined;
  acknowledged?: boolean | undefined;
  /** Only these facilities' alerts (a principal limited to some locations); absent = all. */
  facilityIds?: readonly string[] | undefined;
}

export interface AlertPage {
  data: Alert[];
  nextCursor: string | null;
}

export type UsageGranularity = "hour" | "day";

/** Counts of one meter shard in [fromMs, toMs), per bucket and state. */
export interface UsageQuery {
  fromMs: number;
  toMs: number;
  granularity: UsageGranularity;
}

export interface UsageRow {
  /** Bucket start, epoch milliseconds (UTC hour or day). */
  bucketMs: number;
  state: string;
  count: number;
}

/**
 * A check Postgres refused (SQLSTATE class 22/23), isolated from its batch and kept in the
 * object that metered it, out of the outbox, for an operator (RUNBOOK.md, "Dead letters").
 */
export interface DeadLetter {
  checkId: string;
  idempotencyKey: string | null;
  /** The CheckRecord's JSON text exactly as it was sent. */
  record: string;
  /** SQLSTATE and message of the refusal. */
  reason: string;
  sqlState: string | null;
  deadLetteredAt: string;
}

export interface DeadLetterPage {
  data: DeadLetter[];
  /** The last check id of this page, to pass as the next page's cursor; null = last page. */
  nextCursor: string | null;
}

/**
 * The name of the one object (of the TenantObject class, never a tenant's) that keeps, for
 * operators, how many dead letters each tenant object holds: objects report their count to
 * it, `GET /v1/status` reads the total.
 */
export const DEAD_LETTER_REGISTRY = "platform:dead-letters";

export interface DeadLetterSummary {
  /** Dead letters across all objects that reported any. */
  total: number;
  /** How many tenants hold any. */
  tenantCount: number;
  /** Tenants holding dead letters, most first (the first `limit` of them). */
  tenants: { tenantId: string; count: number }[];
}

// Rule changes (impact previews, advance notices): the types live with the pure code in
// compliance/rule-changes.ts, so the pipeline shares them without importing this folder.
export type {
  AffectedLocation,
  AnnouncementResult,
  FacilityImpact,
  RuleChangeAnnouncement,
  RuleChangeNotice,
  RuleComparison,
  RuleComparisonResult,
} from "../compliance";
