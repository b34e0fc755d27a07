// Scenarios for New York City (Health Code Art. 81) inside the minimal New York State layer:
// the Food Protection Certificate that never expires, letter grades where fewer violation
// points are better, and the 140°F start for time-controlled hot food (informational).
import { describe, expect, it } from "vitest";
import { check, only } from "../test-helpers";

const NY = "ocd-division/country:us/state:ny";
const NYC = `${NY}/place:new_york`;
const BROOKLYN = { city: "Brooklyn", state: "NY" };
const supervisor = (credentials: object[]) => ({
  id: "m",
  role: "manager",
  hiredAt: "1995-01-01",
  credentials,
});
const fpc = (extra: object = {}) => ({
  type: "local_manager_certificate",
  issuer: NYC,
  issuedAt: "1996-05-01",
  ...extra,
});

describe("NYC-FPC Food Protection Certificate on site (Health Code § 81.15)", () => {
  it("never expires: expiresAt null still passes decades later", () => {
    const v = check({ address: BROOKLYN, staff: [supervisor([fpc({ expiresAt: null })])] }, "2040-03-02");
    expect(only(v, "NYC-FPC")).toMatchObject({ status: "pass", verified: true });
    expect(only(v, "NYC-FPC").message).toMatch(/on site/);
  });
  it("counts an undated certificate, and assumes an issuer-less local certificate is the city's", () => {
    const v = check(
      { address: BROOKLYN, staff: [supervisor([{ type: "local_manager_certificate" }])] },
      "2026-03-02",
    );
    expect(only(v, "NYC-FPC").status).toBe("pass");
  });
  it("replaces the FDA certified-manager rule: an accredited manager certificate alone fails", () => {
    const v = check(
      {
        address: BROOKLYN,
        staff: [supervisor([{ type: "food_protection_manager", issuedAt: "2024-01-01" }])],
      },
      "2026-03-02",
    );
    expect(only(v, "NYC-FPC").status).toBe("fail");
    expect(only(v, "FDA-CFPM").message).toMatch(/Superseded by NYC-FPC/);
  });
});

describe("NYC-GRADE letter grades (Health Code § 81.51): fewer points is better", () => {
  const graded = (score: number) =>
    only(
      check({ address: BROOKLYN, inspections: [{ date: "2026-02-01", score }] }, "2026-03-02"),
      "NYC-GRADE",
    );
  it.each([
    [0, "A"],
    [13, "A"],
    [14, "B"],
    [27, "B"],
    [28, "C"],
    [60, "C"],
  ])("%i points → grade %s", (score, grade) => {
    expect(graded(score).message).toMatch(new RegExp(`grade card ${grade} `));
  });
});

describe("NYC-TPHC hot food under time control starts at 140°F", () => {
  it("tightens FDA-TPHC but stays informational (not checkable from holding logs)", () => {
    const v = check({ address: BROOKLYN }, "2026-03-02");
    const f = only(v, "NYC-TPHC");
    expect(f).toMatchObject({ status: "not_applicable", verified: false });
    expect(f.message).toMatch(/140°F/);
    expect(f.citation).toMatch(/Article 81.*; FDA Food Code 2022 § 3-501\.19/);
    expect(only(v, "FDA-TPHC").message).toMatch(/Tightened by NYC-TPHC/);
  });
});

describe("New York State layer and coverage", () => {
  it("puts boroughs in their counties and in New York City", () => {
    expect(check({ address: BROOKLYN }, "2026-03-02").jurisdictions).toEqual([
      "ocd-division/country:us",
      NY,
      `${NY}/county:kings`,
      NYC,
    ]);
  });
  it("gives Buffalo state-level coverage with the unverified State Sanitary Code placeholder", () => {
    const v = check({ address: { city: "Buffalo", state: "NY" } }, "2026-03-02");
    expect(v.coverage).toBe("state");
    expect(only(v, "NY-SANITARY")).toMatchObject({ status: "not_applicable", verified: false });
  });
});
