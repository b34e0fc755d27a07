// Holding-temperature readings (FDA-HOLD, CA-HOLD, NYC-style tightened limits): every reading in
// the look-back window is compared with the limit for its mode (and item, for allowances such
// as shell eggs at 45°F). One failing finding per out-of-range reading, subject = log index.
//
// Item allowances are matched explicitly by the log's `category` (facility schema,
// ITEM_CATEGORIES). A log without a category falls back on its item name, and the fallback
// fails safe:
// - a name matches a category only when it contains one of the category's phrases below as
//   whole words and none of its disqualifying words ("roast chicken" is not a whole meat roast,
//   "clam chowder" is not live shellfish, "egg salad" is not shell eggs);
// - among the allowances a name matches, the most stringent limit applies, so a name that may
//   be smoked fish gets NYC's 38°F, while a looser limit is never reached by guessing;
// - `other` says "none of these": the name is not matched.
// An explicit category is trusted: the allowances listing it apply (the most stringent, if
// several), and none other.
import { fromDay } from "../dates";
import { sharedNotApplicable } from "../engine/finding";
import type { Check, PreparedLog, RuleMeta } from "../engine/types";
import type { RequirementOf } from "../schema/dataset";
import type { ItemCategory } from "../schema/facility";
import { changesOn, emit, FACILITY } from "./shared";

/**
 * The name fallback for logs without a category: `match` phrases (any, as whole words) and
 * `unless` words (any disqualifies). Phrases are lower case. Looser allowances rely on these
 * lists being narrow; stricter ones (smoked fish) on them being broad.
 */
export const ITEM_NAME_FALLBACK: Record<
  Exclude<ItemCategory, "other">,
  { match: readonly string[]; unless: readonly string[] }
> = {
  whole_meat_roast: {
    match: [
      "prime rib",
      "rib roast",
      "standing rib",
      "roast beef",
      "beef roast",
      "roast of beef",
      "pork roast",
      "roast pork",
      "lamb roast",
      "roast lamb",
      "leg of lamb",
      "veal roast",
      "roast veal",
      "ham roast",
      "whole ham",
      "corned beef",
      "sirloin roast",
      "top round roast",
      "whole roast",
      "meat roast",
    ],
    unless: [
      "chicken",
      "turkey",
      "duck",
      "goose",
      "poultry",
      "hen",
      "capon",
      "fish",
      "sliced",
      "shaved",
      "chopped",
      "pulled",
      "ground",
      "diced",
      "sandwich",
      "sandwiches",
      "soup",
      "hash",
      "salad",
      "stew",
      "gravy",
      "sauce",
      "casserole",
      "filling",
      "wrap",
      "burrito",
      "taco",
      "tacos",
    ],
  },
  shell_eggs: {
    match: [
      "shell egg",
      "shell eggs",
      "shell-egg",
      "shell-eggs",
      "eggs in shell",
      "eggs in the shell",
      "in-shell egg",
      "in-shell eggs",
      "raw egg",
      "raw eggs",
      "egg case",
      "egg cases",
      "egg flat",
      "egg flats",
    ],
    unless: [
      "liquid",
      "pasteurized",
      "pasteurised",
      "cooked",
      "boiled",
      "hard-boiled",
      "scrambled",
      "salad",
      "peeled",
      "frittata",
      "quiche",
      "custard",
      "sandwich",
      "roll",
      "rolls",
      "mayonnaise",
      "dressing",
      "batter",
      "sauce",
    ],
  },
  live_molluscan_shellfish: {
    match: [
      "live oyster",
      "live oysters",
      "live clam",
      "live clams",
      "live mussel",
      "live mussels",
      "live scallop",
      "live scallops",
      "live shellfish",
      "live molluscan",
      "shellstock",
      "unshucked",
      "in-shell oyster",
      "in-shell oysters",
      "in-shell clam",
      "in-shell clams",
      "oysters in shell",
      "oysters in the shell",
      "clams in shell",
      "clams in the shell",
      "mussels in shell",
    ],
    unless: [
      "chowder",
      "soup",
      "stew",
      "bisque",
      "shucked",
      "half shell",
      "half-shell",
      "cooked",
      "steamed",
      "fried",
      "smoked",
      "canned",
      "frozen",
      "sauce",
      "pasta",
      "dip",
      "casserole",
      "stuffed",
      "baked",
    ],
  },
  sealed_pasteurized_dairy: {
    match: [
      "sealed milk",
      "sealed dairy",
      "unopened milk",
      "milk, sealed",
      "sealed cream",
      "unopened cream",
      "sealed yogurt",
      "unopened yogurt",
    ],
    unless: ["opened", "raw", "unpasteurized", "unpasteurised"],
  },
  smoked_fish: {
    match: [
      "smoked fish",
      "smoked salmon",
      "smoked trout",
      "smoked whitefish",
      "smoked sable",
      "smoked sablefish",
      "smoked mackerel",
      "smoked sturgeon",
      "smoked herring",
      "smoked bluefish",
      "smoked tuna",
      "smoked cod",
      "smoked haddock",
      "smoked eel",
      "lox",
      "nova",
      "kipper",
      "kippers",
      "kippered",
      "finnan haddie",
    ],
    unless: [],
  },
  reduced_oxygen_packaged_fish: {
    match: [
      "vacuum-packed fish",
      "vacuum packed fish",
      "vacuum-packed salmon",
      "vacuum packed salmon",
      "vacuum-sealed fish",
      "vacuum sealed fish",
      "rop fish",
      "reduced oxygen packaged fish",
      "reduced-oxygen-packaged fish",
      "sous vide fish",
      "sous-vide fish",
      "sous vide salmon",
      "sous-vide salmon",
    ],
    unless: [],
  },
};

function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code >= 128;
}

/** Whether `phrase` occurs in `text` (both lower case) delimited by non-letters: no regex per request. */
function containsWords(text: string, phrase: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(phrase, from);
    if (at < 0) return false;
    const end = at + phrase.length;
    if (
      (at === 0 || !isWordChar(text.charCodeAt(at - 1))) &&
      (end === text.length || !isWordChar(text.charCodeAt(end)))
    )
      return true;
    from = at + 1;
  }
}

function nameIs(itemLower: string, category: ItemCategory): boolean {
  if (category === "other") return false;
  const f = ITEM_NAME_FALLBACK[category];
  let hit = false;
  for (const m of f.match) if (containsWords(itemLower, m)) hit = true;
  if (!hit) return false;
  for (const u of f.unless) if (containsWords(itemLower, u)) return false;
  return true;
}

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

const BY_NAME = "; matched by the item name: set the log's category to confirm";

interface CompiledAllowance {
  categories: readonly ItemCategory[];
  keywords: readonly string[];
  /** Limits for a log whose category names the allowance. */
  cold: Limit | undefined;
  hot: Limit | undefined;
  /** The same limits for a log matched by its name (the message says so). */
  coldByName: Limit | undefined;
  hotByName: Limit | undefined;
}

/** The more stringent of two limits for the mode (lower cold maximum, higher hot minimum). */
function stricter(isCold: boolean, a: Limit | undefined, b: Limit): Limit {
  if (a === undefined) return b;
  return (isCold ? b.value < a.value : b.value > a.value) ? b : a;
}

function nameMatches(a: CompiledAllowance, itemLower: string): boolean {
  for (const c of a.categories) if (nameIs(itemLower, c)) return true;
  for (const k of a.keywords) if (itemLower.includes(k)) return true;
  return false;
}

/** The limit for one reading: an allowance chosen by category, else by name, else the general one. */
function limitFor(
  log: PreparedLog,
  isCold: boolean,
  general: Limit,
  allowances: readonly CompiledAllowance[],
): Limit {
  let chosen: Limit | undefined;
  if (log.category !== undefined) {
    for (const a of allowances) {
      const l = isCold ? a.cold : a.hot;
      if (l !== undefined && a.categories.includes(log.category)) chosen = stricter(isCold, chosen, l);
    }
  } else if (log.itemLower !== "") {
    for (const a of allowances) {
      const l = isCold ? a.coldByName : a.hotByName;
      if (l !== undefined && nameMatches(a, log.itemLower)) chosen = stricter(isCold, chosen, l);
    }
  }
  return chosen ?? general;
}

export function compileTemperature(req: RequirementOf<"temperature">, meta: RuleMeta): Check {
  const cold = limit(true, req.coldMaxF ?? Number.POSITIVE_INFINITY, undefined);
  const hot = limit(false, req.hotMinF ?? Number.NEGATIVE_INFINITY, undefined);
  const allowances: CompiledAllowance[] = (req.allowances ?? []).map((a) => ({
    categories: a.categories ?? [],
    keywords: (a.keywords ?? []).map((k) => k.toLowerCase()),
    cold: a.coldMaxF === undefined ? undefined : limit(true, a.coldMaxF, a.note),
    hot: a.hotMinF === undefined ? undefined : limit(false, a.hotMinF, a.note),
    coldByName: a.coldMaxF === undefined ? undefined : limit(true, a.coldMaxF, `${a.note}${BY_NAME}`),
    hotByName: a.hotMinF === undefined ? undefined : limit(false, a.hotMinF, `${a.note}${BY_NAME}`),
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
      const general = isCold ? cold : hot;
      const applicable = allowances.length === 0 ? general : limitFor(log, isCold, general, allowances);
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
