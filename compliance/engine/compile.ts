// compileDataset: validated JSON → plain closures, ONCE per jurisdiction@version+content. A
// request never re-reads rule JSON; it only runs the closures compiled here.
import { toDay } from "../dates";
import { divisionName } from "../jurisdictions/resolve";
import { compileRequirement } from "../requirements";
import type { Applicability, Dataset, Requirement } from "../schema/dataset";
import type { FacilityType } from "../schema/facility";
import { facilityTypeLabel, orList, withArticle } from "../wording";
import { sharedNotApplicable } from "./finding";
import { leadDaysOf } from "./lead-times";
import type { CompiledDataset, CompiledRule, EvalContext, Finding, RuleMeta } from "./types";

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

/**
 * The rule's applicability as a test returning the shared `not_applicable` finding of the first
 * condition the facility fails: every message depends only on the rule and the facility type or
 * jurisdiction, so all of them are built here, never per request.
 */
function compileApplicability(
  a: Applicability | undefined,
  meta: RuleMeta,
): (ctx: EvalContext) => Finding | null {
  if (!a) return alwaysApplies;
  const wrongType = a.facilityTypes ? wrongTypeFindings(a.facilityTypes, meta) : undefined;
  const packagedOnly =
    a.requiresUnpackagedTcsFood === true
      ? sharedNotApplicable(
          meta,
          "Applies only where unpackaged TCS (time/temperature control for safety) food is handled; this facility reports packaged food only.",
        )
      : undefined;
  const handlesUnpackaged = a.onlyPackagedFood
    ? sharedNotApplicable(
        meta,
        "Applies only where a facility handles packaged food only; this facility handles unpackaged TCS food.",
      )
    : undefined;
  const excluded = (a.excludedJurisdictions ?? []).map((jurisdiction) => ({
    jurisdiction,
    finding: sharedNotApplicable(
      meta,
      `Does not apply in ${divisionName(jurisdiction)}, which is outside this rule's reach.`,
    ),
  }));
  const chain =
    a.minimumChainLocations === undefined ? undefined : chainSizeFindings(a.minimumChainLocations, meta);
  return (ctx) => {
    const typeFinding = wrongType?.(ctx.facility.type);
    if (typeFinding) return typeFinding;
    if (packagedOnly && !ctx.facility.handlesUnpackagedTcsFood) return packagedOnly;
    if (handlesUnpackaged && ctx.facility.handlesUnpackagedTcsFood) return handlesUnpackaged;
    for (const e of excluded) if (ctx.chain.includes(e.jurisdiction)) return e.finding;
    if (chain) {
      const locations = ctx.facility.chainLocations;
      if (Number.isNaN(locations)) return chain.notStated;
      if (locations < chain.minimum) return chain.tooSmall;
    }
    return null;
  };
}

/**
 * The two ways a facility falls outside a chain-size rule, each a shared finding: it states a
 * smaller chain, or it states none (absent is "not stated", and the finding asks for it rather
 * than guessing that a location stands alone).
 */
function chainSizeFindings(minimum: number, meta: RuleMeta) {
  const scope = `Applies only to chains of ${minimum} or more locations doing business under the same name with substantially the same menu`;
  return {
    minimum,
    tooSmall: sharedNotApplicable(meta, `${scope}; this facility's chain has fewer.`),
    notStated: sharedNotApplicable(
      meta,
      `${scope}; this facility does not state chainLocations, so it is treated as a single location: give the number of locations if it belongs to a chain.`,
    ),
  };
}

/** Facility type → the finding saying the rule is only for `types` (null for those), memoised. */
function wrongTypeFindings(types: readonly FacilityType[], meta: RuleMeta) {
  const typeList = orList(types.map((t) => facilityTypeLabel(t, true)));
  const byType = new Map<FacilityType, Finding | null>();
  return (type: FacilityType): Finding | null => {
    let finding = byType.get(type);
    if (finding === undefined) {
      const message = `Applies only to ${typeList}; this is ${withArticle(facilityTypeLabel(type))}.`;
      finding = types.includes(type) ? null : sharedNotApplicable(meta, message);
      byType.set(type, finding);
    }
    return finding;
  };
}

/** A rule ready to run: its requirement and applicability compiled against its own metadata. */
export function compileRule(
  meta: RuleMeta,
  requirement: Requirement,
  applicability: Applicability | undefined,
): CompiledRule {
  return {
    meta,
    requirement,
    applicability,
    notApplicable: compileApplicability(applicability, meta),
    ...compileRequirement(requirement, meta),
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
    return compileRule(meta, rule.requirement, rule.applicability);
  });
  const compiled: CompiledDataset = Object.freeze({
    jurisdiction: dataset.jurisdiction,
    version: dataset.version,
    name: dataset.name,
    key,
    rules: Object.freeze(rules),
    leadDays: leadDaysOf(dataset.leadTimes),
  });
  byKey.set(key, compiled);
  byIdentity.set(dataset, compiled);
  return compiled;
}
