// ZIP code → counties, from the generated table zip-counties.ts (Census ZCTA-to-county
// relationships for the covered states). Each state's table is decoded on first use.
import { ZIP_COUNTIES } from "./zip-counties";

/** ZIP (5 digits) → the normalised names of the counties its ZCTA overlaps, sorted. */
type StateZips = ReadonlyMap<string, readonly string[]>;

const decoded = new Map<string, StateZips>();

function decodeState(code: string): StateZips {
  let zips = decoded.get(code);
  if (zips) return zips;
  const built = new Map<string, string[]>();
  const counties = ZIP_COUNTIES[code] ?? {};
  for (const county of Object.keys(counties)) {
    let n = 0;
    for (const delta of (counties[county] ?? "").split(",")) {
      n += Number.parseInt(delta, 36);
      const zip = String(n).padStart(5, "0");
      const list = built.get(zip);
      if (list) list.push(county);
      else built.set(zip, [county]);
    }
  }
  for (const list of built.values()) list.sort();
  zips = built;
  decoded.set(code, zips);
  return zips;
}

/** The 5-digit ZIP of a postal code ("92570-1234" → "92570"), or undefined. */
export function zip5(postalCode: string | undefined): string | undefined {
  const m = postalCode === undefined ? null : /^\s*(\d{5})(?:-\d{4})?\s*$/.exec(postalCode);
  return m?.[1];
}

/** Counties (normalised names) of `state` that the ZIP's ZCTA overlaps; empty when the table has none. */
export function countiesOfZip(state: string, zip: string): readonly string[] {
  return decodeState(state).get(zip) ?? [];
}

/** The covered states (USPS codes) whose table lists the ZIP, for addresses naming another state. */
export function statesOfZip(zip: string): string[] {
  return Object.keys(ZIP_COUNTIES).filter((code) => decodeState(code).has(zip));
}

/** Covered states in the table (resolve.test.ts checks it matches the gazetteers). */
export const ZIP_TABLE_STATES: readonly string[] = Object.keys(ZIP_COUNTIES);
