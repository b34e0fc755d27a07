// OCD division id helpers and name normalisation ("  Los  Angeles County " → "los_angeles").
export const US = "ocd-division/country:us";

export function stateId(code: string): string {
  return `${US}/state:${code.toLowerCase()}`;
}

/** Lower-case, trimmed, single-spaced, without punctuation or a trailing "county"/leading "city of". */
export function normalizeName(name: string): string {
  return name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[.,'’]/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .replace(/^(city and county of|city of|county of) /, "")
    .replace(/ (county|city and county)$/, "");
}

export function slug(normalized: string): string {
  return normalized.replace(/[^a-z0-9]+/g, "_").replace(/^_|_$/g, "");
}

/** How far down a division sits: a place is reported as "city" (the word API users know). */
export type DivisionLevel = "federal" | "state" | "county" | "city";

export function levelOf(ocdId: string): DivisionLevel {
  if (ocdId.includes("/place:")) return "city";
  if (ocdId.includes("/county:")) return "county";
  return ocdId.includes("/state:") ? "state" : "federal";
}

const DEPTH: Record<DivisionLevel, number> = { federal: 0, state: 1, county: 2, city: 3 };

/** The narrowest of the divisions' levels (null for none): how local the evaluated rules get. */
export function narrowestLevel(ocdIds: Iterable<string>): DivisionLevel | null {
  let best: DivisionLevel | null = null;
  for (const id of ocdIds) {
    const level = levelOf(id);
    if (best === null || DEPTH[level] > DEPTH[best]) best = level;
  }
  return best;
}
