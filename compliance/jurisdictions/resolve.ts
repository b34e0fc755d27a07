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
import { countiesOfZip, statesOfZip, zip5 } from "./zip-county";

/**
 * `coverage` is the narrowest division the address resolved to: "state" means Prep knows the
 * state's rules only (Dallas, Miami, Springfield IL, Buffalo), so local rules are not checked.
 */
export type Resolution =
  | {
      ok: true;
      jurisdictions: string[];
      coverage: "city" | "county" | "state";
      /** Set when the county could not be settled: its layer is left out, never guessed. */
      countyAmbiguity?: CountyAmbiguity;
    }
  | { ok: false; reason: "not_covered"; detail: string };

/** A ZIP code spanning counties that resolve differently, with nothing in the address to settle it. */
export interface CountyAmbiguity {
  postalCode: string;
  /** The candidate counties (normalised names, sorted). */
  counties: string[];
  /** What was not checked and what to correct, for API users. */
  detail: string;
}

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
type AddressLike = Pick<Address, "city"> & {
  state: string;
  county?: string | undefined;
  postalCode?: string | undefined;
};

const countyLabel = (normalized: string) => `${titleCase(slug(normalized))} County`;
const countyList = (names: readonly string[], conjunction = "or") => {
  const labels = names.map(countyLabel);
  const last = labels.pop() ?? "";
  return labels.length === 0 ? last : `${labels.join(", ")} ${conjunction} ${last}`;
};
const conflict = (detail: string): Resolution => ({ ok: false, reason: "not_covered", detail });

/**
 * Address → divisions. The county is the address's own (checked against its ZIP code), else the
 * one its ZIP code lies in (zip-counties.ts, from the Census ZCTA-to-county relationships), else
 * the gazetteer's county of its city. A ZIP code spanning counties is settled by the city (the
 * gazetteer's county, or the one county the ZIP and the city share); when nothing settles it the
 * county is left out, never guessed, and `countyAmbiguity` says so. An address whose ZIP code
 * contradicts its county, city or state is refused with what to correct, like a city/county
 * contradiction. A ZIP code the table does not list (PO boxes, codes newer than the 2010 table)
 * is ignored.
 */
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
  const given = address.county === undefined ? "" : normalizeName(address.county);
  if (given !== "" && !gazetteer.counties.has(given) && gazetteer.allCounties) {
    return conflict(`"${address.county}" is not a county of ${gazetteer.name}.`);
  }

  const zip = zip5(address.postalCode);
  const zipCounties = zip === undefined ? [] : countiesOfZip(code, zip);
  if (zip !== undefined && zipCounties.length === 0) {
    const elsewhere = statesOfZip(zip).map((c) => STATES[c]?.name ?? c);
    if (elsewhere.length > 0) {
      return conflict(
        `ZIP code ${zip} is in ${elsewhere.join(" and ")}, not ${gazetteer.name}; correct the address.`,
      );
    }
  }
  if (given !== "" && zipCounties.length > 0 && !zipCounties.includes(given)) {
    return conflict(
      `ZIP code ${zip} lies in ${countyList(zipCounties)}, not ${countyLabel(given)}; correct the address.`,
    );
  }
  /** A county Prep has no rules for adds no layer (states listing only some counties). */
  const layered = (county: string) => (gazetteer.allCounties || gazetteer.counties.has(county) ? county : "");
  let countyName = layered(given);
  const ambiguous = (counties: readonly string[]): CountyAmbiguity => ({
    postalCode: zip ?? "",
    counties: [...counties],
    detail:
      `ZIP code ${zip} spans ${countyList(counties, "and")}; the address names no county: ` +
      "county rules were not checked; add the county to the address.",
  });
  let countyAmbiguity: CountyAmbiguity | undefined;

  const entry = Object.hasOwn(gazetteer.cities, city) ? gazetteer.cities[city] : undefined;
  if (entry) {
    const cityCounties = [entry.county, ...(entry.otherCounties ?? [])];
    if (countyName !== "" && !cityCounties.includes(countyName)) {
      return conflict(
        `${address.city} is in ${entry.county} county, not ${countyName} county; correct the address.`,
      );
    }
    if (given === "" && zipCounties.length > 0) {
      const shared = zipCounties.filter((c) => cityCounties.includes(c));
      if (shared.length === 0) {
        return conflict(
          `${address.city} is in ${countyList(cityCounties)}, but ZIP code ${zip} lies in ${countyList(zipCounties)}; correct the address.`,
        );
      }
      if (shared.includes(entry.county)) countyName = entry.county;
      else if (shared.length === 1) countyName = shared[0] ?? "";
      else countyAmbiguity = ambiguous(shared);
    } else if (countyName === "") {
      countyName = entry.county;
    }
    const place = `${state}/place:${entry.place ?? slug(city)}`;
    if (countyAmbiguity) {
      return { ok: true, jurisdictions: [US, state, place], coverage: "city", countyAmbiguity };
    }
    const county = `${state}/county:${slug(countyName)}`;
    return { ok: true, jurisdictions: [US, state, county, place], coverage: "city" };
  }

  if (given === "" && zipCounties.length > 0) {
    const outcomes = new Set(zipCounties.map(layered));
    if (outcomes.size === 1) countyName = zipCounties.map(layered)[0] ?? "";
    else countyAmbiguity = ambiguous(zipCounties);
  }
  if (countyName !== "") {
    // A city we do not know (possibly unincorporated): county rules apply; a county lying wholly
    // in one place (a New York City borough) brings that place's rules too.
    const county = `${state}/county:${slug(countyName)}`;
    const place = gazetteer.countyPlaces?.[countyName];
    if (place !== undefined) {
      return { ok: true, jurisdictions: [US, state, county, `${state}/place:${place}`], coverage: "city" };
    }
    return { ok: true, jurisdictions: [US, state, county], coverage: "county" };
  }
  // An unknown city without a county: only the state layer is certain, and coverage says so.
  return countyAmbiguity
    ? { ok: true, jurisdictions: [US, state], coverage: "state", countyAmbiguity }
    : { ok: true, jurisdictions: [US, state], coverage: "state" };
}
