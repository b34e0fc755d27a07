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
    const tx = resolveJurisdictions({ city: "Austin", state: "TX" });
    expect(tx).toMatchObject({ ok: false, reason: "not_covered" });
    expect(!tx.ok && tx.detail).toMatch(/TX.*covered states: CA/);
    expect(resolveJurisdictions({ city: "Pasadena", county: "Orange", state: "CA" })).toMatchObject({
      ok: false,
    });
    expect(resolveJurisdictions({ city: "X", county: "Narnia", state: "CA" })).toMatchObject({ ok: false });
  });
});
