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
