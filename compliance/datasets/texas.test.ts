// Statute-derived scenarios for Texas (25 TAC 228, HSC 437.0057, HSC 437B), Austin and Houston: the
// CFPM on site, the food-handler deadline as it stood before and
// after 2021-08-08, the state ceiling on local food-handler rules, Austin's manager certificate,
// Houston's per-location permit and mobile-unit medallion, and the mobile food unit rules (central
// preparation facility; the state's mobile food vendor license from 2026-07-01).
import { describe, expect, it } from "vitest";
import { compileDataset } from "../engine/compile";
import { evaluate } from "../engine/evaluate";
import {
  CERTIFIED_MANAGER,
  check,
  facility,
  findings,
  hypotheticalCityCardLayer,
  only,
} from "../test-helpers";
import { bundledLayersFor } from ".";

const TX = "ocd-division/country:us/state:tx";
const ATX = `${TX}/place:austin`;
const AUSTIN = { city: "Austin", state: "TX" };
const HOUSTON = { city: "Houston", state: "TX" };
const cook = (hiredAt: string, credentials: object[] = []) => ({
  id: "s-1",
  name: "Luis",
  role: "food_employee" as const,
  hiredAt,
  credentials,
});

describe("TX-CFPM certified food protection manager on site (25 TAC 228.31)", () => {
  it("passes with a certified manager among the staff and says the manager must be on site", () => {
    const f = only(check({ address: AUSTIN, staff: [CERTIFIED_MANAGER] }, "2026-03-02"), "TX-CFPM");
    // verified since 2026.12.5: § 228.31 read in the Texas Register's official text (item 9)
    expect(f).toMatchObject({ status: "pass", verified: true });
    expect(f.message).toMatch(/on site during all hours/);
  });
  it("fails without one and supersedes the FDA baseline", () => {
    const v = check({ address: AUSTIN, staff: [cook("2026-01-01")] }, "2026-03-02");
    expect(only(v, "TX-CFPM").status).toBe("fail");
    expect(only(v, "FDA-CFPM").message).toMatch(/Superseded by TX-CFPM/);
  });
});

describe("TX-FH food handler course (25 TAC 228.31(d)–(e))", () => {
  it("warns through day 30 after hire and fails on day 31", () => {
    const staff = [CERTIFIED_MANAGER, cook("2026-02-01")];
    expect(only(check({ address: AUSTIN, staff }, "2026-03-03"), "TX-FH", "s-1")).toMatchObject({
      status: "warn",
      dueBy: "2026-03-03",
    });
    expect(only(check({ address: AUSTIN, staff }, "2026-03-04"), "TX-FH", "s-1").status).toBe("fail");
  });
  it("exempts the certified food protection manager and is flagged unverified (2-year validity)", () => {
    const f = only(check({ address: AUSTIN, staff: [CERTIFIED_MANAGER] }, "2026-03-02"), "TX-FH", "m-1");
    expect(f).toMatchObject({ status: "pass", verified: false });
  });
  it("fails with a card older than 2 years", () => {
    const staff = [
      CERTIFIED_MANAGER,
      cook("2020-01-01", [{ type: "food_handler_card", issuedAt: "2023-01-01" }]),
    ];
    expect(only(check({ address: AUSTIN, staff }, "2026-03-02"), "TX-FH", "s-1").message).toMatch(
      /expired on 2025-01-01/,
    );
  });
  it("uses the 60-day rule before 2021-08-08: a hire 45 days earlier is inside the grace period", () => {
    const v = check({ address: AUSTIN, staff: [cook("2021-04-17")] }, "2021-06-01");
    const f = only(v, "TX-FH-60D", "s-1");
    expect(f).toMatchObject({ status: "warn", dueBy: "2021-06-16" });
    expect(f.message).toMatch(/within 60 days of hire/);
    expect(findings(v, "TX-FH")).toEqual([]); // the 30-day version is not in force yet
  });
  it("uses the 30-day rule from 2021-08-08: day 30 warns, day 31 fails", () => {
    expect(
      only(check({ address: AUSTIN, staff: [cook("2021-08-02")] }, "2021-09-01"), "TX-FH", "s-1"),
    ).toMatchObject({
      status: "warn",
      dueBy: "2021-09-01",
    });
    const v = check({ address: AUSTIN, staff: [cook("2021-08-01")] }, "2021-09-01");
    expect(findings(v, "TX-FH-60D")).toEqual([]);
    const late = only(v, "TX-FH", "s-1");
    expect(late).toMatchObject({ status: "fail", dueBy: "2021-08-31" });
    expect(late.message).toMatch(/within 30 days of hire/);
  });
  it("asks to re-evaluate when the 30-day rule takes effect", () => {
    expect(check({ address: AUSTIN, staff: [cook("2021-07-20")] }, "2021-08-01").reevaluateAt).toBe(
      "2021-08-08",
    );
  });
});

describe("TX-CEIL local food-handler rules capped at the state level (HSC 437.0057(b))", () => {
  it("ignores a stricter city food-handler rule and keeps TX-FH", () => {
    const local = hypotheticalCityCardLayer(`${TX}/place:austin`, TX, "ATX-FH");
    const layers = [...bundledLayersFor(["ocd-division/country:us", TX]), local].map(compileDataset);
    const v = evaluate(facility({ address: AUSTIN, staff: [cook("2026-02-20")] }), layers, "2026-03-02");
    expect(only(v, "ATX-FH").message).toMatch(
      /Preempted by TX-CEIL \(Tex\. Health & Safety Code § 437\.0057\(b\)/,
    );
    expect(only(v, "TX-FH", "s-1").status).toBe("warn"); // day 10 of 30, a failure under the 7-day city rule
  });
});

describe("Austin ATX-FM food manager certificate issued by the city (City Code § 10-3-31(A)), until 2025-09-01", () => {
  const cityManager = {
    id: "m-3",
    role: "manager",
    hiredAt: "2020-01-01",
    credentials: [
      { type: "food_protection_manager", issuedAt: "2024-06-01" },
      { type: "local_manager_certificate", issuer: ATX, issuedAt: "2024-06-15" },
    ],
  };
  it("passes with the city-issued certificate, fails without any, and is flagged unverified", () => {
    expect(only(check({ address: AUSTIN, staff: [cityManager] }, "2025-03-03"), "ATX-FM")).toMatchObject({
      status: "pass",
      verified: false,
    });
    expect(only(check({ address: AUSTIN, staff: [cook("2020-01-01")] }, "2025-03-03"), "ATX-FM").status).toBe(
      "fail",
    );
  });
  it("fails with only a state food manager certificate (passed until 2026.12.2, which accepted any)", () => {
    const f = only(check({ address: AUSTIN, staff: [CERTIFIED_MANAGER] }, "2025-03-03"), "ATX-FM");
    expect(f.status).toBe("fail");
    expect(f.citation).toMatch(/§ 10-3-31/);
  });
  it("refuses another city's certificate and one given without an issuer", () => {
    const other = {
      ...cityManager,
      credentials: [{ ...cityManager.credentials[1], issuer: `${TX}/place:dallas` }],
    };
    expect(only(check({ address: AUSTIN, staff: [other] }, "2025-03-03"), "ATX-FM").status).toBe("fail");
    const bare = {
      ...cityManager,
      credentials: [{ type: "local_manager_certificate", issuedAt: "2024-06-15" }],
    };
    expect(only(check({ address: AUSTIN, staff: [bare] }, "2025-03-03"), "ATX-FM").status).toBe("fail");
  });
  it("does not apply in Houston", () => {
    expect(findings(check({ address: HOUSTON, staff: [CERTIFIED_MANAGER] }, "2026-03-02"), "ATX-FM")).toEqual(
      [],
    );
  });
});

describe("Houston HOU-PERMIT food dealer's permit (City Code § 20-36)", () => {
  const permit = { type: "food_dealer_permit", number: "FD-7", issuedAt: "2025-06-01" };
  it("passes with the city's permit and replaces the FDA permit rule", () => {
    const v = check({ address: HOUSTON, permits: [{ ...permit, expiresAt: "2026-05-31" }] }, "2026-03-02");
    expect(only(v, "HOU-PERMIT")).toMatchObject({ status: "pass", subject: { kind: "permit", id: "FD-7" } });
    expect(only(v, "TX-PERMIT").message).toMatch(/Superseded by HOU-PERMIT/);
    expect(only(v, "FDA-PERMIT").message).toMatch(/Superseded by TX-PERMIT/);
  });
  it("is void once the business is sold", () => {
    const f = only(
      check({ address: HOUSTON, ownershipChangedAt: "2026-01-15", permits: [permit] }, "2026-03-02"),
      "HOU-PERMIT",
    );
    expect(f.status).toBe("fail");
    expect(f.message).toMatch(/before the change of ownership on 2026-01-15/);
  });
  it("fails without a permit, and refuses a permit from another city", () => {
    expect(only(check({ address: HOUSTON }, "2026-03-02"), "HOU-PERMIT").status).toBe("fail");
    const other = { ...permit, issuer: `${TX}/place:dallas` };
    expect(only(check({ address: HOUSTON, permits: [other] }, "2026-03-02"), "HOU-PERMIT").message).toMatch(
      /not the issuing authority/,
    );
  });
});

describe("state-level coverage elsewhere in Texas", () => {
  it("evaluates Dallas against the state and FDA layers only", () => {
    const v = check({ address: { city: "Dallas", state: "TX" }, staff: [CERTIFIED_MANAGER] }, "2026-03-02");
    expect(v.coverage).toBe("state");
    expect(v.jurisdictions).toEqual(["ocd-division/country:us", TX]);
    expect(only(v, "TX-CFPM").status).toBe("pass");
  });
});

describe("item 7: Houston HOU-PERMIT excludes mobile food units and has no open-ended validity (City Code § 20-36(a))", () => {
  const permit = { type: "food_dealer_permit", number: "FD-7", issuedAt: "2025-06-01" };
  it("a permit without an expiry date runs one year from issue (Houston Health Department: permits expire one year from the date of issue)", () => {
    const f = only(check({ address: HOUSTON, permits: [permit] }, "2025-08-01"), "HOU-PERMIT");
    expect(f).toMatchObject({ status: "pass", validThrough: "2026-06-01", verified: true });
    expect(f.message).not.toMatch(/expiry unknown/); // until 2026.12.2 it warned 'expiry unknown'
    const late = only(check({ address: HOUSTON, permits: [permit] }, "2026-06-02"), "HOU-PERMIT");
    expect(late.status).toBe("fail");
    const dated = { ...permit, expiresAt: "2026-05-31" };
    expect(only(check({ address: HOUSTON, permits: [dated] }, "2025-08-01"), "HOU-PERMIT").status).toBe(
      "pass",
    );
  });
  it("does not apply to a mobile food unit, which Houston's medallion rule (HOU-MFU-2010 before 2026-07-01) checks instead", () => {
    const mfu = {
      type: "mobile_food_facility_permit",
      number: "MFU-3",
      issuer: `${TX}/place:houston`,
      expiresAt: "2026-05-31",
    };
    const v = check({ address: HOUSTON, type: "mobile_food_facility", permits: [mfu] }, "2025-08-01");
    expect(only(v, "HOU-PERMIT").status).toBe("not_applicable");
    expect(only(v, "HOU-MFU-2010")).toMatchObject({ status: "pass", subject: { id: "MFU-3" } });
    expect(only(v, "TX-PERMIT").message).toMatch(/Superseded by HOU-MFU-2010/);
    expect(only(v, "FDA-PERMIT").message).toMatch(/Superseded by TX-PERMIT/);
  });
});

describe("item 11: a manager certificate exempts from the food handler course only while valid (25 TAC 228.31)", () => {
  const manager = (credential: object) => ({
    id: "m-2",
    role: "manager",
    hiredAt: "2015-01-01",
    credentials: [credential],
  });
  it("a certificate issued more than 5 years ago, with no expiry date given, no longer exempts", () => {
    const staff = [CERTIFIED_MANAGER, manager({ type: "food_protection_manager", issuedAt: "2020-01-01" })];
    expect(only(check({ address: AUSTIN, staff }, "2026-03-02"), "TX-FH", "m-2").status).toBe("fail");
  });
  it("a current certificate exempts", () => {
    const staff = [manager({ type: "food_protection_manager", issuedAt: "2023-01-01" })];
    expect(only(check({ address: AUSTIN, staff }, "2026-03-02"), "TX-FH", "m-2").message).toMatch(
      /is exempt/,
    );
  });
});

describe("packaged-only operations: TX-CFPM no longer applies to them (HSC § 437.0076(c); 25 TAC 228.31(c)); nor Austin's ATX-FM (City Code § 10-3-31(B)(1))", () => {
  const DALLAS = { city: "Dallas", state: "TX" };
  const packagedOnly = (address: object, staff: object[], asOf: string) =>
    check({ address, handlesUnpackagedTcsFood: false, staff }, asOf);
  it("TX-CFPM no longer fails a packaged-only site without a certified manager (it did until 2026.12.2)", () => {
    const v = packagedOnly(DALLAS, [cook("2020-01-01")], "2026-03-02");
    const f = only(v, "TX-CFPM");
    expect(f).toMatchObject({ status: "not_applicable", verified: true }); // verified since 2026.12.5
    expect(f.message).toMatch(/unpackaged TCS/);
    expect(f.citation).toMatch(/437\.0076\(c\)/);
    expect(only(v, "FDA-CFPM").status).toBe("not_applicable"); // the baseline does not step in
  });
  it("TX-CFPM still fails a site handling unpackaged TCS food without a certified manager, and passes it with one", () => {
    expect(
      only(check({ address: DALLAS, staff: [cook("2020-01-01")] }, "2026-03-02"), "TX-CFPM").status,
    ).toBe("fail");
    expect(only(check({ address: DALLAS, staff: [CERTIFIED_MANAGER] }, "2026-03-02"), "TX-CFPM").status).toBe(
      "pass",
    );
  });
  it("ATX-FM no longer applies to a packaged-only Austin site (it failed one until 2026.12.2), and still fails a site handling unpackaged TCS food", () => {
    const f = only(packagedOnly(AUSTIN, [cook("2020-01-01")], "2025-03-03"), "ATX-FM");
    expect(f).toMatchObject({ status: "not_applicable", verified: false });
    expect(only(check({ address: AUSTIN, staff: [cook("2020-01-01")] }, "2025-03-03"), "ATX-FM").status).toBe(
      "fail",
    );
  });
});

describe("mobile food units: a central preparation facility (25 TAC 228.221) and, from 2026-07-01, the state's mobile food vendor license (HSC ch. 437B)", () => {
  const DALLAS = { city: "Dallas", state: "TX" };
  const truck = (address: object, permits: object[]) => ({ address, type: "mobile_food_facility", permits });
  const commissary = { type: "commissary_agreement", number: "CPF-1", issuedAt: "2025-01-10" };
  const stateLicense = {
    type: "mobile_food_facility_permit",
    number: "MFV-9",
    issuer: TX,
    issuedAt: "2026-06-15",
    expiresAt: "2027-06-14",
  };
  const cityPermit = {
    type: "mobile_food_facility_permit",
    number: "DAL-4",
    issuer: `${TX}/place:dallas`,
    issuedAt: "2026-01-05",
    expiresAt: "2026-12-31",
  };
  it("a food truck without a commissary agreement fails TX-MFU-CPF (unverified); with one it passes", () => {
    const without = only(check(truck(DALLAS, [cityPermit]), "2026-03-02"), "TX-MFU-CPF");
    expect(without).toMatchObject({ status: "fail", verified: false });
    expect(only(check(truck(DALLAS, [cityPermit, commissary]), "2026-03-02"), "TX-MFU-CPF")).toMatchObject({
      status: "pass",
      subject: { id: "CPF-1" },
    });
  });
  it("TX-MFU-CPF does not concern a restaurant", () => {
    expect(
      only(check({ address: DALLAS, staff: [CERTIFIED_MANAGER] }, "2026-03-02"), "TX-MFU-CPF").status,
    ).toBe("not_applicable");
  });
  it("before 2026-07-01 no state license is asked for, and the check says when that changes", () => {
    const v = check(truck(DALLAS, [cityPermit, commissary]), "2026-06-30");
    expect(findings(v, "TX-MFV-LIC")).toEqual([]);
    expect(v.reevaluateAt).toBe("2026-07-01");
  });
  it("from 2026-07-01 a truck with only a city permit fails TX-MFV-LIC; the state license passes it", () => {
    const cityOnly = only(check(truck(DALLAS, [cityPermit, commissary]), "2026-07-01"), "TX-MFV-LIC");
    expect(cityOnly).toMatchObject({ status: "fail", verified: false, severity: "critical" });
    const licensed = only(
      check(truck(DALLAS, [cityPermit, commissary, stateLicense]), "2026-07-01"),
      "TX-MFV-LIC",
    );
    expect(licensed).toMatchObject({ status: "pass", subject: { id: "MFV-9" } });
  });
  it("a state license without an expiry date is 'expiry unknown', never valid forever", () => {
    const undated = { ...stateLicense, expiresAt: undefined };
    const f = only(check(truck(DALLAS, [commissary, undated]), "2026-08-01"), "TX-MFV-LIC");
    expect(f).toMatchObject({ status: "warn", dueBy: null });
    expect(f.message).toMatch(/expiry unknown/);
  });
});

describe("Houston HOU-MFU-2010 / HOU-MFU: a city medallion for each mobile food unit, valid one year (Houston Permitting Center HHD1008; HSC § 437.0073)", () => {
  const medallion = {
    type: "mobile_food_facility_permit",
    number: "MED-12",
    issuer: `${TX}/place:houston`,
    issuedAt: "2025-09-01",
  };
  const truck = (permits: object[]) => ({ address: HOUSTON, type: "mobile_food_facility", permits });
  it("before 2026-07-01: HOU-MFU-2010, verified on the city's permit page, passes within a year of issue", () => {
    expect(only(check(truck([medallion]), "2026-03-02"), "HOU-MFU-2010")).toMatchObject({
      status: "pass",
      verified: true,
    });
    expect(findings(check(truck([medallion]), "2026-03-02"), "HOU-MFU")).toEqual([]);
  });
  it("from 2026-07-01 (H.B. 2844 in force): HOU-MFU, unverified, fails once the year is over", () => {
    const v = check(truck([medallion]), "2026-09-02");
    expect(only(v, "HOU-MFU")).toMatchObject({ status: "fail", verified: false });
    expect(findings(v, "HOU-MFU-2010")).toEqual([]);
    expect(only(check(truck([medallion]), "2026-07-01"), "HOU-MFU")).toMatchObject({
      status: "pass",
      verified: false,
    });
    expect(check(truck([medallion]), "2026-06-30").reevaluateAt).toBe("2026-07-01");
  });
  it("a mobile permit from another authority no longer satisfies a Houston truck (the FDA baseline accepted any)", () => {
    const county = { ...medallion, number: "HC-1", issuer: `${TX}/county:harris` };
    const v = check(truck([county]), "2026-03-02");
    expect(only(v, "HOU-MFU-2010").status).toBe("fail");
    expect(only(v, "TX-PERMIT").message).toMatch(/Superseded by HOU-MFU-2010/);
    const later = check(truck([county]), "2026-09-02");
    expect(only(later, "HOU-MFU").status).toBe("fail");
    expect(only(later, "TX-PERMIT").message).toMatch(/Superseded by HOU-MFU\b/);
  });
  it("does not concern a Houston restaurant, which keeps the food dealer's permit rule", () => {
    const v = check({ address: HOUSTON }, "2026-03-02");
    expect(only(v, "HOU-MFU-2010").status).toBe("not_applicable");
    expect(only(v, "HOU-PERMIT").status).toBe("fail");
  });
});

describe("item 10: Texas effective dates — 25 TAC §228.33(d) before 2021-08-08; SB 1008 ends Austin's manager certificate on 2025-09-01", () => {
  it("cites the pre-2021 60-day rule as 25 TAC §228.33(d), not §228.31", () => {
    const f = only(check({ address: AUSTIN, staff: [cook("2021-04-17")] }, "2021-06-01"), "TX-FH-60D", "s-1");
    expect(f.citation).toMatch(/§ 228\.33\(d\)/);
    expect(f.citation).not.toMatch(/228\.31/);
    expect(f.status).toBe("warn");
  });
  it("still checks ATX-FM in replays up to 2025-08-31 and asks to re-evaluate on 2025-09-01", () => {
    const v = check(
      {
        address: AUSTIN,
        staff: [cook("2020-01-01", [{ type: "food_handler_card", issuedAt: "2025-01-01" }])],
      },
      "2025-08-31",
    );
    expect(only(v, "ATX-FM")).toMatchObject({ status: "fail", verified: false });
    expect(v.reevaluateAt).toBe("2025-09-01");
  });
  it("no longer requires Austin's manager certificate from 2025-09-01 (Tex. Health & Safety Code §§437.0045, 438.1055)", () => {
    const v = check({ address: AUSTIN, staff: [cook("2020-01-01")] }, "2025-09-01");
    expect(findings(v, "ATX-FM")).toEqual([]);
    expect(only(v, "TX-CFPM").status).toBe("fail"); // the state's manager rule still binds
    expect(findings(check({ address: AUSTIN, staff: [CERTIFIED_MANAGER] }, "2026-03-02"), "ATX-FM")).toEqual(
      [],
    );
  });
});

describe("TX-CFPM-EMP: before 2021-08-08 a certified food protection manager had to be employed, not present (25 TAC § 228.33(a), (c), 2015 text)", () => {
  const DALLAS = { city: "Dallas", state: "TX" };
  it("passes with a certified manager employed and fails without one, verified, citing § 228.33", () => {
    const manager = {
      ...CERTIFIED_MANAGER,
      credentials: [{ type: "food_protection_manager", issuedAt: "2019-03-01" }],
    };
    const pass = only(check({ address: DALLAS, staff: [manager] }, "2021-06-01"), "TX-CFPM-EMP");
    expect(pass).toMatchObject({ status: "pass", verified: true });
    expect(pass.message).not.toMatch(/on site/);
    const v = check({ address: DALLAS, staff: [cook("2020-01-01")] }, "2021-06-01");
    expect(only(v, "TX-CFPM-EMP")).toMatchObject({ status: "fail", verified: true });
    expect(only(v, "TX-CFPM-EMP").citation).toMatch(/§ 228\.33\(a\), \(c\)/);
  });
  it("the on-site rule TX-CFPM (§ 228.31(b)) applies only from 2021-08-08 (until 2026.12.3 it was applied from 2020)", () => {
    const before = check({ address: DALLAS, staff: [cook("2020-01-01")] }, "2021-08-07");
    expect(findings(before, "TX-CFPM")).toEqual([]);
    expect(before.reevaluateAt).toBe("2021-08-08");
    const after = check({ address: DALLAS, staff: [cook("2020-01-01")] }, "2021-08-08");
    expect(findings(after, "TX-CFPM-EMP")).toEqual([]);
    expect(only(after, "TX-CFPM").status).toBe("fail");
  });
  it("does not apply to a packaged-only site", () => {
    const v = check(
      { address: DALLAS, handlesUnpackagedTcsFood: false, staff: [cook("2020-01-01")] },
      "2021-06-01",
    );
    expect(only(v, "TX-CFPM-EMP").status).toBe("not_applicable");
  });
});

describe("TX-PERMIT: a retail food establishment permit from DSHS or the local health authority (25 TAC § 229.372(a)(1), (a)(3))", () => {
  const DALLAS = { city: "Dallas", state: "TX" };
  const permit = {
    type: "health_permit",
    number: "HP-4",
    issuer: TX,
    issuedAt: "2025-01-10",
    expiresAt: "2027-01-09",
  };
  it("passes with a current permit and replaces the FDA model's permit rule, verified", () => {
    const v = check({ address: DALLAS, permits: [permit] }, "2026-03-02");
    expect(only(v, "TX-PERMIT")).toMatchObject({ status: "pass", verified: true, subject: { id: "HP-4" } });
    expect(only(v, "FDA-PERMIT").message).toMatch(/Superseded by TX-PERMIT/);
  });
  it("fails without a permit and once the permit has expired", () => {
    expect(only(check({ address: DALLAS }, "2026-03-02"), "TX-PERMIT").status).toBe("fail");
    expect(only(check({ address: DALLAS, permits: [permit] }, "2027-01-10"), "TX-PERMIT").status).toBe(
      "fail",
    );
  });
  it("accepts a local health authority's permit, and warns 'expiry unknown' for an undated one", () => {
    const county = {
      type: "health_permit",
      number: "DC-1",
      issuer: `${TX}/county:dallas`,
      issuedAt: "2025-09-01",
    };
    const f = only(check({ address: DALLAS, permits: [county] }, "2026-03-02"), "TX-PERMIT");
    expect(f.status).toBe("warn");
    expect(f.message).toMatch(/expiry unknown/);
  });
  it("a mobile food unit needs its own mobile food unit permit (§ 229.372(a)(3))", () => {
    const unit = {
      type: "mobile_food_facility_permit",
      number: "MFU-8",
      issuer: TX,
      issuedAt: "2025-01-10",
      expiresAt: "2027-01-09",
    };
    const truck = (permits: object[]) => ({ address: DALLAS, type: "mobile_food_facility", permits });
    expect(only(check(truck([unit]), "2026-03-02"), "TX-PERMIT").status).toBe("pass");
    expect(only(check(truck([]), "2026-03-02"), "TX-PERMIT").status).toBe("fail");
  });
});

describe("HOU-MFU-SERVICE: a Houston mobile food unit is serviced daily at its commissary (HSC § 437.0074(a))", () => {
  const commissary = { type: "commissary_agreement", number: "CPF-2", issuedAt: "2025-01-10" };
  const truck = (address: object, permits: object[]) => ({ address, type: "mobile_food_facility", permits });
  it("passes with a commissary agreement and fails without one, verified", () => {
    expect(only(check(truck(HOUSTON, [commissary]), "2026-03-02"), "HOU-MFU-SERVICE")).toMatchObject({
      status: "pass",
      verified: true,
    });
    const f = only(check(truck(HOUSTON, []), "2026-03-02"), "HOU-MFU-SERVICE");
    expect(f.status).toBe("fail");
    expect(f.citation).toMatch(/437\.0074/);
  });
  it("does not concern a Houston restaurant, nor a truck outside Houston", () => {
    expect(only(check({ address: HOUSTON }, "2026-03-02"), "HOU-MFU-SERVICE").status).toBe("not_applicable");
    expect(
      findings(check(truck({ city: "Dallas", state: "TX" }, []), "2026-03-02"), "HOU-MFU-SERVICE"),
    ).toEqual([]);
  });
});

describe("ATX-PERMIT: Austin Public Health's permit to operate, renewed yearly", () => {
  const aph = { type: "health_permit", number: "APH-5", issuer: ATX, issuedAt: "2025-10-01" };
  it("passes with the department's permit within a year of issue and replaces the state's and the FDA model's permit rules", () => {
    const v = check({ address: AUSTIN, permits: [aph] }, "2026-03-02");
    expect(only(v, "ATX-PERMIT")).toMatchObject({
      status: "pass",
      verified: true,
      validThrough: "2026-10-01",
    });
    expect(only(v, "TX-PERMIT").message).toMatch(/Superseded by ATX-PERMIT/);
  });
  it("fails once the year is over, without a permit, and with a state-issued permit (which passed TX-PERMIT)", () => {
    expect(only(check({ address: AUSTIN, permits: [aph] }, "2026-10-02"), "ATX-PERMIT").status).toBe("fail");
    expect(only(check({ address: AUSTIN }, "2026-03-02"), "ATX-PERMIT").status).toBe("fail");
    const state = { ...aph, issuer: TX, expiresAt: "2027-09-30" };
    expect(only(check({ address: AUSTIN, permits: [state] }, "2026-03-02"), "ATX-PERMIT").message).toMatch(
      /not the issuing authority/,
    );
  });
  it("a food truck passes with its mobile unit permit from the department and fails without one", () => {
    const unit = {
      type: "mobile_food_facility_permit",
      number: "MFV-2",
      issuer: ATX,
      issuedAt: "2025-10-01",
    };
    const truck = (permits: object[]) => ({ address: AUSTIN, type: "mobile_food_facility", permits });
    expect(only(check(truck([unit]), "2026-03-02"), "ATX-PERMIT").status).toBe("pass");
    expect(only(check(truck([]), "2026-03-02"), "ATX-PERMIT").status).toBe("fail");
  });
});

describe("TX-CFPM-POST: the original food manager certificate posted where consumers see it (25 TAC § 228.31(a); § 228.33(b) before 2021-08-08)", () => {
  const DALLAS = { city: "Dallas", state: "TX" };
  const run = (postedNotices: string[] | undefined, asOf = "2026-03-02", extra: object = {}) =>
    check(
      { address: DALLAS, staff: [CERTIFIED_MANAGER], ...(postedNotices ? { postedNotices } : {}), ...extra },
      asOf,
    );
  it("passes when the certificate is listed and fails when the list lacks it, verified", () => {
    expect(only(run(["manager_certificate"]), "TX-CFPM-POST")).toMatchObject({
      status: "pass",
      verified: true,
    });
    const f = only(run(["permit"]), "TX-CFPM-POST");
    expect(f).toMatchObject({ status: "fail", verified: true, severity: "minor" });
    expect(f.message).toMatch(/conspicuous|consumers can see it/);
    expect(f.citation).toMatch(/§ 228\.31\(a\)/);
  });
  it("is not checked when the facility does not state its posted notices", () => {
    const f = only(run(undefined), "TX-CFPM-POST");
    expect(f.status).toBe("not_applicable");
    expect(f.message).toMatch(/^Not checked: .*postedNotices.*food manager certificate/);
  });
  it("does not apply to a packaged-only site", () => {
    expect(only(run([], "2026-03-02", { handlesUnpackagedTcsFood: false }), "TX-CFPM-POST").status).toBe(
      "not_applicable",
    );
  });
  it("before 2021-08-08 the duty is § 228.33(b) (TX-CFPM-POST-2015), from that day § 228.31(a)", () => {
    const before = run([], "2021-08-07");
    expect(findings(before, "TX-CFPM-POST")).toEqual([]);
    expect(only(before, "TX-CFPM-POST-2015")).toMatchObject({ status: "fail", verified: true });
    expect(only(before, "TX-CFPM-POST-2015").citation).toMatch(/§ 228\.33\(b\)/);
    expect(only(run(["manager_certificate"], "2021-08-07"), "TX-CFPM-POST-2015").status).toBe("pass");
    const after = run([], "2021-08-08");
    expect(findings(after, "TX-CFPM-POST-2015")).toEqual([]);
    expect(only(after, "TX-CFPM-POST").status).toBe("fail");
  });
  it("applies in Austin and Houston too (a state rule)", () => {
    expect(only(check({ address: AUSTIN, postedNotices: [] }, "2026-03-02"), "TX-CFPM-POST").status).toBe(
      "fail",
    );
    expect(only(check({ address: HOUSTON, postedNotices: [] }, "2026-03-02"), "TX-CFPM-POST").status).toBe(
      "fail",
    );
  });
});

describe("TX-ALLERGEN-POST: the food allergen awareness poster for food service employees (25 TAC § 228.33, 2023; HSC § 437.027)", () => {
  const DALLAS = { city: "Dallas", state: "TX" };
  it("passes when listed, fails when the list lacks it, verified", () => {
    const pass = only(
      check({ address: DALLAS, postedNotices: ["food_allergy_notice"] }, "2026-03-02"),
      "TX-ALLERGEN-POST",
    );
    expect(pass).toMatchObject({ status: "pass", verified: true });
    const fail = only(
      check({ address: DALLAS, postedNotices: ["manager_certificate"] }, "2026-03-02"),
      "TX-ALLERGEN-POST",
    );
    expect(fail).toMatchObject({ status: "fail", verified: true });
    expect(fail.message).toMatch(/regularly accessible to food service employees/);
  });
  it("is not checked without postedNotices, and applies to a food truck and a packaged-only site alike", () => {
    expect(only(check({ address: DALLAS }, "2026-03-02"), "TX-ALLERGEN-POST").status).toBe("not_applicable");
    expect(
      only(
        check({ address: DALLAS, type: "mobile_food_facility", postedNotices: [] }, "2026-03-02"),
        "TX-ALLERGEN-POST",
      ).status,
    ).toBe("fail");
    expect(
      only(
        check({ address: DALLAS, handlesUnpackagedTcsFood: false, postedNotices: [] }, "2026-03-02"),
        "TX-ALLERGEN-POST",
      ).status,
    ).toBe("fail");
  });
  it("binds from 2024-09-01, the compliance date health districts give", () => {
    const before = check({ address: DALLAS, postedNotices: [] }, "2024-08-31");
    expect(findings(before, "TX-ALLERGEN-POST")).toEqual([]);
    expect(only(check({ address: DALLAS, postedNotices: [] }, "2024-09-01"), "TX-ALLERGEN-POST").status).toBe(
      "fail",
    );
  });
});

describe("HOU-PERMIT-POST: the food dealer's permit in public view (Houston City Code § 20-36(a); Houston Permitting Center HHD1003)", () => {
  it("passes when the permit is listed, fails when the list lacks it, verified", () => {
    expect(
      only(check({ address: HOUSTON, postedNotices: ["permit"] }, "2026-03-02"), "HOU-PERMIT-POST"),
    ).toMatchObject({
      status: "pass",
      verified: true,
    });
    const f = only(
      check({ address: HOUSTON, postedNotices: ["manager_certificate"] }, "2026-03-02"),
      "HOU-PERMIT-POST",
    );
    expect(f).toMatchObject({ status: "fail", verified: true });
    expect(f.message).toMatch(/public view/);
  });
  it("is not checked without postedNotices, and leaves mobile units to the medallion rule", () => {
    expect(only(check({ address: HOUSTON }, "2026-03-02"), "HOU-PERMIT-POST").status).toBe("not_applicable");
    const truck = check({ address: HOUSTON, type: "mobile_food_facility", postedNotices: [] }, "2026-03-02");
    expect(only(truck, "HOU-PERMIT-POST").status).toBe("not_applicable");
    expect(only(truck, "HOU-MFU-POST-2010").status).toBe("fail");
  });
  it("does not apply outside Houston", () => {
    expect(findings(check({ address: AUSTIN, postedNotices: [] }, "2026-03-02"), "HOU-PERMIT-POST")).toEqual(
      [],
    );
  });
});

describe("HOU-MFU-POST-2010 / HOU-MFU-POST: the medallion affixed in public view (HHD1008; HSC § 437.0073(d))", () => {
  const truck = (asOf: string, postedNotices?: string[]) =>
    check(
      { address: HOUSTON, type: "mobile_food_facility", ...(postedNotices ? { postedNotices } : {}) },
      asOf,
    );
  it("before 2026-07-01: passes when listed, fails when the list lacks it, verified", () => {
    expect(only(truck("2026-03-02", ["permit"]), "HOU-MFU-POST-2010")).toMatchObject({
      status: "pass",
      verified: true,
    });
    const f = only(truck("2026-03-02", ["food_allergy_notice"]), "HOU-MFU-POST-2010");
    expect(f).toMatchObject({ status: "fail", verified: true });
    expect(f.message).toMatch(/public view/);
    expect(findings(truck("2026-03-02", ["permit"]), "HOU-MFU-POST")).toEqual([]);
  });
  it("from 2026-07-01: the same duty, flagged unverified like HOU-MFU", () => {
    expect(only(truck("2026-09-02", ["permit"]), "HOU-MFU-POST")).toMatchObject({
      status: "pass",
      verified: false,
    });
    const f = only(truck("2026-09-02", ["food_allergy_notice"]), "HOU-MFU-POST");
    expect(f).toMatchObject({ status: "fail", verified: false });
    expect(f.message).toMatch(/viewed by patrons|patrons can see it/);
    expect(findings(truck("2026-09-02", ["permit"]), "HOU-MFU-POST-2010")).toEqual([]);
  });
  it("is not checked without postedNotices and does not apply to a restaurant", () => {
    expect(only(truck("2026-03-02"), "HOU-MFU-POST-2010").status).toBe("not_applicable");
    expect(only(check({ address: HOUSTON, postedNotices: [] }, "2026-09-02"), "HOU-MFU-POST").status).toBe(
      "not_applicable",
    );
  });
});

describe("ATX-FM-POST: the city food manager certificate posted in a prominent location (Austin City Code § 10-3-31(C), until 2025-09-01)", () => {
  it("passes when listed and fails when the list lacks it, before 2025-09-01", () => {
    expect(
      only(check({ address: AUSTIN, postedNotices: ["manager_certificate"] }, "2025-03-02"), "ATX-FM-POST"),
    ).toMatchObject({ status: "pass", verified: true });
    const f = only(check({ address: AUSTIN, postedNotices: ["permit"] }, "2025-03-02"), "ATX-FM-POST");
    expect(f).toMatchObject({ status: "fail", verified: true });
    expect(f.message).toMatch(/prominent location/);
  });
  it("is not checked without postedNotices, not applied to a packaged-only site, and ends with ATX-FM on 2025-09-01", () => {
    expect(only(check({ address: AUSTIN }, "2025-03-02"), "ATX-FM-POST").status).toBe("not_applicable");
    expect(
      only(
        check({ address: AUSTIN, handlesUnpackagedTcsFood: false, postedNotices: [] }, "2025-03-02"),
        "ATX-FM-POST",
      ).status,
    ).toBe("not_applicable");
    const after = check({ address: AUSTIN, postedNotices: [] }, "2025-09-01");
    expect(findings(after, "ATX-FM-POST")).toEqual([]);
    expect(only(after, "TX-CFPM-POST").status).toBe("fail"); // the state's posting duty remains
  });
});

describe("TX-PERMIT-POST-2015: the permit posted where consumers see it, 2015 rules (25 TAC § 228.248(1), until 2021-08-08)", () => {
  const DALLAS = { city: "Dallas", state: "TX" };
  it("passes when listed, fails when the list lacks it, verified, before 2021-08-08", () => {
    expect(
      only(check({ address: DALLAS, postedNotices: ["permit"] }, "2021-06-01"), "TX-PERMIT-POST-2015"),
    ).toMatchObject({
      status: "pass",
      verified: true,
    });
    const f = only(
      check({ address: DALLAS, postedNotices: ["manager_certificate"] }, "2021-06-01"),
      "TX-PERMIT-POST-2015",
    );
    expect(f).toMatchObject({ status: "fail", verified: true });
    expect(f.message).toMatch(/conspicuous to consumers/);
  });
  it("is not checked without postedNotices, applies to a food truck too, and ends on 2021-08-08", () => {
    expect(only(check({ address: DALLAS }, "2021-06-01"), "TX-PERMIT-POST-2015").status).toBe(
      "not_applicable",
    );
    expect(
      only(
        check({ address: DALLAS, type: "mobile_food_facility", postedNotices: [] }, "2021-06-01"),
        "TX-PERMIT-POST-2015",
      ).status,
    ).toBe("fail");
    expect(
      findings(check({ address: DALLAS, postedNotices: [] }, "2021-08-08"), "TX-PERMIT-POST-2015"),
    ).toEqual([]);
  });
});

describe("HOU-FSM: the City of Houston food service manager certificate, holder present (Houston Permitting Center), until 2025-09-01", () => {
  const HOU = `${TX}/place:houston`;
  const cityManager = (issuedAt = "2022-06-15", issuer = HOU) => ({
    id: "m-4",
    role: "manager",
    hiredAt: "2020-01-01",
    credentials: [{ type: "local_manager_certificate", issuer, issuedAt }],
  });
  it("passes with the city's certificate and fails with only a state certificate, verified", () => {
    expect(only(check({ address: HOUSTON, staff: [cityManager()] }, "2025-03-03"), "HOU-FSM")).toMatchObject({
      status: "pass",
      verified: true,
    });
    const f = only(check({ address: HOUSTON, staff: [CERTIFIED_MANAGER] }, "2025-03-03"), "HOU-FSM");
    expect(f).toMatchObject({ status: "fail", verified: true, severity: "major" });
  });
  it("runs 5 years from issue, refuses another city's certificate, and binds a packaged-only site too", () => {
    expect(
      only(check({ address: HOUSTON, staff: [cityManager("2019-06-15")] }, "2025-03-03"), "HOU-FSM").status,
    ).toBe("fail"); // expired 2024-06-14
    expect(
      only(
        check({ address: HOUSTON, staff: [cityManager("2022-06-15", `${TX}/place:austin`)] }, "2025-03-03"),
        "HOU-FSM",
      ).status,
    ).toBe("fail");
    expect(
      only(
        check(
          { address: HOUSTON, handlesUnpackagedTcsFood: false, staff: [cook("2020-01-01")] },
          "2025-03-03",
        ),
        "HOU-FSM",
      ).status,
    ).toBe("fail");
  });
  it("ends on 2025-09-01 (city Food Ordinance repealed under SB 1008), leaving TX-CFPM, and does not apply in Austin", () => {
    const v = check({ address: HOUSTON, staff: [CERTIFIED_MANAGER] }, "2025-09-01");
    expect(findings(v, "HOU-FSM")).toEqual([]);
    expect(only(v, "TX-CFPM").status).toBe("pass");
    expect(findings(check({ address: AUSTIN, staff: [CERTIFIED_MANAGER] }, "2025-03-03"), "HOU-FSM")).toEqual(
      [],
    );
  });
});

describe("HOU-FSM-POST: the city food service manager certificate posted in view of the public, until 2025-09-01", () => {
  it("passes when listed, fails when the list lacks it, verified", () => {
    expect(
      only(check({ address: HOUSTON, postedNotices: ["manager_certificate"] }, "2025-03-02"), "HOU-FSM-POST"),
    ).toMatchObject({ status: "pass", verified: true });
    const f = only(check({ address: HOUSTON, postedNotices: ["permit"] }, "2025-03-02"), "HOU-FSM-POST");
    expect(f).toMatchObject({ status: "fail", verified: true, severity: "minor" });
    expect(f.message).toMatch(/in view of the public/);
  });
  it("is not checked without postedNotices and ends on 2025-09-01, when the state's posting duty remains", () => {
    expect(only(check({ address: HOUSTON }, "2025-03-02"), "HOU-FSM-POST").status).toBe("not_applicable");
    const after = check({ address: HOUSTON, postedNotices: [] }, "2025-09-01");
    expect(findings(after, "HOU-FSM-POST")).toEqual([]);
    expect(only(after, "TX-CFPM-POST").status).toBe("fail");
  });
});

describe("ATX-MFU-CPF: an Austin mobile food vendor works from a central preparation facility (Austin Public Health)", () => {
  const truck = (address: object, permits: object[]) => ({ address, type: "mobile_food_facility", permits });
  const contract = { type: "commissary_agreement", number: "CPF-9", issuedAt: "2025-01-10" };
  it("passes with the facility's contract (undated = no end) and fails without one, verified", () => {
    expect(only(check(truck(AUSTIN, [contract]), "2026-03-02"), "ATX-MFU-CPF")).toMatchObject({
      status: "pass",
      verified: true,
    });
    const f = only(check(truck(AUSTIN, []), "2026-03-02"), "ATX-MFU-CPF");
    expect(f).toMatchObject({ status: "fail", verified: true, severity: "major" });
    expect(only(check(truck(AUSTIN, []), "2026-03-02"), "TX-MFU-CPF").status).toBe("fail"); // the state rule runs beside it
  });
  it("does not apply to an Austin restaurant nor outside Austin", () => {
    expect(only(check({ address: AUSTIN }, "2026-03-02"), "ATX-MFU-CPF").status).toBe("not_applicable");
    expect(findings(check(truck(HOUSTON, []), "2026-03-02"), "ATX-MFU-CPF")).toEqual([]);
  });
});
