// Statute-derived scenarios for every rule of the California layers (state, the three county
// card programs, San Francisco, Los Angeles County): pass, fail, grace-period warnings with the
// day-30/31 boundary, expiry, expiring-soon warnings and non-applicability.
import { describe, expect, it } from "vitest";
import { CERTIFIED_MANAGER, check, findings, only } from "../test-helpers";

const cook = (extra: object = {}) => ({
  id: "s-12",
  name: "Maria",
  role: "food_employee" as const,
  hiredAt: "2024-01-10",
  ...extra,
});
const card = (issuedAt: string, issuer?: string) => ({
  type: "food_handler_card" as const,
  issuedAt,
  ...(issuer ? { issuer } : {}),
});
const CA = "ocd-division/country:us/state:ca";
const permit = { type: "health_permit" as const, number: "HP-1", issuedAt: "2025-01-01" };

describe("CA-FHC food handler card (HSC 113948)", () => {
  it("passes with a current card and names the person", () => {
    const v = check(
      { staff: [CERTIFIED_MANAGER, cook({ credentials: [card("2025-01-01")] })] },
      "2026-03-02",
    );
    expect(only(v, "CA-FHC", "s-12")).toMatchObject({
      status: "pass",
      subject: { kind: "staff", id: "s-12" },
    });
  });
  it("warns inside the 30-day grace period through day 30 and fails on day 31", () => {
    const staff = [cook({ hiredAt: "2026-02-12" })];
    const day30 = only(check({ staff }, "2026-03-14"), "CA-FHC", "s-12");
    expect(day30).toMatchObject({ status: "warn", dueBy: "2026-03-14" });
    expect(day30.message).toBe(
      "Maria (staff s-12) has no food handler card. California requires one within 30 days of hire (by 2026-03-14).",
    );
    expect(only(check({ staff }, "2026-03-15"), "CA-FHC", "s-12")).toMatchObject({
      status: "fail",
      dueBy: "2026-03-14",
    });
  });
  it("fails with an expired card (3-year validity from issue)", () => {
    const f = only(
      check({ staff: [cook({ credentials: [card("2022-01-01")] })] }, "2026-03-02"),
      "CA-FHC",
      "s-12",
    );
    expect(f.status).toBe("fail");
    expect(f.message).toMatch(/expired on 2025-01-01/);
  });
  it("warns with dueBy when the card expires within 30 days", () => {
    const staff = [cook({ credentials: [card("2023-03-20")] })];
    expect(only(check({ staff }, "2026-02-18"), "CA-FHC", "s-12")).toMatchObject({
      status: "warn",
      dueBy: "2026-03-20",
    });
    expect(only(check({ staff }, "2026-02-17"), "CA-FHC", "s-12").status).toBe("pass");
    expect(only(check({ staff }, "2026-03-20"), "CA-FHC", "s-12").status).toBe("warn");
    expect(only(check({ staff }, "2026-03-21"), "CA-FHC", "s-12").status).toBe("fail");
  });
  it("exempts the food safety certificate holder", () => {
    expect(only(check({ staff: [CERTIFIED_MANAGER] }, "2026-03-02"), "CA-FHC", "m-1").status).toBe("pass");
  });
  it("does not apply where only packaged food is handled", () => {
    const v = check({ handlesUnpackagedTcsFood: false, staff: [cook()] }, "2026-03-02");
    expect(only(v, "CA-FHC")).toMatchObject({ status: "not_applicable", subject: null });
  });
  it("does not accept the state card in Riverside County even without the county layer loaded", async () => {
    const { compileDataset, evaluate } = await import("../index");
    const { bundledLayersFor } = await import("./index");
    const { facility } = await import("../test-helpers");
    const f = facility({
      address: { city: "Riverside", state: "CA" },
      staff: [cook({ credentials: [card("2025-01-01")] })],
    });
    const layers = bundledLayersFor(["ocd-division/country:us", CA]).map(compileDataset);
    const v = evaluate(f, layers, "2026-03-02");
    expect(only(v, "CA-FHC", "s-12").message).toMatch(/not accepted here/);
    const f2 = facility({ staff: [cook({ credentials: [card("2025-01-01", `${CA}/county:riverside`)] })] }); // Oakland
    expect(only(evaluate(f2, layers, "2026-03-02"), "CA-FHC", "s-12").status).toBe("fail");
  });
});

describe.each([
  ["RIV-FHC", "Riverside", "riverside", false],
  ["SBD-FHC", "San Bernardino", "san_bernardino", true],
  ["SDG-FHC", "San Diego", "san_diego", true],
])("%s county food handler card program", (ruleId, city, slug, verified) => {
  const county = `${CA}/county:${slug}`;
  const address = { city, state: "CA" };
  it("supersedes CA-FHC and accepts the county card", () => {
    const v = check({ address, staff: [cook({ credentials: [card("2025-01-01", county)] })] }, "2026-03-02");
    expect(only(v, ruleId, "s-12").status).toBe("pass");
    expect(only(v, "CA-FHC")).toMatchObject({
      status: "not_applicable",
      message: expect.stringMatching(new RegExp(`Superseded by ${ruleId}`)),
    });
  });
  it("rejects the state card", () => {
    const v = check({ address, staff: [cook({ credentials: [card("2025-01-01", CA)] })] }, "2026-03-02");
    expect(only(v, ruleId, "s-12")).toMatchObject({ status: "fail", verified });
    expect(only(v, ruleId, "s-12").message).toMatch(/not accepted here/);
  });
  it.skipIf(slug !== "riverside")("warns through day 7 after hire (one week) and fails on day 8", () => {
    const staff = [cook({ hiredAt: "2026-02-01" })];
    expect(only(check({ address, staff }, "2026-02-08"), ruleId, "s-12")).toMatchObject({
      status: "warn",
      dueBy: "2026-02-08",
    });
    expect(only(check({ address, staff }, "2026-02-09"), ruleId, "s-12").status).toBe("fail");
  });
  it("expires after 3 years", () => {
    const old = [cook({ credentials: [card("2023-01-01", county)] })];
    expect(only(check({ address, staff: old }, "2026-01-02"), ruleId, "s-12").status).toBe("fail");
    expect(only(check({ address, staff: old }, "2025-12-15"), ruleId, "s-12")).toMatchObject({
      status: "warn",
      dueBy: "2026-01-01",
    });
  });
  it("does not apply to packaged-food-only sites", () => {
    expect(
      only(check({ address, handlesUnpackagedTcsFood: false, staff: [cook()] }, "2026-03-02"), ruleId).status,
    ).toBe("not_applicable");
  });
});

describe("CA-FSC food safety certificate (HSC 113947.1, 113947.3)", () => {
  const noHolder = [cook({ credentials: [card("2025-01-01")] })];
  it("passes when one owner or employee holds a current certificate, and supersedes FDA-CFPM", () => {
    const v = check({ staff: [CERTIFIED_MANAGER] }, "2026-03-02");
    expect(only(v, "CA-FSC")).toMatchObject({
      status: "pass",
      subject: { kind: "facility", id: "facility" },
    });
    expect(only(v, "FDA-CFPM").message).toMatch(/Superseded by CA-FSC/);
  });
  it("warns for 60 days after opening (day 60 ok) and fails on day 61", () => {
    expect(only(check({ openedAt: "2026-01-01", staff: noHolder }, "2026-03-02"), "CA-FSC")).toMatchObject({
      status: "warn",
      dueBy: "2026-03-02",
    });
    expect(only(check({ openedAt: "2026-01-01", staff: noHolder }, "2026-03-03"), "CA-FSC").status).toBe(
      "fail",
    );
  });
  it("restarts the window on a change of ownership", () => {
    const v = check(
      { openedAt: "2010-01-01", ownershipChangedAt: "2026-02-01", staff: noHolder },
      "2026-03-02",
    );
    expect(only(v, "CA-FSC")).toMatchObject({ status: "warn", dueBy: "2026-04-02" });
  });
  it("fails without an opening date, and with an expired (5-year) certificate", () => {
    expect(only(check({ staff: noHolder }, "2026-03-02"), "CA-FSC").status).toBe("fail");
    const expired = [
      {
        ...CERTIFIED_MANAGER,
        credentials: [{ type: "food_protection_manager" as const, issuedAt: "2021-01-01" }],
      },
    ];
    const f = only(check({ staff: expired }, "2026-03-02"), "CA-FSC");
    expect(f.status).toBe("fail");
    expect(f.message).toMatch(/expired on 2026-01-01/);
  });
  it("warns when the only certificate expires within 30 days", () => {
    const soon = [
      {
        ...CERTIFIED_MANAGER,
        credentials: [{ type: "food_protection_manager" as const, issuedAt: "2021-03-20" }],
      },
    ];
    expect(only(check({ staff: soon }, "2026-03-02"), "CA-FSC")).toMatchObject({
      status: "warn",
      dueBy: "2026-03-20",
    });
  });
  it("does not apply where only packaged food is handled, and neither does FDA-CFPM", () => {
    const v = check({ handlesUnpackagedTcsFood: false }, "2026-03-02");
    expect(only(v, "CA-FSC").status).toBe("not_applicable");
    // Not "superseded": CA-FSC replaces FDA-CFPM only where it applies itself.
    expect(only(v, "FDA-CFPM")).toMatchObject({
      status: "not_applicable",
      message: expect.stringMatching(/Applies only where unpackaged TCS/),
    });
  });
});

describe("CA-HOLD holding temperatures (HSC 113996)", () => {
  const log = (
    tempF: number,
    mode: "cold_holding" | "hot_holding" = "cold_holding",
    item?: string,
    at = "2026-03-01T09:00:00-08:00",
  ) => ({
    at,
    mode,
    tempF,
    ...(item ? { item } : {}),
  });
  it("passes readings at the limits and supersedes FDA-HOLD", () => {
    const v = check({ temperatureLogs: [log(41), log(135, "hot_holding")] }, "2026-03-02");
    expect(only(v, "CA-HOLD").status).toBe("pass");
    expect(only(v, "FDA-HOLD").status).toBe("not_applicable");
  });
  it("fails each out-of-range reading with the log index as subject", () => {
    const v = check({ temperatureLogs: [log(40), log(42), log(134, "hot_holding")] }, "2026-03-02");
    expect(findings(v, "CA-HOLD").map((f) => [f.status, f.subject?.id])).toEqual([
      ["fail", "1"],
      ["fail", "2"],
    ]);
    expect(v.status).toBe("non_compliant");
  });
  it("allows 45°F for shell eggs but not 46°F", () => {
    expect(
      only(check({ temperatureLogs: [log(45, "cold_holding", "Shell eggs")] }, "2026-03-02"), "CA-HOLD")
        .status,
    ).toBe("pass");
    expect(
      only(check({ temperatureLogs: [log(46, "cold_holding", "Shell eggs")] }, "2026-03-02"), "CA-HOLD")
        .status,
    ).toBe("fail");
  });
  it("checks only the last 7 days and reports nothing checkable otherwise", () => {
    const v = check(
      { temperatureLogs: [log(50, "cold_holding", undefined, "2026-02-20T09:00:00Z")] },
      "2026-03-02",
    );
    expect(only(v, "CA-HOLD").status).toBe("not_applicable");
    const recent = check(
      { temperatureLogs: [log(50, "cold_holding", undefined, "2026-02-24T09:00:00Z")] },
      "2026-03-02",
    );
    expect(only(recent, "CA-HOLD").status).toBe("fail");
    expect(recent.reevaluateAt).toBe("2026-03-03"); // the bad reading leaves the 7-day window
  });
});

describe("not checkable from the payload", () => {
  it.each(["CA-COOL", "CA-DATE", "CA-HSINK"])("%s is reported as not checkable, never passed", (id) => {
    const f = only(check({}, "2026-03-02"), id);
    expect(f.status).toBe("not_applicable");
    expect(f.message).toMatch(/^Not checkable from the payload/);
  });
});

describe("CA-DATE encodes only HSC § 114057 and is verified (restated in 2026.12.5)", () => {
  it("reports the use-by duty for reduced-oxygen packaging as a verified, not checkable finding", () => {
    const f = only(check({}, "2026-03-02"), "CA-DATE");
    expect(f).toMatchObject({ status: "not_applicable", verified: true });
    expect(f.message).toMatch(/Use By/);
    expect(f.message).toMatch(/§ 114057/);
  });
  it("no longer asserts the unverified absence of a general 7-day date-marking rule", () => {
    const f = only(check({}, "2026-03-02"), "CA-DATE");
    expect(f.message).not.toMatch(/7-day|no general/i);
    expect(f.citation).not.toMatch(/unverified/);
  });
  it("still supersedes FDA-DATE in California (HSC § 113705), as before the restatement", () => {
    const fda = only(check({}, "2026-03-02"), "FDA-DATE");
    expect(fda.status).toBe("not_applicable");
    expect(fda.message).toMatch(/^Superseded by CA-DATE/);
  });
});

describe("CA-PERMIT health permit (HSC 114381)", () => {
  it("passes with a valid permit; the subject is the permit number", () => {
    const dated = { ...permit, expiresAt: "2026-12-31" };
    expect(only(check({ permits: [dated] }, "2026-03-02"), "CA-PERMIT")).toMatchObject({
      status: "pass",
      subject: { kind: "permit", id: "HP-1" },
    });
  });
  it("fails when missing (subject = permit type) or expired", () => {
    expect(only(check({}, "2026-03-02"), "CA-PERMIT")).toMatchObject({
      status: "fail",
      subject: { kind: "permit", id: "health_permit" },
    });
    expect(
      only(check({ permits: [{ ...permit, expiresAt: "2026-03-01" }] }, "2026-03-02"), "CA-PERMIT").status,
    ).toBe("fail");
  });
  it("warns with dueBy when it expires within 30 days", () => {
    expect(
      only(check({ permits: [{ ...permit, expiresAt: "2026-03-31" }] }, "2026-03-02"), "CA-PERMIT"),
    ).toMatchObject({
      status: "warn",
      dueBy: "2026-03-31",
    });
    expect(
      only(check({ permits: [{ ...permit, expiresAt: "2026-04-02" }] }, "2026-03-02"), "CA-PERMIT").status,
    ).toBe("pass");
  });
  it("is not transferable: a permit issued before a change of ownership does not count", () => {
    const f = only(check({ ownershipChangedAt: "2026-02-01", permits: [permit] }, "2026-03-02"), "CA-PERMIT");
    expect(f.status).toBe("fail");
    expect(f.message).toMatch(/not transferable/);
  });
  it("is due before opening for a facility that has not opened yet", () => {
    expect(only(check({ openedAt: "2026-04-01" }, "2026-03-02"), "CA-PERMIT")).toMatchObject({
      status: "warn",
      dueBy: "2026-03-31",
    });
  });
});

describe("CA-MFF commissary for mobile food facilities (HSC 114295)", () => {
  const agreement = { type: "commissary_agreement" as const, number: "C-9" };
  it("passes with a commissary agreement and fails without", () => {
    expect(
      only(check({ type: "mobile_food_facility", permits: [agreement] }, "2026-03-02"), "CA-MFF").status,
    ).toBe("pass");
    expect(only(check({ type: "mobile_food_facility" }, "2026-03-02"), "CA-MFF").status).toBe("fail");
  });
  it("warns when the agreement expires within 30 days", () => {
    const v = check(
      { type: "mobile_food_facility", permits: [{ ...agreement, expiresAt: "2026-03-10" }] },
      "2026-03-02",
    );
    expect(only(v, "CA-MFF")).toMatchObject({ status: "warn", dueBy: "2026-03-10" });
  });
  it("does not apply to other facility types", () => {
    expect(only(check({ type: "restaurant" }, "2026-03-02"), "CA-MFF").message).toBe(
      "Applies only to mobile food facilities; this is a restaurant.",
    );
  });
});

describe("SF-PERMIT annual permit (SF Health Code Art. 8)", () => {
  const address = { city: "san francisco", state: "CA" };
  const sf = { type: "health_permit" as const, number: "SF-7", issuer: `${CA}/place:san_francisco` };
  it("tightens CA-PERMIT to a yearly renewal", () => {
    const v = check({ address, permits: [{ ...sf, issuedAt: "2025-06-01" }] }, "2026-03-02");
    expect(only(v, "SF-PERMIT")).toMatchObject({
      status: "pass",
      citation: expect.stringContaining("114381"),
    });
    expect(only(v, "CA-PERMIT").message).toMatch(/Tightened by SF-PERMIT/);
    expect(
      only(check({ address, permits: [{ ...sf, issuedAt: "2025-03-01" }] }, "2026-03-02"), "SF-PERMIT")
        .status,
    ).toBe("fail");
  });
  it("warns within 30 days of the anniversary", () => {
    expect(
      only(check({ address, permits: [{ ...sf, issuedAt: "2025-03-20" }] }, "2026-03-02"), "SF-PERMIT"),
    ).toMatchObject({
      status: "warn",
      dueBy: "2026-03-20",
    });
  });
  it("rejects a permit from another authority and an undated one", () => {
    const la = { ...sf, issuer: `${CA}/county:los_angeles`, issuedAt: "2025-06-01" };
    expect(only(check({ address, permits: [la] }, "2026-03-02"), "SF-PERMIT").status).toBe("fail");
    expect(
      only(check({ address, permits: [{ type: "health_permit" }] }, "2026-03-02"), "SF-PERMIT").message,
    ).toMatch(/no issue or expiry date/);
  });
  it("accepts a San Francisco mobile food facility permit for a food truck (inherited from CA-PERMIT)", () => {
    const truck = (permits: object[]) =>
      only(check({ address, type: "mobile_food_facility", permits }, "2026-03-02"), "SF-PERMIT");
    const mff = { ...sf, type: "mobile_food_facility_permit", issuedAt: "2025-06-01" };
    expect(truck([mff])).toMatchObject({ status: "pass", subject: { id: "SF-7" } });
    // Still San Francisco's own, still yearly.
    expect(truck([{ ...mff, issuer: `${CA}/county:los_angeles` }]).status).toBe("fail");
    expect(truck([{ ...mff, issuedAt: "2025-03-01" }]).status).toBe("fail");
  });
  it("SF-CONTACT-SIGN checks the sign pointing patrons to the health department, and exists only in San Francisco", () => {
    const sign = (draft: Record<string, unknown>) =>
      only(check({ address, ...draft }, "2026-03-02"), "SF-CONTACT-SIGN");
    expect(sign({ postedNotices: ["inspection_placard"] })).toMatchObject({ status: "fail", verified: true });
    expect(sign({ postedNotices: [] }).message).toMatch(/Environmental Health Section/);
    expect(sign({ postedNotices: ["inspection_placard", "health_department_contact_sign"] }).status).toBe(
      "pass",
    );
    expect(sign({}).status).toBe("not_applicable");
    expect(findings(check({ postedNotices: [] }, "2026-03-02"), "SF-CONTACT-SIGN")).toEqual([]);
  });
  it("SF-PLACARD checks the placard against the notices the facility states, and exists only in San Francisco", () => {
    const placard = (draft: Record<string, unknown>) =>
      only(check({ address, ...draft }, "2026-03-02"), "SF-PLACARD");
    // Before posting rules this was informational: a facility stating none posted was not told it fails.
    expect(placard({ postedNotices: [] })).toMatchObject({ status: "fail", verified: true });
    expect(placard({ postedNotices: ["choking_first_aid"] }).message).toMatch(/green, yellow or red/);
    expect(placard({ postedNotices: ["inspection_placard"] }).status).toBe("pass");
    expect(placard({}).message).toMatch(/^Not checked: .*postedNotices/);
    expect(placard({}).status).toBe("not_applicable");
    expect(findings(check({ postedNotices: [] }, "2026-03-02"), "SF-PLACARD")).toEqual([]);
  });
});

describe("LAC-GRADE letter grade (LA County Ordinance 97-0071)", () => {
  const address = { city: "Los Angeles", state: "CA" };
  const at = (score: number, date = "2026-01-15") => [{ date, score }];
  it.each([
    [95, "pass", "grade card A"],
    [90, "pass", "grade card A"],
    [89, "pass", "grade card B"],
    [70, "pass", "grade card C"],
    [69, "fail", "numeric score card"],
  ])("score %i → %s (%s)", (score, status, label) => {
    const f = only(check({ address, inspections: at(score) }, "2026-03-02"), "LAC-GRADE");
    expect(f.status).toBe(status);
    expect(f.message).toContain(label);
  });
  it("uses the latest inspection on or before asOf", () => {
    const inspections = [...at(60, "2025-06-01"), ...at(92, "2026-01-15"), ...at(50, "2026-04-01")];
    const v = check({ address, inspections }, "2026-03-02");
    expect(only(v, "LAC-GRADE").status).toBe("pass");
    expect(v.reevaluateAt).toBe("2026-04-01");
  });
  it("does not apply in Pasadena, Long Beach or Vernon (own health departments)", () => {
    for (const city of ["Pasadena", "Long Beach", "vernon"]) {
      const f = only(
        check({ address: { city, state: "CA" }, inspections: at(50) }, "2026-03-02"),
        "LAC-GRADE",
      );
      expect(f.status).toBe("not_applicable");
    }
  });
  it("is not applicable without a scored inspection", () => {
    expect(only(check({ address }, "2026-03-02"), "LAC-GRADE").status).toBe("not_applicable");
  });
});

describe("RIV-GRADE Riverside County letter grade: only an A passes (County Code § 8.40.020)", () => {
  const address = { city: "Riverside", state: "CA" };
  const at = (score: number, type?: string) =>
    check({ address, ...(type ? { type } : {}), inspections: [{ date: "2026-01-15", score }] }, "2026-03-02");
  it.each([
    [90, "pass", "grade card A"],
    [89, "fail", "grade card B"],
    [79, "fail", "grade card C"],
  ])("score %i → %s (%s)", (score, status, label) => {
    const f = only(at(score), "RIV-GRADE");
    expect(f.status).toBe(status);
    expect(f.message).toContain(label);
  });
  it("a B, which Los Angeles County passes, makes a Riverside restaurant non-compliant", () => {
    expect(at(85).status).toBe("non_compliant");
  });
  it("does not grade mobile food facilities (not permanent food facilities)", () => {
    expect(only(at(50, "mobile_food_facility"), "RIV-GRADE").status).toBe("not_applicable");
  });
});

describe("SDG-GRADE San Diego County letter grade: a C fails (DEHQ grading)", () => {
  const address = { city: "San Diego", state: "CA" };
  const at = (score: number) =>
    check({ address, inspections: [{ date: "2026-01-15", score }] }, "2026-03-02");
  it.each([
    [90, "pass", "grade card A"],
    [80, "pass", "grade card B"],
    [79, "fail", "grade card C"],
  ])("score %i → %s (%s)", (score, status, label) => {
    const f = only(at(score), "SDG-GRADE");
    expect(f.status).toBe(status);
    expect(f.message).toContain(label);
  });
  it("is not applicable without a scored inspection", () => {
    expect(only(check({ address }, "2026-03-02"), "SDG-GRADE").status).toBe("not_applicable");
  });
});

describe("county health permits tighten CA-PERMIT to the county's own (SDG-PERMIT, SBD-PERMIT, LAC-PERMIT)", () => {
  const countyPermit = (slug: string, extra: object = {}) => ({
    ...permit,
    issuer: `${CA}/county:${slug}`,
    expiresAt: "2026-12-31",
    ...extra,
  });
  it.each([
    ["SDG-PERMIT", "San Diego", "san_diego"],
    ["SBD-PERMIT", "San Bernardino", "san_bernardino"],
    ["LAC-PERMIT", "Los Angeles", "los_angeles"],
  ])(
    "%s passes the county's permit and fails another county's, which CA-PERMIT alone accepts",
    (ruleId, city, slug) => {
      const address = { city, state: "CA" };
      const own = check({ address, permits: [countyPermit(slug)] }, "2026-03-02");
      expect(only(own, ruleId)).toMatchObject({ status: "pass", verified: true });
      const other = check({ address, permits: [countyPermit("orange")] }, "2026-03-02");
      expect(only(other, ruleId).status).toBe("fail");
      expect(only(other, "CA-PERMIT").message).toMatch(new RegExp(`Tightened by ${ruleId}`));
      const elsewhere = check(
        { address: { city: "Sacramento", state: "CA" }, permits: [countyPermit("orange")] },
        "2026-03-02",
      );
      expect(only(elsewhere, "CA-PERMIT").status).toBe("pass");
    },
  );
  it("SBD-PERMIT: the county's permit is annual, so an undated one fails a year after issue", () => {
    const address = { city: "San Bernardino", state: "CA" };
    const undated = [{ ...permit, issuer: `${CA}/county:san_bernardino`, issuedAt: "2025-01-01" }];
    expect(only(check({ address, permits: undated }, "2025-12-31"), "SBD-PERMIT").status).not.toBe("fail");
    expect(only(check({ address, permits: undated }, "2026-03-02"), "SBD-PERMIT").status).toBe("fail");
  });
  it("LAC-PERMIT does not apply in Pasadena (own health department): CA-PERMIT binds there", () => {
    const v = check(
      { address: { city: "Pasadena", state: "CA" }, permits: [countyPermit("orange")] },
      "2026-03-02",
    );
    expect(only(v, "LAC-PERMIT").status).toBe("not_applicable");
    expect(only(v, "CA-PERMIT").status).toBe("pass");
  });
  it("SDG-PERMIT leaves food trucks to CA-PERMIT and SDG-MFF", () => {
    const v = check(
      { type: "mobile_food_facility", address: { city: "San Diego", state: "CA" } },
      "2026-03-02",
    );
    expect(only(v, "SDG-PERMIT").status).toBe("not_applicable");
  });
});

describe("item 4: San Bernardino County — county card within 14 days, only under a certified person's supervision (County Code §33.0409(b), (d))", () => {
  const address = { city: "San Bernardino", state: "CA" };
  const SBD = `${CA}/county:san_bernardino`;
  const hire = [cook({ hiredAt: "2026-02-01" })];
  it("warns through day 14 after hire while a certified person supervises, and fails on day 15", () => {
    const staff = [CERTIFIED_MANAGER, ...hire];
    expect(only(check({ address, staff }, "2026-02-15"), "SBD-FHC", "s-12")).toMatchObject({
      status: "warn",
      dueBy: "2026-02-15",
      verified: true,
      citation: expect.stringContaining("33.0409"),
    });
    expect(only(check({ address, staff }, "2026-02-16"), "SBD-FHC", "s-12")).toMatchObject({
      status: "fail",
      dueBy: "2026-02-15",
    });
  });
  it("grants no grace without a certified supervisor: fails from the first day of work", () => {
    const f = only(check({ address, staff: hire }, "2026-02-05"), "SBD-FHC", "s-12");
    expect(f.status).toBe("fail");
    expect(f.message).toMatch(/supervis/);
  });
  it("does not count a supervisor whose food safety certificate has expired", () => {
    const lapsed = {
      ...CERTIFIED_MANAGER,
      credentials: [{ type: "food_protection_manager" as const, issuedAt: "2021-01-01" }],
    };
    expect(only(check({ address, staff: [lapsed, ...hire] }, "2026-02-05"), "SBD-FHC", "s-12").status).toBe(
      "fail",
    );
  });
  it("passes with the county card (valid 3 years) and never accepts the state card", () => {
    const ok = [cook({ credentials: [card("2024-01-01", SBD)] })];
    expect(only(check({ address, staff: ok }, "2026-03-02"), "SBD-FHC", "s-12").status).toBe("pass");
    const expired = [cook({ credentials: [card("2023-01-01", SBD)] })];
    expect(only(check({ address, staff: expired }, "2026-03-02"), "SBD-FHC", "s-12").message).toMatch(
      /expired on 2026-01-01/,
    );
    const state = [CERTIFIED_MANAGER, cook({ hiredAt: "2026-02-01", credentials: [card("2026-01-01", CA)] })];
    expect(only(check({ address, staff: state }, "2026-02-10"), "SBD-FHC", "s-12")).toMatchObject({
      status: "warn",
      message: expect.stringMatching(/not accepted here/),
    });
  });
});

describe("item 8: California certificate grace also runs when the facility no longer has a certified person (HSC §113947.1)", () => {
  const noHolder = [cook({ credentials: [card("2025-01-01")] })];
  it("warns for 60 days after the certified person left (day 60 ok) and fails on day 61", () => {
    const f = { openedAt: "2010-01-01", certificateHolderLeftAt: "2026-02-01", staff: noHolder };
    const warn = only(check(f, "2026-04-02"), "CA-FSC");
    expect(warn).toMatchObject({ status: "warn", dueBy: "2026-04-02" });
    expect(warn.message).toMatch(/no longer had a certified/);
    expect(only(check(f, "2026-04-03"), "CA-FSC")).toMatchObject({ status: "fail", dueBy: "2026-04-02" });
  });
  it("counts from the latest of opening, change of ownership and departure", () => {
    const v = check(
      {
        openedAt: "2010-01-01",
        ownershipChangedAt: "2026-02-20",
        certificateHolderLeftAt: "2026-01-01",
        staff: noHolder,
      },
      "2026-03-10",
    );
    expect(only(v, "CA-FSC")).toMatchObject({ status: "warn", dueBy: "2026-04-21" });
  });
  it("ignores a departure dated after asOf, and passes whenever a current holder is listed", () => {
    const later = { openedAt: "2010-01-01", certificateHolderLeftAt: "2026-05-01", staff: noHolder };
    const v = check(later, "2026-03-02");
    expect(only(v, "CA-FSC").status).toBe("fail");
    expect(v.reevaluateAt).toBe("2026-05-01");
    expect(
      only(
        check(
          { openedAt: "2010-01-01", certificateHolderLeftAt: "2026-02-01", staff: [CERTIFIED_MANAGER] },
          "2026-06-01",
        ),
        "CA-FSC",
      ).status,
    ).toBe("pass");
  });
  it("is accepted by the facility schema as an optional date", async () => {
    const { facility } = await import("../test-helpers");
    expect(facility({ certificateHolderLeftAt: "2026-02-01" }).certificateHolderLeftAt).toBe("2026-02-01");
    expect(() => facility({ certificateHolderLeftAt: "soon" })).toThrow();
  });
});

describe("item 10: California food handler card since 2011-06-01 (HSC §113948(a))", () => {
  it("checks the card in replays between 2011 and 2024", () => {
    const staff = [cook({ hiredAt: "2014-01-10" })];
    const f = only(check({ staff }, "2015-03-02"), "CA-FHC", "s-12");
    expect(f).toMatchObject({ status: "fail", dueBy: "2014-02-09" });
    const ok = [cook({ hiredAt: "2014-01-10", credentials: [card("2014-01-20")] })];
    expect(only(check({ staff: ok }, "2015-03-02"), "CA-FHC", "s-12").status).toBe("pass");
    expect(only(check({ staff: ok }, "2017-01-21"), "CA-FHC", "s-12").status).toBe("fail"); // 3 years
  });
  it("gives staff hired before 2011-06-01 until 2011-07-01, then checks 30 days from hire", () => {
    const veteran = [cook({ hiredAt: "2009-05-01" })];
    const june = only(check({ staff: veteran }, "2011-06-15"), "CA-FHC");
    expect(june.status).toBe("not_applicable");
    expect(june.message).toMatch(/2011-07-01/);
    expect(only(check({ staff: veteran }, "2011-07-02"), "CA-FHC", "s-12").status).toBe("fail");
    const juneHire = [cook({ hiredAt: "2011-06-20" })];
    expect(only(check({ staff: juneHire }, "2011-07-02"), "CA-FHC", "s-12")).toMatchObject({
      status: "warn",
      dueBy: "2011-07-20",
    });
  });
  it("checks nothing before 2011-06-01", () => {
    const v = check({ staff: [cook({ hiredAt: "2009-05-01" })] }, "2011-05-31");
    expect(findings(v, "CA-FHC")).toEqual([]);
  });
});

describe("item 6: CA-HOLD 45°F allowance only for live shellfish, shell eggs and sealed dairy (HSC 113996)", () => {
  const at = "2026-03-01T09:00:00-08:00";
  const hold = (tempF: number, item: string, category?: string) =>
    only(
      check(
        { temperatureLogs: [{ at, mode: "cold_holding", tempF, item, ...(category ? { category } : {}) }] },
        "2026-03-02",
      ),
      "CA-HOLD",
    );
  it("holds clam chowder at 41°F: it is not live molluscan shellfish", () => {
    expect(hold(44, "Clam chowder").status).toBe("fail");
    expect(hold(44, "Shucked oysters").status).toBe("fail");
    expect(hold(41, "Clam chowder").status).toBe("pass");
  });
  it("allows 45°F for live molluscan shellfish, by category or an unambiguous name", () => {
    expect(hold(45, "Littlenecks", "live_molluscan_shellfish").status).toBe("pass");
    expect(hold(46, "Littlenecks", "live_molluscan_shellfish").status).toBe("fail");
    expect(hold(45, "Live oysters").status).toBe("pass");
  });
  it("an explicit category overrides the name", () => {
    expect(hold(44, "Live oysters", "other").status).toBe("fail");
    expect(hold(45, "Whole milk, sealed", "sealed_pasteurized_dairy").status).toBe("pass");
  });
});

describe("item 7: CA-PERMIT expiry unknown and food trucks (HSC 114381)", () => {
  it("a permit without an expiry date warns 'expiry unknown' instead of passing forever", () => {
    const f = only(check({ permits: [permit] }, "2026-03-02"), "CA-PERMIT");
    expect(f).toMatchObject({ status: "warn", dueBy: null });
    expect(f.message).toMatch(/expiry unknown/);
    const dated = { ...permit, expiresAt: "2026-12-31" };
    expect(only(check({ permits: [dated] }, "2026-03-02"), "CA-PERMIT").status).toBe("pass");
  });
  it("accepts a mobile food facility permit for a food truck, not for a restaurant", () => {
    const mff = { type: "mobile_food_facility_permit", number: "MFF-1", expiresAt: "2026-12-31" };
    const truck = check({ type: "mobile_food_facility", permits: [mff] }, "2026-03-02");
    expect(only(truck, "CA-PERMIT")).toMatchObject({ status: "pass", subject: { id: "MFF-1" } });
    expect(only(check({ permits: [mff] }, "2026-03-02"), "CA-PERMIT").status).toBe("fail");
  });
});

describe("item 11: a manager certificate exempts from the food handler card only while valid (HSC 113948, 113947.3)", () => {
  const manager = (credential: object) => ({
    id: "m-9",
    name: "Rosa",
    role: "manager",
    hiredAt: "2015-01-01",
    credentials: [credential],
  });
  it("a certificate issued more than 5 years ago, with no expiry date given, no longer exempts", () => {
    const v = check(
      { staff: [manager({ type: "food_protection_manager", issuedAt: "2019-01-01" })] },
      "2026-03-02",
    );
    expect(only(v, "CA-FHC", "m-9").status).toBe("fail");
  });
  it("a certificate with no date at all cannot be shown to be current, so it does not exempt", () => {
    const v = check({ staff: [manager({ type: "food_protection_manager" })] }, "2026-03-02");
    expect(only(v, "CA-FHC", "m-9").status).toBe("fail");
  });
  it("a current certificate exempts; an explicit past expiry does not", () => {
    const current = check(
      { staff: [manager({ type: "food_protection_manager", issuedAt: "2023-01-01" })] },
      "2026-03-02",
    );
    expect(only(current, "CA-FHC", "m-9").message).toMatch(/is exempt/);
    const expired = check(
      { staff: [manager({ type: "food_protection_manager", expiresAt: "2026-01-31" })] },
      "2026-03-02",
    );
    expect(only(expired, "CA-FHC", "m-9").status).toBe("fail");
  });
});

describe("item 5: counties from ZIP codes — Perris, Santee and LA County contract cities (Census ZCTA-to-county)", () => {
  const stateCard = [cook({ credentials: [card("2025-01-01", CA)] })];
  it.each([
    ["Perris", "92570", "riverside", "RIV-FHC"],
    ["Santee", "92071", "san_diego", "SDG-FHC"],
  ])(
    "%s %s resolves to its county: the state card is refused, the county card passes",
    (city, postalCode, slug, ruleId) => {
      const address = { city, state: "CA", postalCode };
      const refused = check({ address, staff: stateCard }, "2026-03-02");
      expect(refused.jurisdictions).toContain(`${CA}/county:${slug}`);
      expect(refused.coverage).toBe("county");
      expect(only(refused, ruleId, "s-12")).toMatchObject({ status: "fail" });
      expect(only(refused, ruleId, "s-12").message).toMatch(/not accepted here/);
      expect(only(refused, "CA-FHC").message).toMatch(new RegExp(`Superseded by ${ruleId}`));
      const county = [cook({ credentials: [card("2025-01-01", `${CA}/county:${slug}`)] })];
      expect(only(check({ address, staff: county }, "2026-03-02"), ruleId, "s-12").status).toBe("pass");
    },
  );
  it("an LA County contract city missing from the gazetteer (Lakewood 90712) keeps the grade rule", () => {
    const address = { city: "Lakewood", state: "CA", postalCode: "90712" };
    const at = (score: number) =>
      check({ address, inspections: [{ date: "2026-01-15", score }] }, "2026-03-02");
    expect(only(at(60), "LAC-GRADE").status).toBe("fail");
    expect(only(at(95), "LAC-GRADE")).toMatchObject({
      status: "pass",
      message: expect.stringContaining("A"),
    });
  });
  it("a ZIP code spanning counties is not guessed: no county layer (Eastvale 92880), the county settles it", () => {
    const eastvale = { city: "Eastvale", state: "CA", postalCode: "92880" };
    const unsettled = check({ address: eastvale, staff: stateCard }, "2026-03-02");
    expect(unsettled.coverage).toBe("state");
    expect(findings(unsettled, "RIV-FHC")).toEqual([]);
    const settled = check({ address: { ...eastvale, county: "Riverside" }, staff: stateCard }, "2026-03-02");
    expect(only(settled, "RIV-FHC", "s-12").status).toBe("fail");
  });
});

// Issue 15, deepened coverage (datasets 2026.12.1): each scenario fails on the previous data.
describe("SDG-FHC San Diego County: county card within 10 calendar days, only under a certified manager's supervision (County Code § 61.205)", () => {
  const address = { city: "San Diego", state: "CA" };
  const hire = [cook({ hiredAt: "2026-02-01" })];
  it("warns through day 10 while a certified manager supervises and fails on day 11 (was 30 days)", () => {
    const staff = [CERTIFIED_MANAGER, ...hire];
    expect(only(check({ address, staff }, "2026-02-11"), "SDG-FHC", "s-12")).toMatchObject({
      status: "warn",
      dueBy: "2026-02-11",
      citation: expect.stringContaining("61.205"),
    });
    expect(only(check({ address, staff }, "2026-02-12"), "SDG-FHC", "s-12")).toMatchObject({
      status: "fail",
      verified: true,
    });
  });
  it("grants no grace without a certified supervisor: fails from the first day of work", () => {
    expect(only(check({ address, staff: hire }, "2026-02-05"), "SDG-FHC", "s-12").status).toBe("fail");
  });
});

describe("SDG-MFF San Diego County mobile food facility permit renewed yearly", () => {
  const truck = (permits: object[], asOf: string) =>
    check({ type: "mobile_food_facility", address: { city: "San Diego", state: "CA" }, permits }, asOf);
  const SD = `${CA}/county:san_diego`;
  const mff = { type: "mobile_food_facility_permit", number: "MFF-1", issuer: SD, issuedAt: "2025-06-01" };
  it("passes the county's permit within a year of issue and fails once the year is over", () => {
    expect(only(truck([mff], "2026-03-02"), "SDG-MFF")).toMatchObject({ status: "pass", verified: true });
    expect(only(truck([mff], "2026-06-02"), "SDG-MFF").status).toBe("fail");
  });
  it("refuses another county's mobile permit, which CA-PERMIT accepts", () => {
    const other = [{ ...mff, issuer: `${CA}/county:orange`, expiresAt: "2026-12-31" }];
    expect(only(truck(other, "2026-03-02"), "SDG-MFF").status).toBe("fail");
  });
  it("does not apply to a restaurant", () => {
    const v = check({ address: { city: "San Diego", state: "CA" } }, "2026-03-02");
    expect(only(v, "SDG-MFF").status).toBe("not_applicable");
  });
});

describe("CA-FSC-ONE one certified person per facility (HSC § 113947.1(a))", () => {
  it("tells the operator, since the payload cannot show the certified person's other facilities", () => {
    const f = only(check({ staff: [CERTIFIED_MANAGER] }, "2026-03-02"), "CA-FSC-ONE");
    expect(f).toMatchObject({ status: "not_applicable", verified: true });
    expect(f.message).toMatch(/^Not checkable from the payload: .*another facility/);
    expect(only(check({ staff: [CERTIFIED_MANAGER] }, "2026-03-02"), "CA-FSC").status).toBe("pass");
  });
});

// Issue 15, west helper (datasets us-ca 2026.12.3, Riverside 2026.12.2, San Diego 2026.12.3,
// Los Angeles 2026.12.1, San Francisco 2026.12.2): each scenario names its rule and, where the
// data changed, fails on the previous data.
describe("CA-HOLD whole meat roasts may be hot-held at 130°F (HSC § 113996(b))", () => {
  const at = "2026-03-01T09:00:00-08:00";
  const hot = (tempF: number, item: string, category?: string) =>
    only(
      check(
        { temperatureLogs: [{ at, mode: "hot_holding", tempF, item, ...(category ? { category } : {}) }] },
        "2026-03-02",
      ),
      "CA-HOLD",
    );
  it("passes a whole meat roast at 130°F (failed on 2026.12.2, which required 135°F)", () => {
    expect(hot(130, "Prime rib", "whole_meat_roast").status).toBe("pass");
  });
  it("fails a whole meat roast below 130°F, and poultry or an uncategorised dish below 135°F", () => {
    expect(hot(129, "Prime rib", "whole_meat_roast").status).toBe("fail");
    expect(hot(132, "Roast chicken").status).toBe("fail");
    expect(hot(132, "Beef stew", "other").status).toBe("fail");
    expect(hot(135, "Beef stew", "other").status).toBe("pass");
  });
});

describe("RIV-FHC Riverside County card within one week of hire (County Ordinance No. 567; DEH)", () => {
  const address = { city: "Riverside", state: "CA" };
  const hired = [cook({ hiredAt: "2026-02-01" })];
  it("warns on day 7 and fails on day 8, when the old 30-day data still warned", () => {
    expect(only(check({ address, staff: hired }, "2026-02-08"), "RIV-FHC", "s-12").status).toBe("warn");
    const day8 = only(check({ address, staff: hired }, "2026-02-09"), "RIV-FHC", "s-12");
    expect(day8).toMatchObject({ status: "fail", verified: false, citation: expect.stringContaining("567") });
  });
  it("passes with a current county card", () => {
    const staff = [cook({ credentials: [card("2025-06-01", `${CA}/county:riverside`)] })];
    expect(only(check({ address, staff }, "2026-03-02"), "RIV-FHC", "s-12").status).toBe("pass");
  });
});

describe("RIV-PERMIT Riverside County health permit for fixed food facilities (DEH)", () => {
  const address = { city: "Riverside", state: "CA" };
  const countyPermit = (slug: string) => ({
    ...permit,
    issuer: `${CA}/county:${slug}`,
    expiresAt: "2026-12-31",
  });
  it("passes the county's permit and tightens CA-PERMIT", () => {
    const v = check({ address, permits: [countyPermit("riverside")] }, "2026-03-02");
    expect(only(v, "RIV-PERMIT")).toMatchObject({ status: "pass", verified: true });
    expect(only(v, "CA-PERMIT").message).toMatch(/Tightened by RIV-PERMIT/);
  });
  it("fails another county's permit (which CA-PERMIT alone accepts) and a missing one", () => {
    const other = check({ address, permits: [countyPermit("orange")] }, "2026-03-02");
    expect(only(other, "RIV-PERMIT").status).toBe("fail");
    expect(other.status).toBe("non_compliant");
    expect(only(check({ address }, "2026-03-02"), "RIV-PERMIT").status).toBe("fail");
  });
  it("warns 'expiry unknown' for an undated county permit, never 'valid forever'", () => {
    const undated = [{ ...permit, issuer: `${CA}/county:riverside` }];
    expect(only(check({ address, permits: undated }, "2026-03-02"), "RIV-PERMIT").status).toBe("warn");
  });
  it("leaves food trucks to RIV-MFF", () => {
    const v = check({ type: "mobile_food_facility", address }, "2026-03-02");
    expect(only(v, "RIV-PERMIT").status).toBe("not_applicable");
  });
});

describe("SDG-FHC is verified: the county card lasts 3 years (DEHQ Food Handler Program)", () => {
  const address = { city: "San Diego", state: "CA" };
  const SD = `${CA}/county:san_diego`;
  it("passes a county card inside its 3 years and fails it after, as a verified finding", () => {
    const staff = [cook({ credentials: [card("2023-03-01", SD)] })];
    expect(only(check({ address, staff }, "2026-01-15"), "SDG-FHC", "s-12")).toMatchObject({
      status: "pass",
      verified: true,
    });
    expect(only(check({ address, staff }, "2026-03-02"), "SDG-FHC", "s-12")).toMatchObject({
      status: "fail",
      verified: true,
    });
  });
});

describe("LAC-GRADE bands not yet read in the primary text", () => {
  const address = { city: "Los Angeles", state: "CA" };
  it("still grades (B passes, below 70 fails) but flags the finding unverified", () => {
    const at = (score: number) =>
      only(check({ address, inspections: [{ date: "2026-01-15", score }] }, "2026-03-02"), "LAC-GRADE");
    expect(at(85)).toMatchObject({ status: "pass", verified: false });
    expect(at(65)).toMatchObject({ status: "fail", verified: false });
  });
});

describe("sources added to the California layers' rules", () => {
  it("every California-layer rule has an https primary source and a check date (CA-DATE included)", async () => {
    const { bundledLayersFor } = await import("./index");
    const ids = [
      "ocd-division/country:us/state:ca",
      `${CA}/county:los_angeles`,
      `${CA}/county:riverside`,
      `${CA}/county:san_bernardino`,
      `${CA}/county:san_diego`,
      `${CA}/place:san_francisco`,
    ];
    for (const layer of bundledLayersFor(["ocd-division/country:us", ...ids])) {
      if (layer.jurisdiction === "ocd-division/country:us") continue;
      for (const rule of layer.rules) {
        expect(rule.source?.url, rule.id).toMatch(/^https:\/\//);
        expect(rule.source?.checkedAt, rule.id).toBe("2026-12-02");
      }
    }
  });
  it("SF-PLACARD is a posting rule that does not guess when the facility states nothing", () => {
    const v = check({ address: { city: "San Francisco", state: "CA" } }, "2026-03-02");
    expect(only(v, "SF-PLACARD").status).toBe("not_applicable");
  });
});

describe.each([
  ["RIV-MFF", "Riverside", "riverside"],
  ["SBD-MFF", "San Bernardino", "san_bernardino"],
])("%s county permit for a mobile food facility", (ruleId, city, slug) => {
  const address = { city, state: "CA" };
  const truck = (permits: object[], asOf = "2026-03-02") =>
    check({ type: "mobile_food_facility", address, permits }, asOf);
  const mff = (issuer: string, extra: object = {}) => ({
    type: "mobile_food_facility_permit",
    number: "MFF-1",
    issuer: `${CA}/county:${issuer}`,
    issuedAt: "2025-06-01",
    expiresAt: "2026-05-31",
    ...extra,
  });
  it("passes the county's own mobile permit", () => {
    expect(only(truck([mff(slug)]), ruleId)).toMatchObject({ status: "pass", verified: true });
  });
  it("fails another county's mobile permit, which CA-PERMIT accepts, and a missing one", () => {
    const other = truck([mff("orange")]);
    expect(only(other, ruleId).status).toBe("fail");
    expect(only(other, "CA-PERMIT").status).toBe("pass");
    expect(only(truck([]), ruleId).status).toBe("fail");
  });
  it("does not apply to a restaurant", () => {
    expect(only(check({ address }, "2026-03-02"), ruleId).status).toBe("not_applicable");
  });
});

describe("SBD-MFF: the county's mobile permit is annual; SBD-PERMIT now covers fixed facilities only", () => {
  const address = { city: "San Bernardino", state: "CA" };
  const undated = [
    { type: "mobile_food_facility_permit", issuer: `${CA}/county:san_bernardino`, issuedAt: "2025-01-01" },
  ];
  it("an undated county mobile permit fails a year after issue", () => {
    const truck = (asOf: string) => check({ type: "mobile_food_facility", address, permits: undated }, asOf);
    expect(only(truck("2025-12-31"), "SBD-MFF").status).not.toBe("fail");
    expect(only(truck("2026-03-02"), "SBD-MFF").status).toBe("fail");
    expect(only(truck("2026-03-02"), "SBD-PERMIT").status).toBe("not_applicable");
  });
});

describe("RIV-MFF: an undated county mobile permit warns 'expiry unknown'", () => {
  it("warns rather than passing forever", () => {
    const permits = [{ type: "mobile_food_facility_permit", issuer: `${CA}/county:riverside` }];
    const v = check(
      { type: "mobile_food_facility", address: { city: "Riverside", state: "CA" }, permits },
      "2026-03-02",
    );
    expect(only(v, "RIV-MFF").status).toBe("warn");
  });
});

describe("LAC-GRADE reaches mobile food facilities only from 2010-11-18 (County Ordinance 2010-0045)", () => {
  const truck = (date: string, asOf: string) =>
    only(
      check(
        {
          type: "mobile_food_facility",
          address: { city: "Los Angeles", state: "CA" },
          inspections: [{ date, score: 65 }],
        },
        asOf,
      ),
      "LAC-GRADE",
    );
  it("does not grade a food truck before the ordinance took effect (2026.12.1 failed it)", () => {
    expect(truck("2010-06-01", "2010-11-17").status).toBe("not_applicable");
  });
  it("grades it from that day, and restaurants throughout", () => {
    expect(truck("2010-06-01", "2010-11-18").status).toBe("fail");
    const restaurant = check(
      { address: { city: "Los Angeles", state: "CA" }, inspections: [{ date: "2005-06-01", score: 65 }] },
      "2005-07-01",
    );
    expect(only(restaurant, "LAC-GRADE").status).toBe("fail");
  });
});

describe.each([
  ["LAC-POST", "Los Angeles", /within five feet of the front door/],
  ["RIV-POST", "Riverside", /at or near each entrance/],
  ["SBD-POST", "San Bernardino", /within five feet of the front door/],
  ["SDG-POST", "San Diego", /in the front window/],
])("%s the county's letter grade card must be posted (posting rule)", (ruleId, city, where) => {
  const address = { city, state: "CA" };
  const at = (draft: object, asOf = "2026-03-02") => check({ address, ...draft }, asOf);
  it("passes a restaurant that lists the letter grade card among its posted notices", () => {
    const v = at({ postedNotices: ["choking_first_aid", "letter_grade_card"] });
    expect(only(v, ruleId)).toMatchObject({
      status: "pass",
      verified: true,
      subject: { kind: "facility", id: "facility" },
    });
  });
  it("fails one whose list lacks it (another notice only, or an empty list), saying where to post it", () => {
    for (const postedNotices of [["choking_first_aid"], []]) {
      const v = at({ postedNotices });
      const f = only(v, ruleId);
      expect(f).toMatchObject({ status: "fail", verified: true, dueBy: null });
      expect(f.message).toMatch(/does not list the letter grade card/);
      expect(f.message).toMatch(where);
      expect(v.status).toBe("non_compliant");
    }
  });
  it("does not guess when the facility states nothing: not checked, and says what to post", () => {
    const v = at({});
    expect(only(v, ruleId)).toMatchObject({ status: "not_applicable" });
    expect(only(v, ruleId).message).toMatch(/Not checked: .*postedNotices.*"letter_grade_card"/);
    expect(only(v, ruleId).message).toMatch(where);
  });
  it("exists only in its county", () => {
    const v = check({ address: { city: "Oakland", state: "CA" }, postedNotices: [] }, "2026-03-02");
    expect(findings(v, ruleId)).toEqual([]);
  });
});

describe("LAC-POST where the grade card goes (LA County Code § 8.04.752)", () => {
  const address = { city: "Los Angeles", state: "CA" };
  const truck = (postedNotices: string[], asOf: string) =>
    only(check({ address, type: "mobile_food_facility", postedNotices }, asOf), "LAC-POST");
  it("checks a food truck from 2010-11-18 (Ordinance 2010-0045): the card goes by the pass-out window", () => {
    expect(truck(["letter_grade_card"], "2010-11-18").status).toBe("pass");
    const f = truck([], "2026-03-02");
    expect(f.status).toBe("fail");
    expect(f.message).toMatch(/next to the pass-out window/);
  });
  it("does not check a food truck before 2010-11-18, but does check a restaurant then", () => {
    expect(truck([], "2010-11-17").status).toBe("not_applicable");
    const v = check({ address, postedNotices: [] }, "2005-06-01");
    expect(only(v, "LAC-POST").status).toBe("fail");
    expect(only(v, "LAC-POST").message).not.toMatch(/pass-out window/);
  });
  it("does not apply in Pasadena, Long Beach or Vernon (own health departments)", () => {
    for (const city of ["Pasadena", "Long Beach", "Vernon"]) {
      const v = check({ address: { city, state: "CA" }, postedNotices: [] }, "2026-03-02");
      expect(only(v, "LAC-POST").status, city).toBe("not_applicable");
    }
  });
});

describe("RIV-POST, SBD-POST and SDG-POST cover fixed facilities only", () => {
  it.each([
    ["RIV-POST", "Riverside", "mobile_food_facility"],
    ["SBD-POST", "San Bernardino", "mobile_food_facility"],
    ["SDG-POST", "San Diego", "mobile_food_facility"],
    ["SDG-POST", "San Diego", "caterer"],
  ])("%s is not applicable to a %s", (ruleId, city, type) => {
    const v = check({ address: { city, state: "CA" }, type, postedNotices: [] }, "2026-03-02");
    expect(only(v, ruleId).status).toBe("not_applicable");
  });
  it("RIV-POST checks every permanent facility type RIV-GRADE grades", () => {
    const v = check(
      { address: { city: "Riverside", state: "CA" }, type: "caterer", postedNotices: [] },
      "2026-03-02",
    );
    expect(only(v, "RIV-POST").status).toBe("fail");
  });
});

describe("RIV-POST with RIV-GRADE: a B card stays posted (County Code § 8.40.030(C))", () => {
  it("a B restaurant that keeps its card up fails the grade but passes the posting rule", () => {
    const v = check(
      {
        address: { city: "Riverside", state: "CA" },
        inspections: [{ date: "2026-01-15", score: 85 }],
        postedNotices: ["letter_grade_card"],
      },
      "2026-03-02",
    );
    expect(only(v, "RIV-GRADE").status).toBe("fail");
    expect(only(v, "RIV-POST").status).toBe("pass");
  });
});

describe.each([
  ["CA-PERMIT-POST", "permit", /permit or licence/, /conspicuous place in the food facility/, "2009-10-11"],
  ["CA-HWSIGN", "handwashing_sign", /handwashing sign/, /every handwashing lavatory/, "2007-07-01"],
])("%s statewide posting duty (posting rule)", (ruleId, notice, label, action, from) => {
  const at = (draft: object, asOf = "2026-03-02") => check({ ...draft }, asOf);
  it("passes a facility that lists the notice among its posted notices", () => {
    const v = at({ postedNotices: ["letter_grade_card", notice] });
    expect(only(v, ruleId)).toMatchObject({
      status: "pass",
      verified: true,
      subject: { kind: "facility", id: "facility" },
    });
  });
  it("fails one whose list lacks it (another notice only, or an empty list), saying what to post", () => {
    for (const postedNotices of [["letter_grade_card"], []]) {
      const f = only(at({ postedNotices }), ruleId);
      expect(f).toMatchObject({ status: "fail", verified: true, dueBy: null });
      expect(f.message).toMatch(label);
      expect(f.message).toMatch(action);
    }
  });
  it("does not guess when the facility states nothing", () => {
    const f = only(at({}), ruleId);
    expect(f.status).toBe("not_applicable");
    expect(f.message).toMatch(new RegExp(`^Not checked: .*postedNotices.*"${notice}"`));
  });
  it("applies to a food truck and in every county layer, from its effective date", () => {
    for (const city of [
      "Oakland",
      "Los Angeles",
      "San Francisco",
      "Riverside",
      "San Diego",
      "San Bernardino",
    ]) {
      const v = check(
        { address: { city, state: "CA" }, type: "mobile_food_facility", postedNotices: [] },
        "2026-03-02",
      );
      expect(only(v, ruleId).status, city).toBe("fail");
    }
    expect(only(at({ postedNotices: [] }, from), ruleId).status).toBe("fail");
    const before = new Date(Date.parse(from) - 86_400_000).toISOString().slice(0, 10);
    expect(
      findings(at({ postedNotices: [] }, before), ruleId).every((f) => f.status === "not_applicable"),
    ).toBe(true);
  });
});

describe("SBD-MFF-STICKER the county permit sticker is affixed on each mobile food facility", () => {
  const address = { city: "San Bernardino", state: "CA" };
  const truck = (draft: object) => check({ address, type: "mobile_food_facility", ...draft }, "2026-03-02");
  it("passes a food truck that lists the permit among its posted notices", () => {
    expect(only(truck({ postedNotices: ["permit"] }), "SBD-MFF-STICKER")).toMatchObject({
      status: "pass",
      verified: true,
    });
  });
  it("fails one whose list lacks it, saying the sticker goes on the vehicle", () => {
    for (const postedNotices of [["letter_grade_card"], []]) {
      const f = only(truck({ postedNotices }), "SBD-MFF-STICKER");
      expect(f.status).toBe("fail");
      expect(f.message).toMatch(/Affix the county permit sticker/);
    }
  });
  it("is not checked when the truck states nothing, and does not apply to a restaurant or outside the county", () => {
    expect(only(truck({}), "SBD-MFF-STICKER").message).toMatch(/^Not checked: .*postedNotices.*"permit"/);
    expect(only(check({ address, postedNotices: [] }, "2026-03-02"), "SBD-MFF-STICKER").status).toBe(
      "not_applicable",
    );
    const oakland = check(
      { address: { city: "Oakland", state: "CA" }, type: "mobile_food_facility", postedNotices: [] },
      "2026-03-02",
    );
    expect(findings(oakland, "SBD-MFF-STICKER")).toEqual([]);
  });
});
