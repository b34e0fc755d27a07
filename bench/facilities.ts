// The engine benchmarks' workload: 1,000 generated San Francisco facilities (10 staff, 5
// temperature logs, 1–2 permits each) checked against the CA + SF layers on one asOf. Shared by
// `engine.ts` (timed against json-rules-engine and hand-written predicates) and
// `engine-count.ts` (instructions per verdict under cachegrind), so both measure the same work.
import * as v from "valibot";
import { fromDay, toDay } from "../compliance/dates";
import { type FacilityInput, FacilityInputSchema } from "../compliance/index";

export const ASOF = "2026-03-02";
export const AS = toDay(ASOF);
export const CA = "ocd-division/country:us/state:ca";
export const SF = `${CA}/place:san_francisco`;
export const CHAIN = ["ocd-division/country:us", CA, `${CA}/county:san_francisco`, SF];
export const FACILITIES = 1000;
export const STAFF = 10;

// Deterministic PRNG so every run measures the same facilities.
let seed = 42;
const rnd = () => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed / 2 ** 32;
};
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const daysAgo = (max: number) => fromDay(AS - Math.floor(rnd() * max));

function generate(i: number): FacilityInput {
  const mobile = rnd() < 0.1;
  const staff = Array.from({ length: STAFF }, (_, k) => {
    const role =
      k === 0
        ? "manager"
        : pick(["food_employee", "food_employee", "food_employee", "person_in_charge"] as const);
    const credentials = [];
    if (k === 0 && rnd() < 0.9)
      credentials.push({ type: "food_protection_manager" as const, issuedAt: daysAgo(5 * 365 + 60) });
    if (rnd() < 0.85)
      credentials.push({ type: "food_handler_card" as const, issuedAt: daysAgo(3 * 365 + 60) });
    return { id: `s${k}`, name: `Staff ${k}`, role, hiredAt: daysAgo(800), credentials };
  });
  const permits: object[] = [];
  if (rnd() < 0.95)
    permits.push({ type: "health_permit", number: `P${i}`, issuer: SF, issuedAt: daysAgo(420) });
  if (mobile && rnd() < 0.8)
    permits.push({
      type: "commissary_agreement",
      number: `C${i}`,
      expiresAt: fromDay(AS + Math.floor(rnd() * 400) - 20),
    });
  const temperatureLogs = Array.from({ length: 5 }, () => ({
    at: `${daysAgo(10)}T10:00:00-08:00`,
    mode: pick(["cold_holding", "hot_holding"] as const),
    tempF: 0,
  })).map((l) => ({
    ...l,
    tempF: l.mode === "cold_holding" ? 34 + Math.floor(rnd() * 9) : 130 + Math.floor(rnd() * 20),
  }));
  return v.parse(FacilityInputSchema, {
    name: `Kitchen ${i}`,
    type: mobile ? "mobile_food_facility" : "restaurant",
    address: { city: "San Francisco", state: "CA" },
    handlesUnpackagedTcsFood: rnd() < 0.95,
    openedAt: daysAgo(900),
    staff,
    permits,
    temperatureLogs,
  });
}
/** The same FACILITIES facilities on every call and in every run. */
export function generateFacilities(): FacilityInput[] {
  seed = 42;
  return Array.from({ length: FACILITIES }, (_, i) => generate(i));
}
