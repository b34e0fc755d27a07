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

/** USPS code → state name, for naming a division in a message. */
const STATE_NAMES: Record<string, string> = {
  al: "Alabama",
  ak: "Alaska",
  az: "Arizona",
  ar: "Arkansas",
  ca: "California",
  co: "Colorado",
  ct: "Connecticut",
  de: "Delaware",
  dc: "the District of Columbia",
  fl: "Florida",
  ga: "Georgia",
  hi: "Hawaii",
  id: "Idaho",
  il: "Illinois",
  in: "Indiana",
  ia: "Iowa",
  ks: "Kansas",
  ky: "Kentucky",
  la: "Louisiana",
  me: "Maine",
  md: "Maryland",
  ma: "Massachusetts",
  mi: "Michigan",
  mn: "Minnesota",
  ms: "Mississippi",
  mo: "Missouri",
  mt: "Montana",
  ne: "Nebraska",
  nv: "Nevada",
  nh: "New Hampshire",
  nj: "New Jersey",
  nm: "New Mexico",
  ny: "New York State",
  nc: "North Carolina",
  nd: "North Dakota",
  oh: "Ohio",
  ok: "Oklahoma",
  or: "Oregon",
  pa: "Pennsylvania",
  ri: "Rhode Island",
  sc: "South Carolina",
  sd: "South Dakota",
  tn: "Tennessee",
  tx: "Texas",
  ut: "Utah",
  vt: "Vermont",
  va: "Virginia",
  wa: "Washington",
  wv: "West Virginia",
  wi: "Wisconsin",
  wy: "Wyoming",
};

const titleCase = (slugged: string) =>
  slugged.replace(/(^|_)([a-z])/g, (_, sep, c) => `${sep ? " " : ""}${c.toUpperCase()}`);

/**
 * A division as a reader names it, for messages: "California", "Riverside County",
 * "San Francisco". An id of another shape is returned as given.
 */
export function divisionName(ocdId: string): string {
  const last = ocdId.slice(ocdId.lastIndexOf("/") + 1);
  const colon = last.indexOf(":");
  const [type, value] = [last.slice(0, colon), last.slice(colon + 1)];
  if (!ocdId.startsWith(US) || colon < 0 || value === "") return ocdId;
  if (type === "country") return value === "us" ? "the United States" : ocdId;
  if (type === "state") return STATE_NAMES[value] ?? value.toUpperCase();
  if (type === "county") return `${titleCase(value)} County`;
  if (type === "place") return titleCase(value);
  return ocdId;
}
