import { describe, expect, it } from "vitest";
import { COVERED_STATES, resolveJurisdictions } from "./resolve";
import { ZIP_COUNTIES } from "./zip-counties";
import { countiesOfZip, statesOfZip, ZIP_TABLE_STATES, zip5 } from "./zip-county";

const CA = "ocd-division/country:us/state:ca";

describe("resolveJurisdictions", () => {
  it("resolves a city without a county through the gazetteer", () => {
    expect(resolveJurisdictions({ city: "Pasadena", state: "CA" })).toEqual({
      ok: true,
      coverage: "city",
      jurisdictions: ["ocd-division/country:us", CA, `${CA}/county:los_angeles`, `${CA}/place:pasadena`],
    });
    const sf = resolveJurisdictions({ city: "San Francisco", state: "CA" });
    expect(sf.ok && sf.jurisdictions).toContain(`${CA}/place:san_francisco`);
    const rv = resolveJurisdictions({ city: "Riverside", state: "CA" });
    expect(rv.ok && rv.jurisdictions[2]).toBe(`${CA}/county:riverside`);
  });
  it("is case- and whitespace-insensitive", () => {
    const a = resolveJurisdictions({ city: "  LOS   angeles ", state: "ca", county: "los angeles county" });
    expect(a.ok && a.jurisdictions).toEqual([
      "ocd-division/country:us",
      CA,
      `${CA}/county:los_angeles`,
      `${CA}/place:los_angeles`,
    ]);
  });
  it("falls back to county coverage for unknown cities with a county", () => {
    expect(resolveJurisdictions({ city: "Mecca", county: "Riverside", state: "CA" })).toEqual({
      ok: true,
      coverage: "county",
      jurisdictions: ["ocd-division/country:us", CA, `${CA}/county:riverside`],
    });
  });
  it("falls back to state coverage for unknown cities without a county", () => {
    expect(resolveJurisdictions({ city: "Nowhereville", state: "CA" })).toMatchObject({
      ok: true,
      coverage: "state",
    });
  });
  it("answers not_covered for states without datasets and for inconsistent counties", () => {
    const wy = resolveJurisdictions({ city: "Cheyenne", state: "WY" });
    expect(wy).toMatchObject({ ok: false, reason: "not_covered" });
    expect(!wy.ok && wy.detail).toMatch(/WY.*covered states: CA, TX, FL, IL, NY/);
    expect(resolveJurisdictions({ city: "Pasadena", county: "Orange", state: "CA" })).toMatchObject({
      ok: false,
    });
    expect(resolveJurisdictions({ city: "X", county: "Narnia", state: "CA" })).toMatchObject({ ok: false });
    expect(resolveJurisdictions({ city: "Austin", county: "Harris", state: "TX" })).toMatchObject({
      ok: false,
    });
  });
  it("resolves the cities with their own datasets, in the county given when a city spans several", () => {
    const TX = "ocd-division/country:us/state:tx";
    expect(resolveJurisdictions({ city: "Houston", state: "TX" })).toEqual({
      ok: true,
      coverage: "city",
      jurisdictions: ["ocd-division/country:us", TX, `${TX}/county:harris`, `${TX}/place:houston`],
    });
    const austin = resolveJurisdictions({ city: "Austin", county: "Williamson County", state: "TX" });
    expect(austin.ok && austin.jurisdictions.slice(2)).toEqual([
      `${TX}/county:williamson`,
      `${TX}/place:austin`,
    ]);
    const chicago = resolveJurisdictions({ city: "Chicago", state: "IL" });
    expect(chicago.ok && chicago.jurisdictions[2]).toBe("ocd-division/country:us/state:il/county:cook");
  });
  it("maps the five boroughs to their counties and to New York City", () => {
    const NY = "ocd-division/country:us/state:ny";
    const at = (city: string, county?: string) => {
      const r = resolveJurisdictions({ city, state: "NY", ...(county ? { county } : {}) });
      return r.ok ? r.jurisdictions.slice(2) : r.detail;
    };
    const nyc = `${NY}/place:new_york`;
    expect(at("Manhattan")).toEqual([`${NY}/county:new_york`, nyc]);
    expect(at("New York")).toEqual([`${NY}/county:new_york`, nyc]);
    expect(at("Brooklyn")).toEqual([`${NY}/county:kings`, nyc]);
    expect(at("Queens")).toEqual([`${NY}/county:queens`, nyc]);
    expect(at("The Bronx")).toEqual([`${NY}/county:bronx`, nyc]);
    expect(at("Staten Island")).toEqual([`${NY}/county:richmond`, nyc]);
    expect(at("New York City", "Kings County")).toEqual([`${NY}/county:kings`, nyc]);
  });
  it("answers state-level coverage for places without local datasets", () => {
    for (const [city, state] of [
      ["Dallas", "TX"],
      ["Miami", "FL"],
      ["Springfield", "IL"],
      ["Buffalo", "NY"],
    ] as const) {
      expect(resolveJurisdictions({ city, state })).toEqual({
        ok: true,
        coverage: "state",
        jurisdictions: ["ocd-division/country:us", `ocd-division/country:us/state:${state.toLowerCase()}`],
      });
    }
    // A county Prep has no rules for adds no layer instead of being rejected.
    expect(resolveJurisdictions({ city: "Dallas", county: "Dallas", state: "TX" })).toMatchObject({
      coverage: "state",
    });
  });
});

describe("item 5: counties from ZIP codes (Census ZCTA-to-county relationships)", () => {
  const US = "ocd-division/country:us";
  const TX = `${US}/state:tx`;
  const NY = `${US}/state:ny`;
  const at = (address: { city: string; state: string; county?: string; postalCode?: string }) => {
    const r = resolveJurisdictions(address);
    return r.ok ? r.jurisdictions.slice(2) : r.detail;
  };

  it("ships a table for exactly the covered states, decoded to 5-digit ZIP codes", () => {
    expect([...ZIP_TABLE_STATES].sort()).toEqual([...COVERED_STATES].sort());
    expect(countiesOfZip("CA", "92570")).toEqual(["riverside"]);
    expect(countiesOfZip("CA", "92880")).toEqual(["riverside", "san bernardino"]);
    expect(countiesOfZip("NY", "06390")).toEqual(["suffolk"]); // leading zero kept
    expect(countiesOfZip("TX", "92570")).toEqual([]);
    expect(statesOfZip("60601")).toEqual(["IL"]);
    expect(zip5("92570-1234")).toBe("92570");
    expect(zip5("9257")).toBeUndefined();
    const size = JSON.stringify(ZIP_COUNTIES).length;
    expect(size).toBeLessThan(40_000); // compact: the Worker bundle carries it
  });

  it("resolves a city missing from the gazetteer to its ZIP code's county", () => {
    expect(resolveJurisdictions({ city: "Perris", state: "CA", postalCode: "92570" })).toEqual({
      ok: true,
      coverage: "county",
      jurisdictions: [US, CA, `${CA}/county:riverside`],
    });
    expect(at({ city: "Santee", state: "CA", postalCode: "92071-4401" })).toEqual([`${CA}/county:san_diego`]);
    expect(at({ city: "Lakewood", state: "CA", postalCode: "90712" })).toEqual([`${CA}/county:los_angeles`]);
    // Without a ZIP code (or with one the table does not list) nothing changes: state coverage.
    expect(resolveJurisdictions({ city: "Perris", state: "CA" })).toMatchObject({ coverage: "state" });
    expect(resolveJurisdictions({ city: "Perris", state: "CA", postalCode: "00000" })).toMatchObject({
      coverage: "state",
    });
  });

  it("checks the address's county against its ZIP code and reports a contradiction", () => {
    expect(at({ city: "Perris", county: "Riverside County", state: "CA", postalCode: "92570" })).toEqual([
      `${CA}/county:riverside`,
    ]);
    expect(at({ city: "Perris", county: "Orange", state: "CA", postalCode: "92570" })).toBe(
      "ZIP code 92570 lies in Riverside County, not Orange County; correct the address.",
    );
    // A county with no rules of its own (Texas lists only some) is still checked against the ZIP.
    expect(at({ city: "Dallas", county: "Harris", state: "TX", postalCode: "75201" })).toBe(
      "ZIP code 75201 lies in Dallas County, not Harris County; correct the address.",
    );
  });

  it("reports a ZIP code of another covered state, and a city the ZIP code contradicts", () => {
    expect(at({ city: "Austin", state: "TX", postalCode: "60601" })).toBe(
      "ZIP code 60601 is in Illinois, not Texas; correct the address.",
    );
    expect(at({ city: "Pasadena", state: "CA", postalCode: "92570" })).toBe(
      "Pasadena is in Los Angeles County, but ZIP code 92570 lies in Riverside County; correct the address.",
    );
  });

  it("settles a ZIP code spanning counties by the city's gazetteer county", () => {
    // 78613 (Cedar Park) spans Travis and Williamson; Austin's county is Travis.
    expect(at({ city: "Austin", state: "TX", postalCode: "78613" })).toEqual([
      `${TX}/county:travis`,
      `${TX}/place:austin`,
    ]);
    // A ZIP code in only one of the city's other counties places the address there.
    expect(countiesOfZip("TX", "78681")).toEqual(["williamson"]);
    expect(at({ city: "Austin", state: "TX", postalCode: "78681" })).toEqual([
      `${TX}/county:williamson`,
      `${TX}/place:austin`,
    ]);
  });

  it("leaves out, and reports, a county the ZIP code cannot settle, never guessing", () => {
    // 92880 (Eastvale, Corona) spans Riverside and San Bernardino counties: both refuse the state card.
    const r = resolveJurisdictions({ city: "Eastvale", state: "CA", postalCode: "92880" });
    expect(r).toEqual({
      ok: true,
      coverage: "state",
      jurisdictions: [US, CA],
      countyAmbiguity: {
        postalCode: "92880",
        counties: ["riverside", "san bernardino"],
        detail:
          "ZIP code 92880 spans Riverside County and San Bernardino County; the address names no county: county rules were not checked; add the county to the address.",
      },
    });
    // The county settles it.
    expect(at({ city: "Eastvale", county: "Riverside", state: "CA", postalCode: "92880" })).toEqual([
      `${CA}/county:riverside`,
    ]);
    // Counties Prep has no rules for are no ambiguity: every candidate resolves the same way.
    const dallasCollin = countiesOfZip("TX", "75287");
    expect(dallasCollin.length).toBeGreaterThan(1);
    expect(resolveJurisdictions({ city: "Dallas", state: "TX", postalCode: "75287" })).toEqual({
      ok: true,
      coverage: "state",
      jurisdictions: [US, TX],
    });
  });

  it("places a New York City borough's ZIP code in NYC whatever the postal city", () => {
    expect(at({ city: "Flushing", state: "NY", postalCode: "11354" })).toEqual([
      `${NY}/county:queens`,
      `${NY}/place:new_york`,
    ]);
    expect(at({ city: "Astoria", county: "Queens", state: "NY" })).toEqual([
      `${NY}/county:queens`,
      `${NY}/place:new_york`,
    ]);
    expect(at({ city: "New York", state: "NY", postalCode: "11201" })).toEqual([
      `${NY}/county:kings`,
      `${NY}/place:new_york`,
    ]);
    expect(resolveJurisdictions({ city: "Buffalo", state: "NY", postalCode: "14202" })).toMatchObject({
      coverage: "state",
    });
  });

  it("resolves the demo tenant's addresses as before", () => {
    for (const [city, state, postalCode, county] of [
      ["San Francisco", "CA", "94110", "san_francisco"],
      ["Los Angeles", "CA", "90028", "los_angeles"],
      ["Austin", "TX", "78704", "travis"],
      ["Houston", "TX", "77098", "harris"],
      ["Chicago", "IL", "60622", "cook"],
      ["New York", "NY", "10013", "new_york"],
    ] as const) {
      const r = resolveJurisdictions({ city, state, postalCode });
      expect(r.ok && r.jurisdictions[2]).toBe(`${US}/state:${state.toLowerCase()}/county:${county}`);
    }
    expect(resolveJurisdictions({ city: "Miami", state: "FL", postalCode: "33131" })).toMatchObject({
      coverage: "state",
    });
  });
});
