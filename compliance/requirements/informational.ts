// Rules the payload cannot show compliance with (cooling logs, handwashing sinks, illness
// reporting) and preemption declarations: always `not_applicable`, never a silent pass. The
// finding depends on the rule alone, so it is built once and shared by every verdict.

import { sharedNotApplicable } from "../engine/finding";
import type { CompiledRequirement, Finding, RuleMeta } from "../engine/types";
import { divisionName } from "../jurisdictions/resolve";
import type { RequirementOf } from "../schema/dataset";
import { enumLabel } from "../wording";

/** A requirement that reports the same shared finding on every facility. */
function always(finding: Finding): CompiledRequirement {
  return {
    check: (ctx) => {
      ctx.findings.push(finding);
    },
    fixed: finding,
  };
}

export function compileInformational(
  req: RequirementOf<"informational">,
  meta: RuleMeta,
): CompiledRequirement {
  return always(sharedNotApplicable(meta, `Not checkable from the payload: ${req.reason}. ${req.action}.`));
}

export function compilePreemption(req: RequirementOf<"preemption">, meta: RuleMeta): CompiledRequirement {
  const except = req.exceptJurisdictions?.length
    ? ` (except ${req.exceptJurisdictions.map(divisionName).join(", ")})`
    : "";
  const topics = req.topics.map(enumLabel).join(", ");
  const message = `Local rules on ${topics} are preempted${except}; any such local rule is ignored.`;
  return always(sharedNotApplicable(meta, message));
}
