// evaluate: facility + compiled layers (broadest first) + asOf → Verdict. Runs the cached plan's
// closures over a facility whose dates were parsed once; no JSON, no regex, no rule parsing.
import { fromDay, toDay } from "../dates";
import { resolveJurisdictions } from "../jurisdictions/resolve";
import type { FacilityInput } from "../schema/facility";
import { planFor, type ScopedReplacement } from "./plan";
import { prepareFacility } from "./prepare";
import type { CompiledDataset, EvalContext, Finding, Verdict } from "./types";

export interface EvaluateOptions {
  /** The facility's divisions, broadest first; default: resolved from its address, else the layers'. */
  jurisdictions?: readonly string[];
  /** With `jurisdictions`: the resolution's unsettled county, reported in the verdict. */
  countyAmbiguity?: Verdict["countyAmbiguity"];
}

export function evaluate(
  facility: FacilityInput,
  layers: readonly CompiledDataset[],
  asOf: string,
  options: EvaluateOptions = {},
): Verdict {
  const asOfDay = asOf.length === 10 ? toDay(asOf) : Number.NaN;
  if (Number.isNaN(asOfDay))
    throw new RangeError(`asOf must be a calendar date YYYY-MM-DD, got ${JSON.stringify(asOf)}`);

  let chain = options.jurisdictions;
  let countyAmbiguity = options.countyAmbiguity;
  if (!chain) {
    const resolved = resolveJurisdictions(facility.address);
    chain = resolved.ok ? resolved.jurisdictions : layers.map((l) => l.jurisdiction);
    if (resolved.ok) countyAmbiguity ??= resolved.countyAmbiguity;
  }

  const { steps, nextChange, coverage, leadDays, datasets } = planFor(layers, asOfDay);
  const ctx: EvalContext = {
    asOf: asOfDay,
    facility: prepareFacility(facility),
    chain,
    findings: [],
    reevaluate: Number.POSITIVE_INFINITY,
    status: "compliant",
    nextDeadline: undefined,
    leadDays,
  };
  if (nextChange > asOfDay && nextChange < ctx.reevaluate) ctx.reevaluate = nextChange;

  for (const step of steps) {
    if (step.finding) {
      ctx.findings.push(step.finding);
      continue;
    }
    const replaced = step.replacedWhere && replacementFor(step.replacedWhere, ctx);
    // A rule without applicability conditions applies everywhere (compile.ts), so its test is not
    // called: most rules are such, and this call site, shared by every rule's test, is not inlined.
    const skipped = replaced ?? (step.rule.applicability === undefined ? null : step.rule.notApplicable(ctx));
    if (skipped) ctx.findings.push(skipped);
    else step.rule.check(ctx);
  }

  const next = ctx.nextDeadline;
  const verdict: Verdict = {
    status: ctx.status,
    jurisdictions: chain.slice(),
    datasets,
    coverage,
    findings: ctx.findings,
    nextDeadline: next?.dueBy ? { date: next.dueBy, ruleId: next.ruleId, subject: next.subject } : null,
    reevaluateAt: Number.isFinite(ctx.reevaluate) ? fromDay(ctx.reevaluate) : null,
  };
  return countyAmbiguity ? withCountyAmbiguity(verdict, countyAmbiguity) : verdict;
}

/**
 * The verdict with its unsettled county, in the key order of the Verdict type (after coverage).
 * Rare, so kept out of the common literal: a conditional spread there made every verdict's
 * object be built property by property.
 */
function withCountyAmbiguity(
  verdict: Verdict,
  countyAmbiguity: NonNullable<Verdict["countyAmbiguity"]>,
): Verdict {
  const { findings, nextDeadline, reevaluateAt, ...head } = verdict;
  return { ...head, countyAmbiguity, findings, nextDeadline, reevaluateAt };
}

/** The finding of the first scoped replacement that applies to this facility, if any. */
function replacementFor(replacements: readonly ScopedReplacement[], ctx: EvalContext): Finding | undefined {
  for (const r of replacements) if (r.by.notApplicable(ctx) === null) return r.finding;
  return undefined;
}
