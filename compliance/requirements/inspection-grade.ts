// Grade from the latest scored inspection (LAC-GRADE: A 90–100, B 80–89, C 70–79, a score card
// below 70). The payload cannot show the card is posted; the finding says which card to post.
import { fromDay } from "../dates";
import type { Check } from "../engine/types";
import type { RequirementOf } from "../schema/dataset";
import { changesOn, emit } from "./shared";

const FACILITY = { kind: "facility", id: "facility" } as const;

export function compileInspectionGrade(req: RequirementOf<"inspection_grade">): Check {
  const bands = req.bands;
  return (ctx, meta) => {
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
      emit(
        ctx,
        meta,
        "not_applicable",
        "No scored inspection is in the payload, so the grade cannot be checked.",
        FACILITY,
        Number.NaN,
      );
      return;
    }
    const band = bands.find((b) => score >= b.minScore);
    const when = fromDay(latestDay);
    if (!band) {
      emit(
        ctx,
        meta,
        "fail",
        `The latest inspection (${when}) scored ${score}, below every grade band; request a re-inspection.`,
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
