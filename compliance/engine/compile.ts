// compileDataset: validated JSON → plain closures, ONCE per jurisdiction@version+content. A
// request never re-reads rule JSON; it only runs the closures compiled here.
import { toDay } from "../dates";
import { compileRequirement } from "../requirements";
import type { Applicability, Dataset } from "../schema/dataset";
import type { FacilityType } from "../schema/facility";
import type { CompiledDataset, CompiledRule, EvalContext, RuleMeta } from "./types";

const byIdentity = new WeakMap<Dataset, CompiledDataset>();
const byKey = new Map<string, CompiledDataset>();

/** FNV-1a over the canonical JSON: same content ⇒ same key, even for a re-parsed copy. */
function contentHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

const alwaysApplies = (): null => null;

function compileApplicability(a: Applicability | undefined): (ctx: EvalContext) => string | null {
  if (!a) return alwaysApplies;
  const types = a.facilityTypes ? new Set<FacilityType>(a.facilityTypes) : undefined;
  const typeList = a.facilityTypes?.map((t) => t.replaceAll("_", " ")).join(", ");
  const tcs = a.requiresUnpackagedTcsFood === true;
  const excluded = a.excludedJurisdictions ?? [];
  return (ctx) => {
    if (types && !types.has(ctx.facility.type)) {
      return `Applies only to ${typeList} facilities; this is a ${ctx.facility.type.replaceAll("_", " ")}.`;
    }
    if (tcs && !ctx.facility.handlesUnpackagedTcsFood) {
      return "Applies only where unpackaged TCS (time/temperature control for safety) food is handled; this facility reports packaged food only.";
    }
    for (const j of excluded) {
      if (ctx.chain.includes(j)) return `Does not apply in ${j}, which is outside this rule's reach.`;
    }
    return null;
  };
}

export function compileDataset(dataset: Dataset): CompiledDataset {
  const hit = byIdentity.get(dataset);
  if (hit) return hit;
  const key = `${dataset.jurisdiction}@${dataset.version}#${contentHash(JSON.stringify(dataset))}`;
  const cached = byKey.get(key);
  if (cached) {
    byIdentity.set(dataset, cached);
    return cached;
  }
  const authority = dataset.shortName ?? dataset.name;
  const rules: CompiledRule[] = dataset.rules.map((rule) => {
    const meta: RuleMeta = Object.freeze({
      id: rule.id,
      jurisdiction: dataset.jurisdiction,
      authority,
      title: rule.title,
      citation: rule.citation,
      severity: rule.severity,
      verified: rule.verified,
      topic: rule.topic,
      composition: rule.composition,
      replaces: Object.freeze([...(rule.replaces ?? [])]),
      from: toDay(rule.effectiveFrom),
      to: rule.effectiveTo === undefined ? Number.POSITIVE_INFINITY : toDay(rule.effectiveTo),
      ...(rule.override ? { override: rule.override } : {}),
    });
    return {
      meta,
      requirement: rule.requirement,
      applies: compileApplicability(rule.applicability),
      check: compileRequirement(rule.requirement),
    };
  });
  const compiled: CompiledDataset = Object.freeze({
    jurisdiction: dataset.jurisdiction,
    version: dataset.version,
    name: dataset.name,
    key,
    rules: Object.freeze(rules),
  });
  byKey.set(key, compiled);
  byIdentity.set(dataset, compiled);
  return compiled;
}
