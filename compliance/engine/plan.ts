// Composition of layers (broadest first) into an evaluation plan: which rules run, which are
// superseded (override), merged (floor), added (additive) or ignored (preempted). A plan depends
// only on the layer set and on which rules are in effect, so it is cached per layer set and per
// interval between effective-date boundaries, never rebuilt per request.
//
// A narrower rule replaces or tightens its parent only for the facilities it applies to: where
// it does not (another facility type, packaged food only, an excluded place) the parent still
// binds. Such a replacement cannot be settled in the plan, which knows no facility, so the
// parent's step carries it and the evaluation settles it with the narrower rule's applicability.
//
// An `own_code` rule is the exception: it says the jurisdiction has its own law on the topic, so
// the broader rules it names are not law there for any facility (a baseline such as the FDA model
// is a reference, not a floor). Its layer's displacements are applied before the layer's other
// rules are composed, so the result does not depend on the order of rules in the file.
import { type DivisionLevel, narrowestLevel } from "../jurisdictions/ocd";
import { tighten } from "../requirements/tighten";
import { compileRule } from "./compile";
import { sharedNotApplicable } from "./finding";
import { type LeadDays, mergeLeadDays } from "./lead-times";
import type { CompiledDataset, CompiledRule, Finding, RuleMeta, Verdict } from "./types";

/** A narrower rule that replaces or tightens a step's rule wherever it applies itself. */
export interface ScopedReplacement {
  by: CompiledRule;
  /** The shared finding shown instead of the replaced rule's own where `by` applies. */
  finding: Finding;
}

export type PlanStep =
  | { rule: CompiledRule; replacedWhere?: readonly ScopedReplacement[]; finding?: undefined }
  | { rule?: undefined; finding: Finding };

interface LayerSetPlans {
  /** Sorted distinct effectiveFrom/effectiveTo days of every rule in the layer set. */
  boundaries: number[];
  coverage: DivisionLevel | null;
  /** The verdict's `datasets`: built once per layer set and shared, frozen, by its verdicts. */
  datasets: Verdict["datasets"];
  /** Lead times of the layer set: for each type, the narrowest layer's that states one. */
  leadDays: LeadDays;
  plans: (PlanStep[] | undefined)[];
}

/**
 * Plans are found by walking a trie keyed by the compiled layers' identities (compileDataset
 * returns one object per content hash), so a lookup neither builds nor hashes a key string.
 */
interface TrieNode {
  next: Map<CompiledDataset, TrieNode>;
  plans?: LayerSetPlans;
}

const MAX_LAYER_SETS = 512;
let root: TrieNode = { next: new Map() };
let layerSets = 0;

function plansOf(layers: readonly CompiledDataset[]): LayerSetPlans {
  let node = root;
  for (const layer of layers) {
    let child = node.next.get(layer);
    if (!child) {
      child = { next: new Map() };
      node.next.set(layer, child);
    }
    node = child;
  }
  if (node.plans) return node.plans;
  if (layerSets >= MAX_LAYER_SETS) {
    // Bounded memory when datasets churn: start over (the current set is re-inserted below).
    root = { next: new Map() };
    layerSets = 0;
    return plansOf(layers);
  }
  const boundaries = boundariesOf(layers);
  node.plans = {
    boundaries,
    coverage: narrowestLevel(layers.map((l) => l.jurisdiction)),
    datasets: Object.freeze(
      layers.map((l) => Object.freeze({ jurisdiction: l.jurisdiction, version: l.version })),
    ) as Verdict["datasets"],
    leadDays: mergeLeadDays(layers.map((l) => l.leadDays)),
    plans: new Array(boundaries.length + 1),
  };
  layerSets++;
  return node.plans;
}

interface Entry {
  rule: CompiledRule;
  layer: number;
  /** Set when the rule is not evaluated: the shared finding saying why (superseded, preempted…). */
  off?: Finding;
  /** Narrower rules that replace this one for the facilities they apply to. */
  replacedWhere?: ScopedReplacement[];
}

/** Names the manual override behind a replacing rule, so the replaced rule's finding shows it too. */
function byOverride(meta: RuleMeta): string {
  return meta.override ? `, as set by manual override ${meta.override.id} (${meta.override.reason})` : "";
}

/** Takes `target` out of force: for every facility, or where `by` applies when `by` is scoped. */
function replace(target: Entry, by: CompiledRule, finding: Finding): void {
  if (by.applicability === undefined) {
    target.off = finding;
    return;
  }
  target.replacedWhere ??= [];
  target.replacedWhere.push({ by, finding });
}

/** Whether `e`, an earlier layer's rule, is one `m` composes with (same topic or in `replaces`). */
function isParentOf(e: Entry, li: number, m: RuleMeta): boolean {
  return e.layer < li && (e.rule.meta.topic === m.topic || m.replaces.includes(e.rule.meta.id));
}

function buildPlan(layers: readonly CompiledDataset[], day: number): PlanStep[] {
  const entries: Entry[] = [];
  const preemptions: {
    topics: readonly string[];
    except: readonly string[];
    layer: number;
    meta: RuleMeta;
  }[] = [];
  const preemptorOf = (m: RuleMeta, li: number, jurisdiction: string) =>
    preemptions.find((x) => x.layer < li && x.topics.includes(m.topic) && !x.except.includes(jurisdiction));

  layers.forEach((layer, li) => {
    // own_code first: the broader rules it displaces are out of force for every facility, before
    // this layer's overrides and floors look for parents (a preempted own_code rule displaces nothing).
    for (const rule of layer.rules) {
      const m = rule.meta;
      if (m.composition !== "own_code" || day < m.from || day >= m.to) continue;
      if (preemptorOf(m, li, layer.jurisdiction)) continue;
      for (const e of entries) {
        if (e.off || !isParentOf(e, li, m) || e.rule.requirement.kind === "preemption") continue;
        e.off = sharedNotApplicable(
          e.rule.meta,
          `Not applied: ${m.authority} has its own code on this topic (${m.id}, ${m.citation}), so this rule is a reference there, not the law${byOverride(m)}.`,
        );
        e.replacedWhere = undefined;
      }
    }

    for (const rule of layer.rules) {
      const m = rule.meta;
      if (day < m.from || day >= m.to) continue;

      if (m.composition === "preempted") {
        entries.push({
          rule,
          layer: li,
          off: sharedNotApplicable(
            m,
            "Recorded for reference only: this rule is preempted by a broader jurisdiction's law and is not enforced.",
          ),
        });
        continue;
      }
      const p = preemptorOf(m, li, layer.jurisdiction);
      if (p) {
        entries.push({
          rule,
          layer: li,
          off: sharedNotApplicable(
            m,
            `Preempted by ${p.meta.id} (${p.meta.citation}); this local rule is ignored.`,
          ),
        });
        continue;
      }

      let effective = rule;
      if (m.composition === "override" || m.composition === "floor") {
        const targets = entries.filter(
          (e) =>
            !e.off &&
            isParentOf(e, li, m) &&
            // A floor merges only parents in force wherever it is: merging one that a scoped
            // override replaces would carry its limits to the facilities that override governs.
            (m.composition === "override" || e.replacedWhere === undefined),
        );
        if (m.composition === "override") {
          for (const t of targets) {
            replace(
              t,
              rule,
              sharedNotApplicable(
                t.rule.meta,
                `Superseded by ${m.id} of ${m.authority} (${m.citation}), which replaces this rule there${byOverride(m)}.`,
              ),
            );
          }
        } else {
          // floor: fold every parent of a compatible kind into the most stringent requirement.
          let requirement = rule.requirement;
          const citations = [m.citation];
          for (const t of targets) {
            const merged = tighten(t.rule.requirement, requirement);
            if (!merged) continue; // incompatible kinds: both stay in force (additive)
            requirement = merged;
            citations.push(t.rule.meta.citation);
            replace(
              t,
              rule,
              sharedNotApplicable(
                t.rule.meta,
                `Tightened by ${m.id} of ${m.authority}${byOverride(m)}; the most stringent limits of both are evaluated under ${m.id}.`,
              ),
            );
          }
          // Compare citations, not requirements: tighten may return the child's own requirement.
          if (citations.length > 1) {
            const meta = Object.freeze({ ...m, citation: citations.join("; ") });
            effective = compileRule(meta, requirement, rule.applicability);
          }
        }
      }
      entries.push({ rule: effective, layer: li });
      if (effective.requirement.kind === "preemption") {
        preemptions.push({
          topics: effective.requirement.topics,
          except: effective.requirement.exceptJurisdictions ?? [],
          layer: li,
          meta: m,
        });
      }
    }
  });
  return entries.map((e) =>
    e.off
      ? { finding: e.off }
      : e.replacedWhere
        ? { rule: e.rule, replacedWhere: e.replacedWhere }
        : e.rule.fixed && e.rule.applicability === undefined
          ? { finding: e.rule.fixed } // the same finding for every facility: nothing to run
          : { rule: e.rule },
  );
}

function boundariesOf(layers: readonly CompiledDataset[]): number[] {
  const days = new Set<number>();
  for (const layer of layers) {
    for (const r of layer.rules) {
      days.add(r.meta.from);
      if (Number.isFinite(r.meta.to)) days.add(r.meta.to);
    }
  }
  return [...days].sort((a, b) => a - b);
}

/**
 * The plan in force on `day`, the next day on which the set of rules in force changes, and the
 * layer set's coverage level.
 */
export function planFor(
  layers: readonly CompiledDataset[],
  day: number,
): {
  steps: PlanStep[];
  nextChange: number;
  coverage: DivisionLevel | null;
  leadDays: LeadDays;
  datasets: Verdict["datasets"];
} {
  const set = plansOf(layers);
  // Interval index = number of boundaries ≤ day (binary search).
  const b = set.boundaries;
  let lo = 0;
  let hi = b.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((b[mid] ?? 0) <= day) lo = mid + 1;
    else hi = mid;
  }
  let steps = set.plans[lo];
  if (!steps) {
    steps = buildPlan(layers, day);
    set.plans[lo] = steps;
  }
  return {
    steps,
    nextChange: b[lo] ?? Number.POSITIVE_INFINITY,
    coverage: set.coverage,
    leadDays: set.leadDays,
    datasets: set.datasets,
  };
}
