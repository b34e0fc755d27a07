import { describe, expect, it } from "vitest";
import { resolveJurisdictions } from "./resolve";

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
