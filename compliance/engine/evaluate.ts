// evaluate: facility + compiled layers (broadest first) + asOf → Verdict. Runs the cached plan's
// closures over a facility whose dates were parsed once; no JSON, no regex, no rule parsing.
import { fromDay, toDay } from "../dates";
import { resolveJurisdictions } from "../jurisdictions/resolve";
import type { FacilityInput } from "../schema/facility";
import { notApplicableFinding, planFor } from "./plan";
import { prepareFacility } from "./prepare";
import type { CompiledDataset, EvalContext, Finding, Verdict } from "./types";

export interface EvaluateOptions {
  /** The facility's divisions, broadest first; default: resolved from its address, else the layers'. */
  jurisdictions?: readonly string[];
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
  if (!chain) {
    const resolved = resolveJurisdictions(facility.address);
    chain = resolved.ok ? resolved.jurisdictions : layers.map((l) => l.jurisdiction);
  }

  const ctx: EvalContext = {
    asOf: asOfDay,
    facility: prepareFacility(facility),
    chain,
    findings: [],
    reevaluate: Number.POSITIVE_INFINITY,
  };
  const { steps, nextChange, coverage } = planFor(layers, asOfDay);
  if (nextChange > asOfDay && nextChange < ctx.reevaluate) ctx.reevaluate = nextChange;

  for (const step of steps) {
    if (step.finding) {
      ctx.findings.push(step.finding);
      continue;
    }
    const { meta } = step.rule;
    const reason = step.rule.applies(ctx);
    if (reason !== null) {
      ctx.findings.push(notApplicableFinding(meta, reason));
      continue;
    }
    const first = ctx.findings.length;
    step.rule.check(ctx, meta);
    // Requirement checks know nothing of overrides; name the override on what they produced.
    if (meta.override) {
      for (let i = first; i < ctx.findings.length; i++) {
        ctx.findings[i] = { ...(ctx.findings[i] as Finding), override: meta.override };
      }
    }
  }

  let fail = false;
  let warn = false;
  let next: Finding | undefined;
  for (const f of ctx.findings) {
    if (f.status === "fail") fail = true;
    else if (f.status === "warn") {
      warn = true;
      if (f.dueBy !== null && (next === undefined || (next.dueBy !== null && f.dueBy < next.dueBy))) next = f;
    }
  }

  return {
    status: fail ? "non_compliant" : warn ? "at_risk" : "compliant",
    jurisdictions: [...chain],
    datasets: layers.map((l) => ({ jurisdiction: l.jurisdiction, version: l.version })),
    coverage,
    findings: ctx.findings,
    nextDeadline: next?.dueBy ? { date: next.dueBy, ruleId: next.ruleId, subject: next.subject } : null,
    reevaluateAt: Number.isFinite(ctx.reevaluate) ? fromDay(ctx.reevaluate) : null,
  };
}
