// Holding-temperature readings (FDA-HOLD, CA-HOLD, NYC-style tightened limits): every reading in
// the look-back window is compared with the limit for its mode (and item, for allowances such
// as shell eggs at 45°F). One failing finding per out-of-range reading, subject = log index.
import { fromDay } from "../dates";
import type { Check } from "../engine/types";
import type { RequirementOf } from "../schema/dataset";
import { changesOn, emit } from "./shared";

const FACILITY = { kind: "facility", id: "facility" } as const;

export function compileTemperature(req: RequirementOf<"temperature">): Check {
  const cold = req.coldMaxF ?? Number.POSITIVE_INFINITY;
  const hot = req.hotMinF ?? Number.NEGATIVE_INFINITY;
  const allowances = (req.allowances ?? []).map((a) => ({
    keywords: a.keywords.map((k) => k.toLowerCase()),
    cold: a.coldMaxF,
    hot: a.hotMinF,
    note: a.note,
  }));
  const lookback = req.lookbackDays;

  return (ctx, meta) => {
    const oldest = ctx.asOf - lookback + 1;
    let checked = 0;
    let failed = 0;
    for (const log of ctx.facility.logs) {
      if (log.day > ctx.asOf) {
        changesOn(ctx, log.day);
        continue;
      }
      if (log.day < oldest) continue;
      const isCold = log.mode === "cold_holding";
      let limit = isCold ? cold : hot;
      let note = "";
      if (log.itemLower !== "") {
        for (const a of allowances) {
          const l = isCold ? a.cold : a.hot;
          if (l === undefined) continue;
          let hit = false;
          for (const k of a.keywords) if (log.itemLower.includes(k)) hit = true;
          if (hit) {
            limit = l;
            note = ` (${a.note})`;
            break;
          }
        }
      }
      if (!Number.isFinite(limit)) continue;
      checked++;
      changesOn(ctx, log.day + lookback); // leaves the window
      const bad = isCold ? log.tempF > limit : log.tempF < limit;
      if (!bad) continue;
      failed++;
      const item = log.itemLower === "" ? "A reading" : `The reading for ${log.item}`;
      const bound = isCold ? `at or below ${limit}°F` : `at or above ${limit}°F`;
      emit(
        ctx,
        meta,
        "fail",
        `${item} on ${fromDay(log.day)} was ${log.tempF}°F; ${isCold ? "cold" : "hot"} holding must stay ${bound}${note}. Correct the unit and discard or reheat affected food.`,
        { kind: "temperatureLog", id: String(log.index) },
        Number.NaN,
      );
    }
    if (failed > 0) return;
    if (checked === 0) {
      emit(
        ctx,
        meta,
        "not_applicable",
        `No holding-temperature readings from the last ${lookback} days are in the payload, so this cannot be checked.`,
        FACILITY,
        Number.NaN,
      );
    } else {
      emit(
        ctx,
        meta,
        "pass",
        `All ${checked} holding-temperature readings from the last ${lookback} days are within limits.`,
        FACILITY,
        Number.NaN,
      );
    }
  };
}
