// resolveJurisdictions: a facility address → OCD division ids, broadest first. Coverage is
// decided here (not by input validation): any US state is valid input, but only states with a
// gazetteer and datasets resolve; the others answer not_covered with a reason.
import type { Address } from "../schema/facility";
import type { StateGazetteer } from "./gazetteer";
import { CALIFORNIA } from "./gazetteer-ca";
import { FLORIDA } from "./gazetteer-fl";
import { ILLINOIS } from "./gazetteer-il";
import { NEW_YORK } from "./gazetteer-ny";
import { TEXAS } from "./gazetteer-tx";
import { normalizeName, slug, stateId, US } from "./ocd";

/**
 * `coverage` is the narrowest division the address resolved to: "state" means Prep knows the
 * state's rules only (Dallas, Miami, Springfield IL, Buffalo), so local rules are not checked.
 */
export type Resolution =
  | { ok: true; jurisdictions: string[]; coverage: "city" | "county" | "state" }
  | { ok: false; reason: "not_covered"; detail: string };

/** Covered states. Adding a state = a gazetteer here + datasets under datasets/. */
const STATES: Record<string, StateGazetteer> = {
  CA: CALIFORNIA,
  TX: TEXAS,
  FL: FLORIDA,
  IL: ILLINOIS,
  NY: NEW_YORK,
};

/** State names by USPS code, for coverage listings. */
export function coveredStateName(code: string): string | undefined {
  return STATES[code]?.name;
}

export const COVERED_STATES = Object.keys(STATES);

const titleCase = (slugged: string) =>
  slugged.replace(/(^|_)([a-z])/g, (_, sep: string, c: string) => `${sep ? " " : ""}${c.toUpperCase()}`);

/**
 * A division as a reader names it, for messages: "California", "Riverside County",
 * "San Francisco" (a state Prep does not cover keeps its USPS code). An id of another shape is
 * returned as given.
 */
export function divisionName(ocdId: string): string {
  const last = ocdId.slice(ocdId.lastIndexOf("/") + 1);
  const colon = last.indexOf(":");
  const type = last.slice(0, colon);
  const value = last.slice(colon + 1);
  if (!ocdId.startsWith(US) || colon < 0 || value === "") return ocdId;
  if (type === "country") return value === "us" ? "the United States" : ocdId;
  if (type === "state") return coveredStateName(value.toUpperCase()) ?? value.toUpperCase();
  if (type === "county") return `${titleCase(value)} County`;
  if (type === "place") return titleCase(value);
  return ocdId;
}

/** Any address with a city and a state code (a validated `Address` fits). */
type AddressLike = Pick<Address, "city"> & { state: string; county?: string | undefined };

export function resolveJurisdictions(address: AddressLike): Resolution {
  const code = address.state.trim().toUpperCase();
  const gazetteer = STATES[code];
  if (!gazetteer) {
    return {
      ok: false,
      reason: "not_covered",
      detail: `Prep has no rule datasets for ${code} yet; covered states: ${COVERED_STATES.join(", ")}.`,
    };
  }
  const state = stateId(code);
  const city = normalizeName(address.city);
  let countyName = address.county === undefined ? "" : normalizeName(address.county);
  if (countyName !== "" && !gazetteer.counties.has(countyName)) {
    if (gazetteer.allCounties) {
      return {
        ok: false,
        reason: "not_covered",
        detail: `"${address.county}" is not a county of ${gazetteer.name}.`,
      };
    }
    countyName = ""; // a county Prep has no rules for: it adds no layer
  }
  const entry = Object.hasOwn(gazetteer.cities, city) ? gazetteer.cities[city] : undefined;
  if (entry) {
    if (countyName !== "" && countyName !== entry.county && !entry.otherCounties?.includes(countyName)) {
      return {
        ok: false,
        reason: "not_covered",
        detail: `${address.city} is in ${entry.county} county, not ${countyName} county; correct the address.`,
      };
    }
    const county = `${state}/county:${slug(countyName || entry.county)}`;
    const place = `${state}/place:${entry.place ?? slug(city)}`;
    return { ok: true, jurisdictions: [US, state, county, place], coverage: "city" };
  }
  if (countyName !== "") {
    // A city we do not know (possibly unincorporated): county rules apply, no city layer.
    return {
      ok: true,
      jurisdictions: [US, state, `${state}/county:${slug(countyName)}`],
      coverage: "county",
    };
  }
  // An unknown city without a county: only the state layer is certain, and coverage says so.
  return { ok: true, jurisdictions: [US, state], coverage: "state" };
}
