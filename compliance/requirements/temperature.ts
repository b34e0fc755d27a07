// Holding-temperature readings (FDA-HOLD, CA-HOLD, NYC-style tightened limits): every reading in
// the look-back window is compared with the limit for its mode (and item, for allowances such
// as shell eggs at 45°F). One failing finding per out-of-range reading, subject = log index.
import { fromDay } from "../dates";
import { sharedNotApplicable } from "../engine/finding";
import type { Check, RuleMeta } from "../engine/types";
import type { RequirementOf } from "../schema/dataset";
import { changesOn, emit } from "./shared";

const FACILITY = { kind: "facility", id: "facility" } as const;

/** A holding limit and the end of the message for a reading that breaks it, built once per rule. */
interface Limit {
  value: number;
  tail: string;
}

function limit(isCold: boolean, value: number, note: string | undefined): Limit {
  const bound = isCold
    ? `cold holding must stay at or below ${value}°F`
    : `hot holding must stay at or above ${value}°F`;
  return {
    value,
    tail: `°F; ${bound}${note === undefined ? "" : ` (${note})`}. Correct the unit and discard or reheat affected food.`,
  };
}

export function compileTemperature(req: RequirementOf<"temperature">, meta: RuleMeta): Check {
  const cold = limit(true, req.coldMaxF ?? Number.POSITIVE_INFINITY, undefined);
  const hot = limit(false, req.hotMinF ?? Number.NEGATIVE_INFINITY, undefined);
  const allowances = (req.allowances ?? []).map((a) => ({
    keywords: a.keywords.map((k) => k.toLowerCase()),
    cold: a.coldMaxF === undefined ? undefined : limit(true, a.coldMaxF, a.note),
    hot: a.hotMinF === undefined ? undefined : limit(false, a.hotMinF, a.note),
  }));
  const lookback = req.lookbackDays;
  const noReadings = sharedNotApplicable(
    meta,
    `No holding-temperature readings from the last ${lookback} days are in the payload, so this cannot be checked.`,
    FACILITY,
  );

  return (ctx) => {
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
      let applicable = isCold ? cold : hot;
      if (log.itemLower !== "") {
        for (const a of allowances) {
          const l = isCold ? a.cold : a.hot;
          if (l === undefined) continue;
          let hit = false;
          for (const k of a.keywords) if (log.itemLower.includes(k)) hit = true;
          if (hit) {
            applicable = l;
            break;
          }
        }
      }
      if (!Number.isFinite(applicable.value)) continue;
      checked++;
      changesOn(ctx, log.day + lookback); // leaves the window
      const bad = isCold ? log.tempF > applicable.value : log.tempF < applicable.value;
      if (!bad) continue;
      failed++;
      const item = log.itemLower === "" ? "A reading" : `The reading for ${log.item}`;
      emit(
        ctx,
        meta,
        "fail",
        `${item} on ${fromDay(log.day)} was ${log.tempF}${applicable.tail}`,
        { kind: "temperatureLog", id: String(log.index) },
        Number.NaN,
      );
    }
    if (failed > 0) return;
    if (checked === 0) {
      ctx.findings.push(noReadings);
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
