/**
 * Rule changes seen from inside the tenant's object, from its stored facility inputs:
 *
 * - `compareFacilities`: every facility standing under a jurisdiction evaluated under the rules
 *   in force and under a candidate (a pending version, an override), at the dates the
 *   candidate changes things — the impact preview's per-tenant part. Nothing is stored.
 * - `buildNotices` + `NoticeStore`: when a version whose rules change on a later date becomes
 *   active, which of the tenant's locations each coming change will break and what to do by
 *   then — kept here and answered by GET /v1/rule-changes until the date passes (drift then
 *   raises the alerts as for any rule change).
 *
 * Tenant data (names, staff, messages) stays in the notices the tenant reads; what leaves
 * for platform admins (`FacilityImpact`) carries ids, statuses and rule ids only.
 */
import {
  compileDataset,
  type Dataset,
  findingChanges,
  type RuleChangeAhead,
  resolveJurisdictions,
  type Verdict,
} from "../compliance";
import { newId } from "../db/ids";
import type { LoadedDataset } from "../runtime/dataset-registry";
import { evaluateFacility } from "../runtime/evaluation";
import type {
  AffectedLocation,
  AnnouncementResult,
  FacilityImpact,
  RuleChangeAnnouncement,
  RuleChangeNotice,
  RuleComparison,
  RuleComparisonResult,
} from "./contract";
import type { StoredFacility } from "./facility-store";

type Datasets = ReadonlyMap<string, LoadedDataset>;

/** The loaded datasets with `jurisdiction`'s layer replaced by `dataset` (null: removed). */
function withLayer(datasets: Datasets, jurisdiction: string, dataset: Dataset | null): Datasets {
  const layers = new Map(datasets);
  if (!dataset) layers.delete(jurisdiction);
  else
    layers.set(jurisdiction, {
      jurisdiction,
      versionId: "candidate",
      dataset,
      compiled: compileDataset(dataset),
      lastRefreshedAt: null,
    });
  return layers;
}

function standsUnder(stored: StoredFacility, jurisdiction: string): boolean {
  const resolved = resolveJurisdictions(stored.facility.address);
  return resolved.ok && resolved.jurisdictions.includes(jurisdiction);
}

interface Compared {
  before: Verdict;
  after: Verdict;
  impact: FacilityImpact;
}

/** The facility's verdicts at `asOf` under both rule sets, or null when they agree (or either cannot evaluate it). */
function compareAt(stored: StoredFacility, asOf: string, before: Datasets, after: Datasets): Compared | null {
  const a = evaluateFacility(stored.facility, asOf, before);
  const b = evaluateFacility(stored.facility, asOf, after);
  if (!a.covered || !b.covered) return null;
  const findings = findingChanges(a.verdict, b.verdict);
  if (findings.length === 0 && a.verdict.status === b.verdict.status) return null;
  return {
    before: a.verdict,
    after: b.verdict,
    impact: { facilityId: stored.facilityId, asOf, from: a.verdict.status, to: b.verdict.status, findings },
  };
}

export function compareFacilities(
  facilities: readonly StoredFacility[],
  datasets: Datasets,
  input: RuleComparison,
): RuleComparisonResult {
  const before = withLayer(datasets, input.jurisdiction, input.before);
  const after = withLayer(datasets, input.jurisdiction, input.after);
  const changes: FacilityImpact[] = [];
  let evaluated = 0;
  for (const stored of facilities) {
    if (!standsUnder(stored, input.jurisdiction)) continue;
    evaluated++;
    for (const date of input.dates) {
      const compared = compareAt(stored, date, before, after);
      if (compared) {
        changes.push(compared.impact);
        break;
      }
    }
  }
  return { evaluated, changes };
}

const BREAKS = new Set(["fail", "warn"]);

/** The locations `change` breaks on its date, with what each must do by then. */
function affectedBy(
  change: RuleChangeAhead,
  compared: readonly (Compared & { name: string })[],
): AffectedLocation[] {
  const affected: AffectedLocation[] = [];
  for (const c of compared) {
    const breaks = c.impact.findings.some(
      (f) => f.ruleId === change.ruleId && f.to !== null && BREAKS.has(f.to),
    );
    if (!breaks) continue;
    const actions = c.after.findings
      .filter((f) => f.ruleId === change.ruleId && BREAKS.has(f.status))
      .map((f) => f.message);
    affected.push({
      facilityId: c.impact.facilityId,
      facilityName: c.name,
      from: c.before.status,
      to: c.after.status,
      actions: [...new Set(actions)],
    });
  }
  return affected;
}

/** The notices an announcement makes for these facilities: one per change that breaks at least one location. */
export function buildNotices(
  facilities: readonly StoredFacility[],
  datasets: Datasets,
  announcement: RuleChangeAnnouncement,
): Omit<RuleChangeNotice, "id" | "createdAt">[] {
  const before = withLayer(datasets, announcement.jurisdiction, announcement.before);
  const after = withLayer(datasets, announcement.jurisdiction, announcement.after);
  const under = facilities.filter((f) => standsUnder(f, announcement.jurisdiction));
  const byDate = new Map<string, (Compared & { name: string })[]>();
  const notices: Omit<RuleChangeNotice, "id" | "createdAt">[] = [];
  for (const change of announcement.changes) {
    let compared = byDate.get(change.effectiveFrom);
    if (!compared) {
      compared = [];
      for (const stored of under) {
        const c = compareAt(stored, change.effectiveFrom, before, after);
        if (c) compared.push({ ...c, name: stored.facility.name });
      }
      byDate.set(change.effectiveFrom, compared);
    }
    const affected = affectedBy(change, compared);
    if (affected.length === 0) continue;
    notices.push({
      jurisdiction: announcement.jurisdiction,
      versionId: announcement.versionId,
      ...change,
      affected,
    });
  }
  return notices;
}

/** Notices are kept this long after their date (then drift alerts carry the story). */
const KEEP_AFTER_EFFECTIVE_DAYS = 90;

const identity = (n: Omit<RuleChangeNotice, "id" | "createdAt">) =>
  JSON.stringify([n.ruleId, n.effectiveFrom, n.summary, n.affected.map((a) => [a.facilityId, a.to])]);

const addDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

export class NoticeStore {
  constructor(private readonly sql: SqlStorage) {}

  /**
   * Applies an announcement to the jurisdiction's notices still to take effect after `today`:
   * those of the changed rule windows (`changed`) are replaced by `notices`, those of windows
   * the active version no longer has (not in `upcoming`) are withdrawn, the others stay. A
   * notice identical to one already held (same rule, date, summary, locations and statuses —
   * a retried announcement) keeps its id and time and is not reported as created.
   */
  replaceUpcoming(
    jurisdiction: string,
    announcement: { changed: readonly string[]; upcoming: readonly string[] },
    notices: readonly Omit<RuleChangeNotice, "id" | "createdAt">[],
    today: string,
    nowMs: number,
  ): AnnouncementResult {
    const changed = new Set(announcement.changed);
    const upcoming = new Set(announcement.upcoming);
    const window = (n: { ruleId: string; effectiveFrom: string }) => `${n.ruleId}@${n.effectiveFrom}`;
    const ahead = this.upcoming(today).filter(
      (n) => n.jurisdiction === jurisdiction && n.effectiveFrom > today,
    );
    const held = new Map(ahead.map((n) => [identity(n), n]));
    for (const notice of ahead)
      if (changed.has(window(notice)) || !upcoming.has(window(notice)))
        this.sql.exec("DELETE FROM rule_change_notices WHERE id = ?", notice.id);
    this.sql.exec(
      "DELETE FROM rule_change_notices WHERE effective_from < ?",
      addDays(today, -KEEP_AFTER_EFFECTIVE_DAYS),
    );
    const created: RuleChangeNotice[] = [];
    for (const notice of notices) {
      const previous = held.get(identity(notice));
      const full: RuleChangeNotice = previous
        ? { ...notice, id: previous.id, createdAt: previous.createdAt }
        : { ...notice, id: newId("rcn", nowMs), createdAt: new Date(nowMs).toISOString() };
      this.sql.exec(
        `INSERT INTO rule_change_notices (id, jurisdiction, effective_from, notice) VALUES (?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET notice = excluded.notice`,
        full.id,
        jurisdiction,
        full.effectiveFrom,
        JSON.stringify(full),
      );
      if (!previous) created.push(full);
    }
    const kept = this.upcoming(today).filter(
      (n) => n.jurisdiction === jurisdiction && n.effectiveFrom > today,
    );
    return { notices: kept, created };
  }

  /** Notices taking effect on or after `today`, earliest first; `facilityIds` limits the locations shown. */
  upcoming(today: string, facilityIds?: readonly string[]): RuleChangeNotice[] {
    const visible = facilityIds ? new Set(facilityIds) : null;
    return this.sql
      .exec<{ notice: string }>(
        "SELECT notice FROM rule_change_notices WHERE effective_from >= ? ORDER BY effective_from, id",
        today,
      )
      .toArray()
      .map((row) => JSON.parse(row.notice) as RuleChangeNotice)
      .map((n) => (visible ? { ...n, affected: n.affected.filter((a) => visible.has(a.facilityId)) } : n))
      .filter((n) => n.affected.length > 0);
  }
}
