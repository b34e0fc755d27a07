// Grade from the latest scored inspection (LAC-GRADE: A 90–100, B 80–89, C 70–79, a score card
// below 70; NYC-GRADE, where fewer violation points are better: A 0–13, B 14–27, C 28+). The
// payload cannot show the card is posted; the finding says which card to post.
import { fromDay } from "../dates";
import { sharedNotApplicable } from "../engine/finding";
import type { Check, RuleMeta } from "../engine/types";
import type { RequirementOf } from "../schema/dataset";
import { changesOn, emit, FACILITY } from "./shared";

export function compileInspectionGrade(req: RequirementOf<"inspection_grade">, meta: RuleMeta): Check {
  // Bands become "score ≥ min" or "score ≤ max" tests once, so the check compares numbers only.
  const lower = req.scoring === "lower_is_better";
  const bands = req.bands.map((b) => ({
    ...b,
    reaches: lower
      ? (score: number) => score <= (b.maxScore ?? Number.POSITIVE_INFINITY)
      : (score: number) => score >= (b.minScore ?? Number.NEGATIVE_INFINITY),
  }));
  const unscored = sharedNotApplicable(
    meta,
    "No scored inspection is in the payload, so the grade cannot be checked.",
    FACILITY,
  );
  return (ctx) => {
    let latestDay = Number.NEGATIVE_INFINITY;
    let score: number | undefined;
    for (const i of ctx.facility.inspections) {
      if (i.score === undefined) continue;
      if (i.day > ctx.asOf) {
        changesOn(ctx, i.day);
        continue;
      }
      // Same-day inspections: the later one in the payload wins (a re-inspection is listed after).
      if (i.day >= latestDay) {
        latestDay = i.day;
        score = i.score;
      }
    }
    if (score === undefined) {
      ctx.findings.push(unscored);
      return;
    }
    const band = bands.find((b) => b.reaches(score));
    const when = fromDay(latestDay);
    if (!band) {
      emit(
        ctx,
        meta,
        "fail",
        `The latest inspection (${when}) scored ${score}, ${lower ? "above" : "below"} every grade band; request a re-inspection.`,
        FACILITY,
        Number.NaN,
      );
      return;
    }
    const message =
      band.status === "pass"
        ? `The latest inspection (${when}) scored ${score}: post the ${band.label} where customers can see it.`
        : `The latest inspection (${when}) scored ${score} (${band.label}); correct the violations and request a re-inspection.`;
    emit(ctx, meta, band.status, message, FACILITY, Number.NaN);
  };
}
