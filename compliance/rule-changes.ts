// Rule changes ahead, pure: which rule windows a new version of a dataset adds or changes
// from a date still to come (what a tenant must be told before it takes effect), the dates
// at which a version's effect on a facility should be evaluated, and how two verdicts of one
// facility differ finding by finding (an impact preview's or a notice's "what changes").
import { diffDatasets, type FieldChange, fieldChanges } from "./diff";
import type { Finding, Verdict } from "./engine/types";
import type { Dataset, Rule } from "./schema/dataset";

export interface RuleChangeAhead {
  ruleId: string;
  title: string;
  citation: string;
  /** The first day the changed rule binds (YYYY-MM-DD, after `today`). */
  effectiveFrom: string;
  /** One line for people: what changes on that day. */
  summary: string;
}

/** Fields that only place a window in time: not "what the rule asks". */
const WINDOW_FIELDS = new Set(["effectiveFrom", "effectiveTo"]);

const show = (value: unknown) => (typeof value === "string" ? value : JSON.stringify(value));

function describe(changes: readonly FieldChange[]): string {
  const shown = changes
    .filter((c) => !WINDOW_FIELDS.has(c.field))
    .slice(0, 4)
    .map((c) => `${c.field} ${show(c.from)} → ${show(c.to)}`);
  return shown.join("; ");
}

/** The window of rule `id` in force the day before `date` in `dataset`, if any. */
function windowBefore(dataset: Dataset, id: string, date: string): Rule | undefined {
  return dataset.rules.find(
    (r) => r.id === id && r.effectiveFrom < date && (r.effectiveTo === undefined || r.effectiveTo >= date),
  );
}

/**
 * The rule windows of `after` that start after `today` and are new or different from
 * `before` (null: a dataset seen for the first time), earliest first. A window that starts
 * later is described against the window of the same rule in force until then, so "the card
 * deadline goes from 30 to 14 days on 15 January" reads as such, not as a brand-new rule.
 */
export function upcomingRuleChanges(
  before: Dataset | null,
  after: Dataset,
  today: string,
): RuleChangeAhead[] {
  const empty: Dataset = { ...after, rules: [] };
  const diff = diffDatasets(before ?? empty, after);
  const ahead: RuleChangeAhead[] = [];
  for (const entry of [...diff.added, ...diff.changed]) {
    if (entry.effectiveFrom <= today) continue;
    const rule = after.rules.find((r) => r.id === entry.ruleId && r.effectiveFrom === entry.effectiveFrom);
    if (!rule) continue;
    const previous = windowBefore(after, rule.id, rule.effectiveFrom);
    const changed = previous ? describe(fieldChanges(previous, rule)) : "";
    ahead.push({
      ruleId: rule.id,
      title: rule.title,
      citation: rule.citation,
      effectiveFrom: rule.effectiveFrom,
      summary: previous
        ? `${rule.title} changes on ${rule.effectiveFrom}${changed ? `: ${changed}` : ""}.`
        : `${rule.title} applies from ${rule.effectiveFrom}.`,
    });
  }
  return ahead.sort(
    (a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.ruleId.localeCompare(b.ruleId),
  );
}

/**
 * The dates at which replacing `before` with `after` should be evaluated: today when the
 * version changes anything already in force, plus each later date at which a changed rule
 * window starts. At least one date (today).
 */
export function impactDates(before: Dataset | null, after: Dataset, today: string): string[] {
  const diff = diffDatasets(before ?? { ...after, rules: [] }, after);
  const dates = new Set<string>();
  for (const entry of [...diff.added, ...diff.changed, ...diff.removed]) {
    dates.add(entry.effectiveFrom > today ? entry.effectiveFrom : today);
    // A window that now ends earlier (or later) changes things from that end.
    if (entry.effectiveTo && entry.effectiveTo > today) dates.add(entry.effectiveTo);
  }
  if (dates.size === 0) dates.add(today);
  return [...dates].sort();
}

export interface FindingChange {
  ruleId: string;
  /** null: the finding did not exist before (or does not any more, for `to`). */
  from: Finding["status"] | null;
  to: Finding["status"] | null;
}

const findingKey = (f: Finding) => (f.subject ? `${f.ruleId}|${f.subject.kind}:${f.subject.id}` : f.ruleId);

/**
 * How `next` differs from `previous` rule by rule: each rule whose findings' statuses changed,
 * appeared or disappeared, once per rule and status pair (subjects — staff, permits — are
 * not named: they are the tenant's data).
 */
export function findingChanges(previous: Verdict, next: Verdict): FindingChange[] {
  const before = new Map(previous.findings.map((f) => [findingKey(f), f]));
  const seen = new Set<string>();
  const out: FindingChange[] = [];
  const push = (ruleId: string, from: FindingChange["from"], to: FindingChange["to"]) => {
    const key = `${ruleId}|${from}|${to}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ ruleId, from, to });
  };
  for (const finding of next.findings) {
    const key = findingKey(finding);
    const old = before.get(key);
    before.delete(key);
    if (old?.status !== finding.status) push(finding.ruleId, old?.status ?? null, finding.status);
  }
  for (const gone of before.values()) push(gone.ruleId, gone.status, null);
  return out;
}

// ---- What the tenant objects answer (durable-objects/rule-changes.ts) ----

/** Two versions of one jurisdiction's rules to evaluate the tenant's facilities under. */
export interface RuleComparison {
  jurisdiction: string;
  /** The rules in force now (overrides folded in); null when the jurisdiction has none active. */
  before: Dataset | null;
  /** The candidate: a pending version, an override on top of the active one, a new version. */
  after: Dataset;
  /** Evaluation dates (YYYY-MM-DD); a facility is reported at the first one where it differs. */
  dates: string[];
}

/** A facility whose verdict differs between the two versions. No names: admins see aggregates. */
export interface FacilityImpact {
  facilityId: string;
  asOf: string;
  from: Verdict["status"];
  to: Verdict["status"];
  findings: FindingChange[];
}

export interface RuleComparisonResult {
  /** Facilities this object evaluated (those standing under the jurisdiction). */
  evaluated: number;
  changes: FacilityImpact[];
}

/** A location a coming rule will break, as its tenant sees it. */
export interface AffectedLocation {
  facilityId: string;
  facilityName: string;
  from: Verdict["status"];
  to: Verdict["status"];
  /** What to do by the effective date: the new rule's findings' messages for this location. */
  actions: string[];
}

/** One rule change ahead and the tenant's locations it will break (GET /v1/rule-changes). */
export interface RuleChangeNotice {
  id: string;
  jurisdiction: string;
  versionId: string;
  ruleId: string;
  title: string;
  citation: string;
  effectiveFrom: string;
  summary: string;
  affected: AffectedLocation[];
  createdAt: string;
}

export interface RuleChangeAnnouncement {
  jurisdiction: string;
  /** The version that brings the changes (notices are replaced when a later one does). */
  versionId: string;
  before: Dataset | null;
  after: Dataset;
  /** What changes after today with this version (each gets a notice where it breaks a location). */
  changes: RuleChangeAhead[];
  /**
   * Every rule window of `after` still to take effect (`ruleId@effectiveFrom`): an earlier
   * notice for a window not listed is withdrawn (a later version dropped or moved that rule).
   */
  upcoming: string[];
}

/** `ruleId@effectiveFrom` of every rule window of `dataset` that starts after `today`. */
export function upcomingWindows(dataset: Dataset, today: string): string[] {
  return dataset.rules.filter((r) => r.effectiveFrom > today).map((r) => `${r.id}@${r.effectiveFrom}`);
}

export interface AnnouncementResult {
  /** Every upcoming notice of the jurisdiction after this announcement. */
  notices: RuleChangeNotice[];
  /** The notices this announcement created (not known before): the ones to mail. */
  created: RuleChangeNotice[];
}
