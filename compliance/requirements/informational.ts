// Rules the payload cannot show compliance with (cooling logs, handwashing sinks, illness
// reporting) and preemption declarations: always `not_applicable`, never a silent pass.

import type { Check } from "../engine/types";
import type { RequirementOf } from "../schema/dataset";
import { emit } from "./shared";

export function compileInformational(req: RequirementOf<"informational">): Check {
  const message = `Not checkable from the payload: ${req.reason}. ${req.action}.`;
  return (ctx, meta) => emit(ctx, meta, "not_applicable", message, null, Number.NaN);
}

export function compilePreemption(req: RequirementOf<"preemption">): Check {
  const except = req.exceptJurisdictions?.length ? ` (except ${req.exceptJurisdictions.join(", ")})` : "";
  const message = `Local rules on ${req.topics.join(", ")} are preempted${except}; any such local rule is ignored.`;
  return (ctx, meta) => emit(ctx, meta, "not_applicable", message, null, Number.NaN);
}
