// Data diff reports, pure: what changed between two versions of a dataset (rules added,
// removed, changed field by field) and how a state or city layer relates to the layers above
// it and to the FDA model (stricter, looser, same, conflicting, additional, preempted, new, and
// "replaces" for a jurisdiction's own code), built on the composition metadata (topic,
// composition, replaces) the engine itself uses.
import { toDay } from "./dates";
import type { OverrideRef } from "./engine/types";
import { tighten } from "./requirements/tighten";
import type { Dataset, LeadTime, Rule } from "./schema/dataset";

export const MODEL_JURISDICTION = "ocd-division/country:us";

export interface RuleSummary {
  ruleId: string;
  title: string;
  citation: string;
  effectiveFrom: string;
  effectiveTo: string | null;
  override?: OverrideRef;
}

export interface FieldChange {
  /** Dotted path of the leaf that changed, e.g. `requirement.graceDays`. */
  field: string;
  from: unknown;
  to: unknown;
}

export interface VersionDiff {
  jurisdiction: string;
  from: string;
  to: string;
  added: RuleSummary[];
  removed: RuleSummary[];
  changed: (RuleSummary & { changes: FieldChange[] })[];
  unchanged: number;
  /** Renewal lead times (the dataset's `leadTimes`) added, removed or changed, by `kind:type`. */
  leadTimes: LeadTimeChange[];
}

/** One credential or permit type whose renewal lead time changed between two versions. */
export interface LeadTimeChange {
  /** `credential:<type>` or `permit:<type>`. */
  key: string;
  from: LeadTime | null;
  to: LeadTime | null;
}

function leadTimeChanges(from: Dataset, to: Dataset): LeadTimeChange[] {
  const keyed = (d: Dataset) => new Map((d.leadTimes ?? []).map((l) => [`${l.kind}:${l.type}`, l]));
  const before = keyed(from);
  const after = keyed(to);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  return keys
    .filter((key) => !same(before.get(key) ?? null, after.get(key) ?? null))
    .map((key) => ({ key, from: before.get(key) ?? null, to: after.get(key) ?? null }));
}

/** JSON with sorted keys and no undefined members: equal meaning ⇒ equal text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);

function summarize(rule: Rule): RuleSummary {
  return {
    ruleId: rule.id,
    title: rule.title,
    citation: rule.citation,
    effectiveFrom: rule.effectiveFrom,
    effectiveTo: rule.effectiveTo ?? null,
    ...(rule.override ? { override: rule.override } : {}),
  };
}

/** Ids appearing more than once in either version (rule history, override windows). */
function repeatedIds(...versions: (readonly Rule[])[]): Set<string> {
  const repeated = new Set<string>();
  for (const rules of versions) {
    const seen = new Set<string>();
    for (const r of rules) (seen.has(r.id) ? repeated : seen).add(r.id);
  }
  return repeated;
}

/** Rules by id; a repeated id is keyed per effective window, in both versions alike. */
function byKey(rules: readonly Rule[], repeated: ReadonlySet<string>): Map<string, Rule> {
  return new Map(rules.map((r) => [repeated.has(r.id) ? `${r.id}@${r.effectiveFrom}` : r.id, r]));
}

/** Leaves of plain objects by dotted path; arrays are compared whole. */
function leaves(value: unknown, path: string, out: Map<string, unknown>): Map<string, unknown> {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    for (const [key, child] of Object.entries(value)) leaves(child, path ? `${path}.${key}` : key, out);
  } else if (value !== undefined) {
    out.set(path, value);
  }
  return out;
}

export function fieldChanges(from: unknown, to: unknown): FieldChange[] {
  const a = leaves(from, "", new Map());
  const b = leaves(to, "", new Map());
  const fields = [...new Set([...a.keys(), ...b.keys()])].sort();
  return fields
    .filter((field) => !same(a.get(field), b.get(field)))
    .map((field) => ({ field, from: a.get(field) ?? null, to: b.get(field) ?? null }));
}

export function diffDatasets(from: Dataset, to: Dataset): VersionDiff {
  const repeated = repeatedIds(from.rules, to.rules);
  const before = byKey(from.rules, repeated);
  const after = byKey(to.rules, repeated);
  const diff: VersionDiff = {
    jurisdiction: to.jurisdiction,
    from: from.version,
    to: to.version,
    added: [],
    removed: [],
    changed: [],
    unchanged: 0,
    leadTimes: leadTimeChanges(from, to),
  };
  for (const [key, rule] of after) {
    const old = before.get(key);
    if (!old) diff.added.push(summarize(rule));
    else {
      const changes = fieldChanges(old, rule);
      if (changes.length > 0) diff.changed.push({ ...summarize(rule), changes });
      else diff.unchanged++;
    }
  }
  for (const [key, rule] of before) if (!after.has(key)) diff.removed.push(summarize(rule));
  return diff;
}

/** Share of the old version's rule ids missing from the new one (0…1). */
export function droppedRuleShare(from: Dataset, to: Dataset): number {
  const ids = new Set(from.rules.map((r) => r.id));
  if (ids.size === 0) return 0;
  const kept = new Set(to.rules.map((r) => r.id));
  return [...ids].filter((id) => !kept.has(id)).length / ids.size;
}

// ---- Across layers ----

export type Relation =
  | "stricter"
  | "looser"
  | "same"
  | "conflicting"
  | "additional"
  | "replaces"
  | "preempted"
  | "new";

export interface LayerComparison {
  jurisdiction: string;
  ruleIds: string[];
  relation: Relation;
}

export interface RuleRelation extends RuleSummary {
  topic: string;
  composition: Rule["composition"];
  verified: boolean;
  /** Against the nearest broader layer with a counterpart (the FDA model included). */
  relation: Relation;
  /** Against the FDA model, when it has a counterpart; null otherwise. */
  vsModel: Relation | null;
  against: LayerComparison[];
  /** For preempted rules: the rule that preempts them. */
  preemptedBy?: string;
}

export interface LayerReport {
  jurisdiction: string;
  asOf: string;
  /** The layers compared, broadest first (the subject last). */
  chain: { jurisdiction: string; version: string }[];
  rules: RuleRelation[];
  /** Ids of the subject's rules marked verified: false. */
  unverified: string[];
}

function inForce(rule: Rule, day: number): boolean {
  return (
    toDay(rule.effectiveFrom) <= day && (rule.effectiveTo === undefined || day < toDay(rule.effectiveTo))
  );
}

/** How `child` relates to one parent rule, as the engine would compose them. */
function relate(child: Rule, parent: Rule): Relation {
  if (child.composition === "additive") return "additional";
  // The jurisdiction's own law displaces the broader rule: comparing thresholds would call
  // 45/140°F against 41/135°F "conflicting", when the broader rule simply is not law there.
  if (child.composition === "own_code") return "replaces";
  const merged = tighten(parent.requirement, child.requirement);
  if (!merged) return "conflicting";
  const asChild = same(merged, child.requirement);
  const asParent = same(merged, parent.requirement);
  if (asChild && asParent) return "same";
  // A floor rule is evaluated as the merge, so it can only tighten.
  if (child.composition === "floor" || asChild) return "stricter";
  return asParent ? "looser" : "conflicting";
}

/** The most telling relation among several parent rules (a conflict outweighs the rest). */
function strongest(relations: Relation[]): Relation {
  for (const r of ["conflicting", "looser", "stricter", "replaces", "additional", "same"] as const) {
    if (relations.includes(r)) return r;
  }
  return "new";
}

/** How the last layer of `chain` (broadest first) relates to the layers above it, at `asOf`. */
export function compareLayers(chain: readonly Dataset[], asOf: string): LayerReport {
  const day = toDay(asOf);
  const subject = chain[chain.length - 1];
  if (!subject) throw new RangeError("compareLayers needs at least one layer");
  const ancestors = chain.slice(0, -1);
  const rules = subject.rules
    .filter((rule) => inForce(rule, day))
    .map((rule): RuleRelation => {
      const base = {
        ...summarize(rule),
        topic: rule.topic,
        composition: rule.composition,
        verified: rule.verified,
      };
      const preemptor = ancestors
        .flatMap((layer) => layer.rules.filter((r) => inForce(r, day)))
        .find(
          (r) =>
            r.requirement.kind === "preemption" &&
            r.requirement.topics.includes(rule.topic) &&
            !(r.requirement.exceptJurisdictions ?? []).includes(subject.jurisdiction),
        );
      if (rule.composition === "preempted" || preemptor) {
        return {
          ...base,
          relation: "preempted",
          vsModel: null,
          against: [],
          ...(preemptor ? { preemptedBy: preemptor.id } : {}),
        };
      }
      const against = ancestors
        .map((layer): LayerComparison | null => {
          const parents = layer.rules.filter(
            (p) =>
              inForce(p, day) &&
              p.requirement.kind !== "preemption" &&
              (p.topic === rule.topic || (rule.replaces ?? []).includes(p.id)),
          );
          if (parents.length === 0) return null;
          return {
            jurisdiction: layer.jurisdiction,
            ruleIds: parents.map((p) => p.id),
            relation: strongest(parents.map((p) => relate(rule, p))),
          };
        })
        .filter((c): c is LayerComparison => c !== null);
      const nearest = against[against.length - 1];
      const model = against.find((c) => c.jurisdiction === MODEL_JURISDICTION);
      return { ...base, relation: nearest?.relation ?? "new", vsModel: model?.relation ?? null, against };
    });
  return {
    jurisdiction: subject.jurisdiction,
    asOf,
    chain: chain.map((d) => ({ jurisdiction: d.jurisdiction, version: d.version })),
    rules,
    unverified: rules.filter((r) => !r.verified).map((r) => r.ruleId),
  };
}

/** The chain of `jurisdiction` (broadest first) through each dataset's `parent`. */
export function chainOf(jurisdiction: string, datasets: ReadonlyMap<string, Dataset>): Dataset[] {
  const chain: Dataset[] = [];
  let current = datasets.get(jurisdiction);
  while (current && chain.length < 10) {
    chain.unshift(current);
    current = current.parent ? datasets.get(current.parent) : undefined;
  }
  return chain;
}
