// Scenarios for New York City (Health Code Art. 81) inside the minimal New York State layer:
// the Food Protection Certificate that never expires, letter grades where fewer violation
// points are better, and the 140°F start for time-controlled hot food (informational); then the
// issue-15 corrections: NYC holding at 140°F/41°F and 38°F fish (item 1), the State Sanitary Code
// outside the city instead of the FDA model (item 2, own_code), packaged-only operations (item 9).
import { describe, expect, it } from "vitest";
import { check, findings, only } from "../test-helpers";

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
  it("supersedes the state layer's manager rule: an accredited manager certificate alone fails", () => {
    const v = check(
      {
        address: BROOKLYN,
        staff: [supervisor([{ type: "food_protection_manager", issuedAt: "2024-01-01" }])],
      },
      "2026-03-02",
    );
    expect(only(v, "NYC-FPC").status).toBe("fail");
    expect(only(v, "NY-CFPM").message).toMatch(/Superseded by NYC-FPC/);
    expect(only(v, "FDA-CFPM").message).toMatch(/own code on this topic \(NY-CFPM/);
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

describe("NYC-TPHC hot food under time control starts at 140°F (Health Code § 81.10, verified 2026-12-02)", () => {
  it("tightens FDA-TPHC but stays informational (not checkable from holding logs)", () => {
    const v = check({ address: BROOKLYN }, "2026-03-02");
    const f = only(v, "NYC-TPHC");
    expect(f).toMatchObject({ status: "not_applicable", verified: true });
    expect(f.message).toMatch(/140°F/);
    expect(f.citation).toMatch(/§ 81\.10; FDA Food Code 2022 § 3-501\.19/);
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
  it("gives Buffalo state-level coverage, without the State Sanitary Code placeholder (removed 2026.12.3)", () => {
    const v = check({ address: { city: "Buffalo", state: "NY" } }, "2026-03-02");
    expect(v.coverage).toBe("state");
    expect(findings(v, "NY-SANITARY")).toEqual([]);
  });
});

// ---- Issue 15 ----

const BUFFALO = { city: "Buffalo", state: "NY" };
const reading = (mode: "cold_holding" | "hot_holding", tempF: number, item?: string) => ({
  at: "2026-03-01T10:00:00Z",
  mode,
  tempF,
  ...(item === undefined ? {} : { item }),
});
const hold = (address: object, ...temperatureLogs: object[]) =>
  check({ address, temperatureLogs }, "2026-03-02");

describe("item 1: NYC hot holding at 140°F (Health Code § 81.09)", () => {
  it("fails hot food held at 135–139°F, which the FDA model would pass", () => {
    const v = hold(BROOKLYN, reading("hot_holding", 137, "beef stew"));
    expect(only(v, "NYC-HOLD")).toMatchObject({ status: "fail", verified: true });
    expect(only(v, "NYC-HOLD").message).toMatch(/at or above 140°F/);
    expect(only(v, "NYC-HOLD").citation).toMatch(/§ 81\.09/);
    expect(v.status).toBe("non_compliant");
  });
  it("passes hot food at 140°F and cold food at 41°F", () => {
    const v = hold(BROOKLYN, reading("hot_holding", 140, "beef stew"), reading("cold_holding", 41, "milk"));
    expect(only(v, "NYC-HOLD").status).toBe("pass");
  });
  it("fails cold food above 41°F", () => {
    expect(only(hold(BROOKLYN, reading("cold_holding", 42, "milk")), "NYC-HOLD").status).toBe("fail");
  });
  it("has no 130°F roast allowance in the city: a roast at 135°F fails", () => {
    expect(only(hold(BROOKLYN, reading("hot_holding", 135, "roast beef")), "NYC-HOLD").status).toBe("fail");
  });
  it("shows the FDA and State Sanitary Code holding rules as not applied in the city", () => {
    const v = hold(BROOKLYN, reading("hot_holding", 140));
    expect(only(v, "FDA-HOLD").status).toBe("not_applicable");
    expect(only(v, "NY-HOLD").message).toMatch(/Superseded by NYC-HOLD/);
  });
  it("holds smoked fish at 38°F or below, verified against § 81.09(a)(3) (was unverified)", () => {
    const v = hold(BROOKLYN, reading("cold_holding", 40, "Smoked salmon (nova)"));
    expect(only(v, "NYC-FISH")).toMatchObject({ status: "fail", verified: true });
    expect(only(v, "NYC-FISH").message).toMatch(/38°F/);
    expect(only(v, "NYC-FISH").citation).toMatch(/§ 81\.09\(a\)\(3\)/);
    expect(only(v, "NYC-HOLD").status).toBe("pass"); // 40°F is within the general 41°F
    // The city's processed-fish rule replaces the state's smoked-fish rule (10 NYCRR § 14-1.35).
    expect(only(v, "NY-FISH").message).toMatch(/Superseded by NYC-FISH/);
  });
  it("keeps reduced-oxygen-packaged fish at 38°F in a separate rule, still unverified", () => {
    const rop = hold(BROOKLYN, {
      ...reading("cold_holding", 39, "cod"),
      category: "reduced_oxygen_packaged_fish",
    });
    expect(only(rop, "NYC-FISH-ROP")).toMatchObject({ status: "fail", verified: false });
    expect(only(rop, "NYC-FISH").status).toBe("not_applicable");
    const named = hold(BROOKLYN, reading("cold_holding", 39, "vacuum-packed fish"));
    expect(only(named, "NYC-FISH-ROP").status).toBe("fail");
  });
  it("passes smoked fish at 38°F and leaves other items to the general limit", () => {
    expect(only(hold(BROOKLYN, reading("cold_holding", 38, "smoked whitefish")), "NYC-FISH").status).toBe(
      "pass",
    );
    const other = hold(BROOKLYN, reading("cold_holding", 40, "chicken salad"));
    expect(only(other, "NYC-FISH").status).toBe("not_applicable");
    expect(only(other, "NYC-HOLD").status).toBe("pass");
    // An explicit category is trusted over the name.
    const declared = hold(BROOKLYN, {
      ...reading("cold_holding", 40, "nova scotia cheddar"),
      category: "other",
    });
    expect(only(declared, "NYC-FISH").status).toBe("not_applicable");
  });
});

describe("item 2: New York State outside NYC has its own State Sanitary Code (10 NYCRR § 14-1.40)", () => {
  it("passes cold food at 44°F (45°F or below), which the FDA model would fail", () => {
    const v = hold(BUFFALO, reading("cold_holding", 44, "potato salad"));
    expect(only(v, "NY-HOLD")).toMatchObject({ status: "pass", verified: true });
    expect(only(v, "NY-HOLD").citation).toMatch(/10 NYCRR § 14-1\.40/);
  });
  it("fails cold food above 45°F", () => {
    expect(only(hold(BUFFALO, reading("cold_holding", 46)), "NY-HOLD").status).toBe("fail");
  });
  it("fails hot food at 135–139°F, which the FDA model would pass", () => {
    const v = hold(BUFFALO, reading("hot_holding", 137, "soup"));
    expect(only(v, "NY-HOLD").status).toBe("fail");
    expect(only(v, "NY-HOLD").message).toMatch(/at or above 140°F/);
    expect(only(hold(BUFFALO, reading("hot_holding", 140, "soup")), "NY-HOLD").status).toBe("pass");
  });
  it("shows the FDA holding rule as a reference that is not the law in the state", () => {
    const v = hold(BUFFALO, reading("cold_holding", 44));
    expect(only(v, "FDA-HOLD")).toMatchObject({ status: "not_applicable" });
    expect(only(v, "FDA-HOLD").message).toMatch(/own code on this topic \(NY-HOLD.*not the law/);
  });
  it("does not apply the FDA certified-manager rule as law; the state question is unverified", () => {
    const v = check(
      { address: BUFFALO, staff: [{ id: "c", role: "food_employee", hiredAt: "2025-01-01" }] },
      "2026-03-02",
    );
    expect(only(v, "FDA-CFPM").status).toBe("not_applicable");
    expect(only(v, "FDA-CFPM").message).toMatch(/own code on this topic \(NY-CFPM/);
    const ny = only(v, "NY-CFPM");
    expect(ny).toMatchObject({ status: "not_applicable", verified: false });
    expect(ny.message).toMatch(/unverified/);
  });
  it("keeps the FDA model out of New York City too, where the city's own rules govern", () => {
    const v = check({ address: BROOKLYN, staff: [supervisor([fpc()])] }, "2026-03-02");
    expect(only(v, "FDA-CFPM").message).toMatch(/own code on this topic \(NY-CFPM/);
    expect(only(v, "NY-CFPM").message).toMatch(/Superseded by NYC-FPC/);
    expect(only(v, "NYC-FPC").status).toBe("pass");
  });
  it("reaches back: the State Sanitary Code did not change, so replays get the correction too", () => {
    const v = check(
      { address: BUFFALO, temperatureLogs: [{ ...reading("cold_holding", 44), at: "2024-05-31T10:00:00Z" }] },
      "2024-06-01",
    );
    expect(only(v, "NY-HOLD").status).toBe("pass");
    expect(only(v, "FDA-HOLD").status).toBe("not_applicable");
  });
});

describe("item 9: NYC Food Protection Certificate and packaged-only operations (§ 81.15)", () => {
  const packagedOnly = (staff: object[]) =>
    check({ address: BROOKLYN, handlesUnpackagedTcsFood: false, staff }, "2026-03-02");
  it("holds a packaged-only operation to the same duty: § 81.15(a) names no exemption (NYC-FPC-PKG, verified 2026.12.3)", () => {
    const v = packagedOnly([{ id: "e", role: "food_employee", hiredAt: "2025-01-01" }]);
    expect(only(v, "NYC-FPC-PKG")).toMatchObject({ status: "fail", verified: true });
    expect(only(v, "NYC-FPC").status).toBe("not_applicable");
    expect(only(v, "NY-CFPM").message).toMatch(/Superseded by NYC-FPC-PKG/);
    const ok = only(packagedOnly([supervisor([fpc({ expiresAt: null })])]), "NYC-FPC-PKG");
    expect(ok).toMatchObject({ status: "pass", verified: true });
    expect(ok.message).toMatch(/on site/);
  });
  it("refuses an accredited manager certificate at a packaged-only operation, as NYC-FPC does elsewhere", () => {
    const v = packagedOnly([supervisor([{ type: "food_protection_manager", issuedAt: "2024-01-01" }])]);
    expect(only(v, "NYC-FPC-PKG").status).toBe("fail");
  });
  it("leaves a kitchen that handles unpackaged food to NYC-FPC", () => {
    const v = check({ address: BROOKLYN, staff: [supervisor([fpc()])] }, "2026-03-02");
    const q = only(v, "NYC-FPC-PKG");
    expect(q.status).toBe("not_applicable");
    expect(q.message).toMatch(/^Applies only where a facility handles packaged food only/);
    expect(only(v, "NYC-FPC").status).toBe("pass");
  });
});

// Issue 15, deepened coverage (datasets 2026.12.2): each scenario fails on the previous data.
describe("NY-FISH smoked fish at 38°F across the state (10 NYCRR § 14-1.35)", () => {
  it("fails smoked fish at 40°F in Buffalo, which NY-HOLD's 45°F alone passed", () => {
    const v = hold(BUFFALO, { ...reading("cold_holding", 40, "smoked trout"), category: "smoked_fish" });
    expect(only(v, "NY-FISH")).toMatchObject({ status: "fail", verified: true });
    expect(only(v, "NY-HOLD").status).toBe("pass");
  });
  it("passes smoked fish at 38°F and leaves other items to NY-HOLD", () => {
    expect(only(hold(BUFFALO, reading("cold_holding", 38, "smoked whitefish")), "NY-FISH").status).toBe(
      "pass",
    );
    expect(only(hold(BUFFALO, reading("cold_holding", 44, "potato salad")), "NY-FISH").status).toBe(
      "not_applicable",
    );
  });
});

describe("NYC-PERMIT Health Department permit (Health Code § 81.05)", () => {
  const permit = (issuer?: string) => ({
    type: "health_permit",
    number: "FSE-1",
    issuedAt: "2025-06-01",
    expiresAt: "2027-05-31",
    ...(issuer === undefined ? {} : { issuer }),
  });
  it("fails a restaurant whose permit another authority issued, which FDA-PERMIT accepted", () => {
    const v = check(
      { address: BROOKLYN, permits: [permit("ocd-division/country:us/state:nj")] },
      "2026-03-02",
    );
    expect(only(v, "NYC-PERMIT")).toMatchObject({ status: "fail", verified: true });
    expect(only(v, "NY-PERMIT").message).toMatch(/Superseded by NYC-PERMIT/);
    expect(only(v, "FDA-PERMIT").message).toMatch(/own code on this topic \(NY-PERMIT/);
  });
  it("passes the city's permit (an issuer-less permit is taken to be the city's)", () => {
    expect(
      only(check({ address: BROOKLYN, permits: [permit(NYC)] }, "2026-03-02"), "NYC-PERMIT").status,
    ).toBe("pass");
    expect(only(check({ address: BROOKLYN, permits: [permit()] }, "2026-03-02"), "NYC-PERMIT").status).toBe(
      "pass",
    );
  });
  it("fails without a permit", () => {
    expect(only(check({ address: BROOKLYN }, "2026-03-02"), "NYC-PERMIT").status).toBe("fail");
  });
  it("renews yearly: an undated permit runs one year from issue (was 'expiry unknown' until 2026.12.6)", () => {
    const { expiresAt: _, ...undated } = permit(NYC);
    const at = (asOf: string) => only(check({ address: BROOKLYN, permits: [undated] }, asOf), "NYC-PERMIT");
    expect(at("2026-03-02")).toMatchObject({ status: "pass", verified: true });
    expect(at("2026-05-15")).toMatchObject({ status: "warn", dueBy: "2026-06-01" });
    expect(at("2026-06-02").status).toBe("fail");
    const { issuedAt: __, ...bare } = undated;
    expect(only(check({ address: BROOKLYN, permits: [bare] }, "2026-03-02"), "NYC-PERMIT").status).toBe(
      "fail",
    );
  });
});

describe("NYC mobile food vending (Administrative Code § 17-307; Health Code Art. 89, § 81.15(a))", () => {
  const truck = (extra: object) =>
    check({ type: "mobile_food_facility", address: BROOKLYN, ...extra }, "2026-03-02");
  const unitPermit = {
    type: "mobile_food_facility_permit",
    number: "MFV-1",
    issuer: NYC,
    issuedAt: "2025-04-01",
  };
  const vendor = (credentials: object[]) => ({
    id: "v",
    role: "food_employee",
    hiredAt: "2025-01-01",
    credentials,
  });
  it("needs the city's unit permit: a truck without one fails, and the city's decal permit counts", () => {
    expect(only(truck({}), "NYC-MFV-PERMIT")).toMatchObject({ status: "fail", verified: true });
    const ok = only(truck({ permits: [{ ...unitPermit, expiresAt: "2027-03-31" }] }), "NYC-MFV-PERMIT");
    expect(ok.status).toBe("pass");
    expect(only(truck({ permits: [unitPermit] }), "NYC-MFV-PERMIT").message).toMatch(/expiry/i);
  });
  it("does not apply the restaurant permit rule to a truck", () => {
    expect(only(truck({}), "NYC-PERMIT").status).toBe("not_applicable");
  });
  it("fails each vendor without the Food Protection Certificate a vendor licence requires, from day one", () => {
    const v = truck({ staff: [supervisor([fpc()]), vendor([])] });
    expect(only(v, "NYC-MFV-FPC", "v")).toMatchObject({ status: "fail", verified: true });
    expect(only(v, "NYC-MFV-FPC", "m").status).toBe("pass");
    expect(only(truck({ staff: [vendor([fpc()])] }), "NYC-MFV-FPC", "v").status).toBe("pass");
  });
  it("leaves restaurant staff alone", () => {
    const v = check({ address: BROOKLYN, staff: [vendor([])] }, "2026-03-02");
    expect(only(v, "NYC-MFV-FPC").status).toBe("not_applicable");
  });
});

describe("posted signs: NYC letter grade (§ 81.51(b)) and the state choking instructions (PHL § 1352-b)", () => {
  it("checks an NYC restaurant's grade card and choking instructions against the notices it states (informational before)", () => {
    const none = check({ address: BROOKLYN, postedNotices: [] }, "2026-03-02");
    expect(only(none, "NYC-GRADE-POST")).toMatchObject({ status: "fail", verified: true });
    expect(only(none, "NYC-GRADE-POST").message).toMatch(/visible to the public/);
    expect(only(none, "NY-CHOKE")).toMatchObject({ status: "fail", verified: true });
    const grade = check({ address: BROOKLYN, postedNotices: ["letter_grade_card"] }, "2026-03-02");
    expect(only(grade, "NYC-GRADE-POST").status).toBe("pass");
    expect(only(grade, "NY-CHOKE").status).toBe("fail");
    const both = check(
      { address: BROOKLYN, postedNotices: ["letter_grade_card", "choking_first_aid"] },
      "2026-03-02",
    );
    expect([only(both, "NYC-GRADE-POST").status, only(both, "NY-CHOKE").status]).toEqual(["pass", "pass"]);
  });
  it("does not guess for a restaurant that states nothing: not checked, saying what to post", () => {
    const v = check({ address: BROOKLYN }, "2026-03-02");
    expect(only(v, "NYC-GRADE-POST")).toMatchObject({ status: "not_applicable", verified: true });
    expect(only(v, "NYC-GRADE-POST").message).toMatch(/^Not checked: .*postedNotices.*letter grade card/);
    expect(only(v, "NY-CHOKE").status).toBe("not_applicable");
  });
  it("gives a Buffalo restaurant the state choking rule but not the city's grade card", () => {
    const v = check({ address: BUFFALO, postedNotices: [] }, "2026-03-02");
    expect(only(v, "NY-CHOKE").status).toBe("fail");
    expect(v.findings.some((f) => f.ruleId === "NYC-GRADE-POST")).toBe(false);
  });
});

describe("NY-PERMIT State Sanitary Code permit (10 NYCRR § 14-1.190)", () => {
  it("fails a Buffalo restaurant without a permit, under the state's own rule rather than the FDA model", () => {
    const v = check({ address: BUFFALO }, "2026-03-02");
    expect(only(v, "NY-PERMIT")).toMatchObject({ status: "fail", verified: true });
    expect(only(v, "FDA-PERMIT").message).toMatch(/own code on this topic \(NY-PERMIT/);
  });
  it("accepts a county health department's permit, and a truck's mobile permit", () => {
    const county = {
      type: "health_permit",
      issuer: "ocd-division/country:us/state:ny/county:erie",
      issuedAt: "2025-06-01",
      expiresAt: "2026-05-31",
    };
    expect(only(check({ address: BUFFALO, permits: [county] }, "2026-03-02"), "NY-PERMIT").status).toBe(
      "pass",
    );
    const truck = check(
      {
        type: "mobile_food_facility",
        address: BUFFALO,
        permits: [{ ...county, type: "mobile_food_facility_permit" }],
      },
      "2026-03-02",
    );
    expect(only(truck, "NY-PERMIT").status).toBe("pass");
  });
});

describe("NYC-HOLD shell eggs at an ambient 45°F (Health Code § 81.09(a)(2))", () => {
  it("passes intact shell eggs at 44°F, which the 41°F limit alone failed", () => {
    const v = hold(BROOKLYN, { ...reading("cold_holding", 44, "eggs"), category: "shell_eggs" });
    expect(only(v, "NYC-HOLD").status).toBe("pass");
  });
  it("still fails shell eggs above 45°F and other food above 41°F", () => {
    expect(
      only(hold(BROOKLYN, { ...reading("cold_holding", 46, "eggs"), category: "shell_eggs" }), "NYC-HOLD")
        .status,
    ).toBe("fail");
    expect(only(hold(BROOKLYN, reading("cold_holding", 44, "milk")), "NYC-HOLD").status).toBe("fail");
  });
});

// Issue 15, round 3 (NY 2026.12.3): Subpart 14-4 (mobile food service establishments).
describe("NY-MFSE-HOLD mobile units hold food at 45°F/140°F under Subpart 14-4 (10 NYCRR § 14-4.41(c))", () => {
  const truck = (...temperatureLogs: object[]) =>
    check({ type: "mobile_food_facility", address: BUFFALO, temperatureLogs }, "2026-03-02");
  it("fails a truck's cold food above 45°F and hot food below 140°F, under § 14-4.41(c) rather than § 14-1.40", () => {
    const v = truck(reading("cold_holding", 46, "potato salad"), reading("hot_holding", 137, "chili"));
    const f = findings(v, "NY-MFSE-HOLD");
    expect(f.map((x) => x.status)).toEqual(["fail", "fail"]);
    expect(f[0]).toMatchObject({ verified: true, citation: expect.stringMatching(/§ 14-4\.41\(c\)/) });
    expect(only(v, "NY-HOLD").status).toBe("not_applicable");
    expect(only(v, "FDA-HOLD").status).toBe("not_applicable");
  });
  it("passes a truck's food at 45°F and 140°F (the FDA model's 41°F would fail 45°F)", () => {
    const v = truck(reading("cold_holding", 45, "potato salad"), reading("hot_holding", 140, "chili"));
    expect(only(v, "NY-MFSE-HOLD").status).toBe("pass");
  });
  it("leaves fixed establishments to NY-HOLD, and city trucks to NYC-HOLD", () => {
    const fixed = hold(BUFFALO, reading("cold_holding", 46));
    expect(only(fixed, "NY-HOLD").status).toBe("fail");
    expect(only(fixed, "NY-MFSE-HOLD").status).toBe("not_applicable");
    const cityTruck = check(
      { type: "mobile_food_facility", address: BROOKLYN, temperatureLogs: [reading("cold_holding", 44)] },
      "2026-03-02",
    );
    expect(only(cityTruck, "NYC-HOLD").status).toBe("fail");
    expect(only(cityTruck, "NY-MFSE-HOLD").message).toMatch(/Superseded by NYC-HOLD/);
  });
});

describe("NY-MFSE-COMMISSARY mobile units are serviced at a permitted commissary (10 NYCRR § 14-4.95(a))", () => {
  const agreement = { type: "commissary_agreement", number: "C-1", issuedAt: "2025-01-10" };
  it("fails a truck with no commissary on record (no rule asked for one before 2026.12.3)", () => {
    const v = check({ type: "mobile_food_facility", address: BUFFALO }, "2026-03-02");
    expect(only(v, "NY-MFSE-COMMISSARY")).toMatchObject({ status: "fail", verified: true });
  });
  it("passes a truck with a commissary agreement, in the city too", () => {
    for (const address of [BUFFALO, BROOKLYN]) {
      const v = check({ type: "mobile_food_facility", address, permits: [agreement] }, "2026-03-02");
      expect(only(v, "NY-MFSE-COMMISSARY").status).toBe("pass");
    }
  });
  it("does not apply to a restaurant", () => {
    expect(only(check({ address: BUFFALO }, "2026-03-02"), "NY-MFSE-COMMISSARY").status).toBe(
      "not_applicable",
    );
  });
});

describe("NY-PERMIT-POST permit displayed where consumers see it (10 NYCRR § 14-1.190(a))", () => {
  const post = (draft: Record<string, unknown>) =>
    only(check({ address: BUFFALO, ...draft }, "2026-03-02"), "NY-PERMIT-POST");
  it("fails a Buffalo restaurant whose posted notices lack the permit, passes one listing it", () => {
    expect(post({ postedNotices: ["choking_first_aid"] })).toMatchObject({ status: "fail", verified: true });
    expect(post({ postedNotices: [] }).message).toMatch(/where consumers can see it/);
    expect(post({ postedNotices: ["permit"] }).status).toBe("pass");
    expect(post({ postedNotices: ["permit"] }).citation).toBe("10 NYCRR § 14-1.190(a)");
  });
  it("does not guess when nothing is stated", () => {
    expect(post({}).status).toBe("not_applicable");
    expect(post({}).message).toMatch(/^Not checked: .*postedNotices.*permit/);
  });
  it("leaves mobile units (Subpart 14-4) and New York City (NYC-PERMIT) alone", () => {
    expect(post({ type: "mobile_food_facility", postedNotices: [] }).status).toBe("not_applicable");
    const city = check({ address: BROOKLYN, postedNotices: [] }, "2026-03-02");
    expect(findings(city, "NY-PERMIT-POST").every((f) => f.status === "not_applicable")).toBe(true);
  });
});

describe("NY-ALLERGY-POST food allergy notice for staff (Public Health Law § 1356(3); start date unverified)", () => {
  const allergy = (draft: Record<string, unknown>, asOf = "2026-03-02") =>
    findings(check({ address: BUFFALO, ...draft }, asOf), "NY-ALLERGY-POST");
  it("fails a restaurant whose posted notices lack it and passes one listing it, in the city too", () => {
    expect(allergy({ postedNotices: ["choking_first_aid"] })[0]).toMatchObject({
      status: "fail",
      verified: false, // only the 2023-05-20 start date is unverified
    });
    expect(allergy({ postedNotices: [] })[0]?.message).toMatch(/cross contact/);
    expect(allergy({ postedNotices: ["food_allergy_notice"] })[0]?.status).toBe("pass");
    const city = check({ address: BROOKLYN, postedNotices: ["letter_grade_card"] }, "2026-03-02");
    expect(only(city, "NY-ALLERGY-POST").status).toBe("fail");
  });
  it("covers caterers, not institutional kitchens, and is not checked when nothing is stated", () => {
    expect(allergy({ type: "caterer", postedNotices: [] })[0]?.status).toBe("fail");
    expect(allergy({ type: "institutional_kitchen", postedNotices: [] })[0]?.status).toBe("not_applicable");
    expect(allergy({})[0]?.message).toMatch(/^Not checked: .*food allergy notice/);
  });
  it("did not bind before the law took effect on 2023-05-20", () => {
    expect(allergy({ postedNotices: [] }, "2023-05-19")).toEqual([]);
    expect(allergy({ postedNotices: [] }, "2023-05-20")[0]?.status).toBe("fail");
  });
});

describe("NYC-SODIUM sodium warning at chains of 15 or more (Health Code § 81.49)", () => {
  const sodium = (draft: Record<string, unknown>, asOf = "2026-03-02") =>
    findings(check({ address: BROOKLYN, ...draft }, asOf), "NYC-SODIUM");
  it("fails a chain of 15 that lists its notices without the warning, passes one listing it", () => {
    expect(sodium({ chainLocations: 15, postedNotices: ["letter_grade_card"] })[0]).toMatchObject({
      status: "fail",
      verified: true,
    });
    expect(sodium({ chainLocations: 15, postedNotices: [] })[0]?.message).toMatch(/2,300 mg/);
    expect(sodium({ chainLocations: 15, postedNotices: ["sodium_warning"] })[0]?.status).toBe("pass");
  });
  it("leaves a chain of 14 alone (FDA-MENU's 20 does not apply either), and asks a facility that states no size", () => {
    expect(sodium({ chainLocations: 14, postedNotices: [] })[0]?.status).toBe("not_applicable");
    expect(sodium({ postedNotices: [] })[0]?.message).toMatch(/does not state chainLocations/);
  });
  it("does not guess when a chain states no notices, and did not bind before 2015-12-01", () => {
    expect(sodium({ chainLocations: 40 })[0]?.message).toMatch(/^Not checked: .*sodium warning/);
    expect(sodium({ chainLocations: 40, postedNotices: [] }, "2015-11-30")).toEqual([]);
  });
  it("covers a chain's food truck and stays out of Buffalo", () => {
    expect(sodium({ type: "mobile_food_facility", chainLocations: 20, postedNotices: [] })[0]?.status).toBe(
      "fail",
    );
    const buffalo = check({ address: BUFFALO, chainLocations: 20, postedNotices: [] }, "2026-03-02");
    expect(findings(buffalo, "NYC-SODIUM")).toEqual([]);
  });
});

describe("handwashing signs: NY-HANDSIGN (10 NYCRR § 14-1.143(e)) and NYC-HANDSIGN (Health Code § 81.21(c))", () => {
  it("fails a Buffalo restaurant whose posted notices lack the sign, passes one listing it, and does not guess", () => {
    const sign = (draft: Record<string, unknown>) =>
      only(check({ address: BUFFALO, ...draft }, "2026-03-02"), "NY-HANDSIGN");
    expect(sign({ postedNotices: ["permit"] })).toMatchObject({ status: "fail", verified: true });
    expect(sign({ postedNotices: [] }).message).toMatch(/employee toilet room/);
    expect(sign({ postedNotices: ["handwashing_sign"] }).status).toBe("pass");
    expect(sign({}).message).toMatch(/^Not checked: .*handwashing sign/);
    expect(sign({ type: "mobile_food_facility", postedNotices: [] }).status).toBe("not_applicable");
  });
  it("in the city, the Health Code's sign rule replaces the state's, for food trucks too", () => {
    const city = (draft: Record<string, unknown>) => check({ address: BROOKLYN, ...draft }, "2026-03-02");
    expect(only(city({ postedNotices: [] }), "NYC-HANDSIGN")).toMatchObject({
      status: "fail",
      verified: true,
    });
    expect(only(city({ postedNotices: [] }), "NYC-HANDSIGN").message).toMatch(
      /near or above every hand washing sink/,
    );
    expect(only(city({ postedNotices: ["handwashing_sign"] }), "NYC-HANDSIGN").status).toBe("pass");
    expect(only(city({ postedNotices: [] }), "NY-HANDSIGN").message).toMatch(/Superseded by NYC-HANDSIGN/);
    const truck = city({ type: "mobile_food_facility", postedNotices: [] });
    expect(only(truck, "NYC-HANDSIGN").status).toBe("fail");
  });
});

describe("NYC-ALLERGY-POST the Department's food allergy poster (24 RCNY ch. 27; Admin. Code § 17-195)", () => {
  const poster = (draft: Record<string, unknown>) =>
    findings(check({ address: BROOKLYN, ...draft }, "2026-03-02"), "NYC-ALLERGY-POST");
  it("fails a city restaurant whose posted notices lack it, passes one listing it", () => {
    expect(poster({ postedNotices: ["letter_grade_card"] })[0]).toMatchObject({
      status: "fail",
      verified: true,
    });
    expect(poster({ postedNotices: [] })[0]?.message).toMatch(/languages all food workers understand/);
    expect(poster({ postedNotices: ["food_allergy_notice"] })[0]?.status).toBe("pass");
    expect(poster({ type: "caterer", postedNotices: [] })[0]?.status).toBe("fail");
  });
  it("is not checked when nothing is stated, skips ghost kitchens, and stays in the city", () => {
    expect(poster({})[0]?.message).toMatch(/^Not checked: .*food allergy notice/);
    expect(poster({ type: "ghost_kitchen", postedNotices: [] })[0]?.status).toBe("not_applicable");
    expect(
      findings(check({ address: BUFFALO, postedNotices: [] }, "2026-03-02"), "NYC-ALLERGY-POST"),
    ).toEqual([]);
  });
});

// Issue 15, north8 (NYC 2026.12.6): the city's calorie posting rule, read in § 81.50(a)(2) and on the
// city's NYC Business and 311 pages. Each scenario fails on 2026.12.5 (no such rule).
describe("NYC-CALORIE calorie information at chains of 15 or more (Health Code § 81.50)", () => {
  const calorie = (draft: Record<string, unknown>) => check({ address: BROOKLYN, ...draft }, "2026-03-02");
  it("fails a chain of 16 whose notices lack calorie labels, where the federal rule (20) does not reach", () => {
    const v = calorie({ chainLocations: 16, postedNotices: ["letter_grade_card"] });
    expect(only(v, "NYC-CALORIE")).toMatchObject({ status: "fail", verified: true });
    expect(only(v, "FDA-MENU").status).toBe("not_applicable");
    expect(only(calorie({ chainLocations: 16, postedNotices: [] }), "NYC-CALORIE").message).toMatch(
      /as prominent as the item's name or price/,
    );
  });
  it("passes a chain listing its calorie labels, and binds alongside FDA-MENU from 20 locations", () => {
    expect(
      only(calorie({ chainLocations: 16, postedNotices: ["menu_calorie_labels"] }), "NYC-CALORIE").status,
    ).toBe("pass");
    const big = calorie({ chainLocations: 25, postedNotices: [] });
    expect(only(big, "NYC-CALORIE").status).toBe("fail");
    expect(only(big, "FDA-MENU").status).toBe("fail");
  });
  it("leaves a chain of 14 alone, covers a chain's food truck, and stays out of Buffalo", () => {
    expect(only(calorie({ chainLocations: 14, postedNotices: [] }), "NYC-CALORIE").status).toBe(
      "not_applicable",
    );
    expect(
      only(calorie({ type: "mobile_food_facility", chainLocations: 15, postedNotices: [] }), "NYC-CALORIE")
        .status,
    ).toBe("fail");
    const buffalo = check({ address: BUFFALO, chainLocations: 16, postedNotices: [] }, "2026-03-02");
    expect(findings(buffalo, "NYC-CALORIE")).toEqual([]);
  });
});
