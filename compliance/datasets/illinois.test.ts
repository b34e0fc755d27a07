// Statute-derived scenarios for Illinois (410 ILCS 625) and Chicago (Municipal Code 7-38-012):
// the CFSSM, food-handler training (30 days, 3 years), allergen training for certified managers
// in restaurants, and Chicago's own city certificate, which the state certificate does not satisfy.
import { describe, expect, it } from "vitest";
import { compileDataset } from "../engine/compile";
import { evaluate } from "../engine/evaluate";
import type { Dataset } from "../schema/dataset";
import { check, facility, findings, hypotheticalCityCardLayer, only } from "../test-helpers";
import { bundledLayersFor } from ".";

const IL = "ocd-division/country:us/state:il";
const CHI = `${IL}/place:chicago`;
const CHICAGO = { city: "Chicago", state: "IL" };
const SPRINGFIELD = { city: "Springfield", state: "IL" };
const stateCert = { type: "food_protection_manager", issuedAt: "2024-01-01" };
const cityCert = { type: "local_manager_certificate", issuer: CHI, issuedAt: "2024-01-01" };
const allergen = { type: "allergen_awareness", issuedAt: "2024-01-01" };
const manager = (credentials: object[], hiredAt = "2020-01-01") => ({
  id: "m",
  name: "Dana",
  role: "manager",
  hiredAt,
  credentials,
});
const cook = (hiredAt: string, credentials: object[] = []) => ({
  id: "e",
  role: "food_employee",
  hiredAt,
  credentials,
});

describe("IL-CFSSM certified food service sanitation manager (410 ILCS 625/3)", () => {
  it("passes with a certified manager and fails without one", () => {
    expect(
      only(check({ address: SPRINGFIELD, staff: [manager([stateCert])] }, "2026-03-02"), "IL-CFSSM").status,
    ).toBe("pass");
    expect(only(check({ address: SPRINGFIELD, staff: [manager([])] }, "2026-03-02"), "IL-CFSSM").status).toBe(
      "fail",
    );
  });
});

describe("IL-FH food handler training (410 ILCS 625/3.06)", () => {
  it("warns through day 30 after hire and fails on day 31", () => {
    const staff = [cook("2026-02-01")];
    expect(only(check({ address: SPRINGFIELD, staff }, "2026-03-03"), "IL-FH", "e")).toMatchObject({
      status: "warn",
      dueBy: "2026-03-03",
    });
    expect(only(check({ address: SPRINGFIELD, staff }, "2026-03-04"), "IL-FH", "e").status).toBe("fail");
  });
  it("needs renewal every 3 years", () => {
    const staff = [cook("2020-01-01", [{ type: "food_handler_card", issuedAt: "2023-03-01" }])];
    expect(only(check({ address: SPRINGFIELD, staff }, "2026-02-28"), "IL-FH", "e").status).toBe("warn");
    expect(only(check({ address: SPRINGFIELD, staff }, "2026-03-02"), "IL-FH", "e").message).toMatch(
      /expired on 2026-03-01/,
    );
  });
  it("exempts the certified manager", () => {
    expect(
      only(check({ address: SPRINGFIELD, staff: [manager([stateCert])] }, "2026-03-02"), "IL-FH", "m")
        .message,
    ).toMatch(/is exempt/);
  });
});

describe("IL-ALG allergen training for certified managers in restaurants (410 ILCS 625/3.07)", () => {
  it("warns through day 30 after hire, then fails", () => {
    const staff = [manager([stateCert], "2026-02-01")];
    expect(only(check({ address: SPRINGFIELD, staff }, "2026-03-03"), "IL-ALG", "m")).toMatchObject({
      status: "warn",
      dueBy: "2026-03-03",
    });
    expect(only(check({ address: SPRINGFIELD, staff }, "2026-03-04"), "IL-ALG", "m").status).toBe("fail");
  });
  it("passes with current training and expires after 3 years", () => {
    expect(
      only(
        check({ address: SPRINGFIELD, staff: [manager([stateCert, allergen])] }, "2026-03-02"),
        "IL-ALG",
        "m",
      ).status,
    ).toBe("pass");
    expect(
      only(
        check({ address: SPRINGFIELD, staff: [manager([stateCert, allergen])] }, "2027-01-02"),
        "IL-ALG",
        "m",
      ).status,
    ).toBe("fail");
  });
  it("covers only certified managers, and only in restaurants", () => {
    expect(only(check({ address: SPRINGFIELD, staff: [manager([])] }, "2026-03-02"), "IL-ALG")).toMatchObject(
      {
        status: "not_applicable",
        message: expect.stringMatching(/holding a food protection manager certificate/),
      },
    );
    const caterer = check(
      { address: SPRINGFIELD, type: "caterer", staff: [manager([stateCert])] },
      "2026-03-02",
    );
    expect(only(caterer, "IL-ALG").message).toBe("Applies only to restaurants; this is a caterer.");
  });
});

describe("CHI-FSSC Chicago food service sanitation certificate (Municipal Code 7-38-012)", () => {
  it("is additive: the state certificate alone fails Chicago's rule", () => {
    const v = check({ address: CHICAGO, staff: [manager([stateCert, allergen])] }, "2026-03-02");
    expect(only(v, "IL-CFSSM").status).toBe("pass");
    expect(only(v, "CHI-FSSC")).toMatchObject({
      status: "fail",
      citation: "Chicago Municipal Code § 7-38-012",
      severity: "critical",
    });
    expect(v.status).toBe("non_compliant");
  });
  it("passes with the city certificate held on site", () => {
    const v = check({ address: CHICAGO, staff: [manager([stateCert, allergen, cityCert])] }, "2026-03-02");
    expect(only(v, "CHI-FSSC").message).toMatch(/on site/);
    expect(only(v, "CHI-FSSC").status).toBe("pass");
  });
  it("expires 5 years after the exam and refuses another city's certificate", () => {
    expect(
      only(check({ address: CHICAGO, staff: [manager([cityCert])] }, "2029-01-02"), "CHI-FSSC").status,
    ).toBe("fail");
    const other = { ...cityCert, issuer: `${IL}/place:springfield` };
    expect(
      only(check({ address: CHICAGO, staff: [manager([other])] }, "2026-03-02"), "CHI-FSSC").message,
    ).toMatch(/not accepted here/);
  });
  it("does not apply where no TCS food is handled, nor outside Chicago", () => {
    const packaged = check(
      { address: CHICAGO, handlesUnpackagedTcsFood: false, staff: [manager([])] },
      "2026-03-02",
    );
    expect(only(packaged, "CHI-FSSC").status).toBe("not_applicable");
    expect(findings(check({ address: SPRINGFIELD, staff: [manager([])] }, "2026-03-02"), "CHI-FSSC")).toEqual(
      [],
    );
  });
});

describe("coverage in Illinois", () => {
  it("resolves Chicago to Cook County and the city; Springfield has state-level coverage", () => {
    const chicago = check({ address: CHICAGO }, "2026-03-02");
    expect(chicago.coverage).toBe("city");
    expect(chicago.jurisdictions).toEqual(["ocd-division/country:us", IL, `${IL}/county:cook`, CHI]);
    expect(check({ address: SPRINGFIELD }, "2026-03-02").coverage).toBe("state");
  });
});

describe("item 7: Chicago's operating licence is a city business licence (Municipal Code § 4-8-020(a)(1))", () => {
  const licence = { type: "business_license", number: "RFE-1", issuer: CHI, expiresAt: "2027-01-15" };
  it("passes a restaurant with its city retail food establishment licence and supersedes FDA-PERMIT", () => {
    const v = check({ address: CHICAGO, permits: [licence] }, "2026-03-02");
    expect(only(v, "CHI-LIC")).toMatchObject({ status: "pass", subject: { id: "RFE-1" } });
    expect(only(v, "FDA-PERMIT").message).toMatch(/Superseded by CHI-LIC/);
  });
  it("fails without the city licence, and refuses one from another issuer", () => {
    expect(only(check({ address: CHICAGO }, "2026-03-02"), "CHI-LIC").status).toBe("fail");
    const other = { ...licence, issuer: IL };
    expect(only(check({ address: CHICAGO, permits: [other] }, "2026-03-02"), "CHI-LIC").status).toBe("fail");
  });
  it("a licence without an expiry date runs the 2-year term from its issue date (was 'expiry unknown' until 2026.12.4)", () => {
    const { expiresAt: _, ...undated } = licence;
    const issued = { ...undated, issuedAt: "2025-01-15" };
    expect(only(check({ address: CHICAGO, permits: [issued] }, "2026-03-02"), "CHI-LIC").status).toBe("pass");
    expect(only(check({ address: CHICAGO, permits: [issued] }, "2027-01-16"), "CHI-LIC").status).toBe("fail");
    const f = only(check({ address: CHICAGO, permits: [undated] }, "2026-03-02"), "CHI-LIC");
    expect(f.status).toBe("fail");
    expect(f.message).toMatch(/no issue or expiry date/);
  });
  it("elsewhere in Illinois the FDA model's health permit rule still applies", () => {
    expect(findings(check({ address: SPRINGFIELD }, "2026-03-02"), "CHI-LIC")).toEqual([]);
  });
});

describe("item 11: a manager certificate exempts from food handler training only while valid (410 ILCS 625/3.06)", () => {
  it("a certificate issued more than 5 years ago, with no expiry date given, no longer exempts", () => {
    const old = manager([{ type: "food_protection_manager", issuedAt: "2020-01-01" }]);
    expect(only(check({ address: SPRINGFIELD, staff: [old] }, "2026-03-02"), "IL-FH", "m").status).toBe(
      "fail",
    );
    const current = manager([stateCert]);
    expect(
      only(check({ address: SPRINGFIELD, staff: [current] }, "2026-03-02"), "IL-FH", "m").message,
    ).toMatch(/is exempt/);
  });
});

describe("item 9: packaged-only operations — IL-CFSSM-PKG keeps applying the rule, exemption unverified (410 ILCS 625/3)", () => {
  const packagedOnly = (staff: object[]) =>
    check({ address: SPRINGFIELD, handlesUnpackagedTcsFood: false, staff }, "2026-03-02");
  it("still fails a packaged-only site without a certified manager, flagged unverified", () => {
    const v = packagedOnly([manager([])]);
    const f = only(v, "IL-CFSSM-PKG");
    expect(f).toMatchObject({ status: "fail", verified: false });
    expect(f.citation).toMatch(/packaged-only exemption unverified/);
    expect(only(v, "IL-CFSSM").status).toBe("not_applicable");
  });
  it("passes a packaged-only site with a certified manager", () => {
    expect(only(packagedOnly([manager([stateCert])]), "IL-CFSSM-PKG")).toMatchObject({
      status: "pass",
      verified: false,
    });
  });
  it("leaves kitchens handling unpackaged TCS food to IL-CFSSM, verified since 2026.12.3 (was verified false)", () => {
    const v = check({ address: SPRINGFIELD, staff: [manager([])] }, "2026-03-02");
    expect(only(v, "IL-CFSSM")).toMatchObject({ status: "fail", verified: true });
    expect(only(v, "IL-CFSSM-PKG").status).toBe("not_applicable");
  });
});

// Issue 15, deepened coverage (IL 2026.12.2, Chicago 2026.12.1): each scenario fails on the previous data.
describe("CHI-MFV Chicago mobile food vendor licence for food trucks (Municipal Code ch. 4-8)", () => {
  const truck = (permits: object[], asOf = "2026-03-02") =>
    check({ type: "mobile_food_facility", address: CHICAGO, permits }, asOf);
  const licence = { type: "business_license", number: "MFP-1", issuer: CHI, issuedAt: "2025-01-15" };
  it("passes the city's licence for its two-year term and fails after it", () => {
    expect(only(truck([licence]), "CHI-MFV")).toMatchObject({ status: "pass", verified: true });
    expect(only(truck([licence], "2027-01-16"), "CHI-MFV").status).toBe("fail");
  });
  it("refuses a state or county health permit, which FDA-PERMIT accepted for a truck", () => {
    const county = {
      type: "mobile_food_facility_permit",
      issuer: `${IL}/county:cook`,
      issuedAt: "2025-06-01",
    };
    const v = truck([county]);
    expect(only(v, "CHI-MFV").status).toBe("fail");
    expect(only(v, "FDA-PERMIT").message).toMatch(/Superseded by CHI-MFV/);
  });
  it("leaves restaurants to CHI-LIC", () => {
    expect(only(check({ address: CHICAGO }, "2026-03-02"), "CHI-MFV").status).toBe("not_applicable");
  });
});

describe("CHI-ALG allergen training for city-certified managers (Chicago Food Code Rules 2-102.13, unverified)", () => {
  const cityOnly = (hiredAt: string, extra: object[] = []) => [manager([cityCert, ...extra], hiredAt)];
  it("reaches a city-certified manager the state rule (IL-ALG, state certificate holders) does not", () => {
    const v = check({ address: CHICAGO, staff: cityOnly("2025-01-01") }, "2026-03-02");
    expect(only(v, "CHI-ALG", "m")).toMatchObject({ status: "fail", verified: false });
    expect(findings(v, "IL-ALG").some((f) => f.status === "fail")).toBe(false);
  });
  it("warns through day 30 after hire and passes with current training", () => {
    const v = check({ address: CHICAGO, staff: cityOnly("2026-02-01") }, "2026-03-03");
    expect(only(v, "CHI-ALG", "m")).toMatchObject({ status: "warn", dueBy: "2026-03-03" });
    const trained = check({ address: CHICAGO, staff: cityOnly("2025-01-01", [allergen]) }, "2026-03-02");
    expect(only(trained, "CHI-ALG", "m").status).toBe("pass");
  });
  it("does not apply outside Chicago", () => {
    expect(
      findings(check({ address: SPRINGFIELD, staff: cityOnly("2025-01-01") }, "2026-03-02"), "CHI-ALG"),
    ).toEqual([]);
  });
});

describe("IL-CHOKE choke-saving placard (410 ILCS 10/4; 77 Ill. Adm. Code 520.50)", () => {
  const choke = (draft: Record<string, unknown>) =>
    only(check({ address: SPRINGFIELD, ...draft }, "2026-03-02"), "IL-CHOKE");
  it("fails an Illinois establishment whose posted notices lack the placard (informational before), passes one listing it", () => {
    expect(choke({ postedNotices: ["menu_calorie_labels"] })).toMatchObject({
      status: "fail",
      verified: true,
    });
    expect(choke({ postedNotices: [] }).message).toMatch(/Choke-Saving Methods Act placard/);
    expect(choke({ postedNotices: ["choking_first_aid"] }).status).toBe("pass");
  });
  it("does not guess for an establishment that states nothing: not checked, and says what to post", () => {
    const f = choke({});
    expect(f).toMatchObject({ status: "not_applicable", verified: true });
    expect(f.message).toMatch(/^Not checked: .*postedNotices.*placard/);
  });
});

describe("IL-FH-NR food handlers outside restaurants train within 30 days, with no renewal (410 ILCS 625/3.05)", () => {
  const staff = [cook("2020-01-01", [{ type: "food_handler_card", issuedAt: "2020-01-20" }])];
  it("keeps a commissary food handler's 2020 training valid, which IL-FH's 3-year renewal failed", () => {
    const v = check({ type: "commissary", address: SPRINGFIELD, staff }, "2026-03-02");
    expect(only(v, "IL-FH-NR", "e")).toMatchObject({ status: "pass", verified: true });
    expect(only(v, "IL-FH").status).toBe("not_applicable");
  });
  it("still requires the training within 30 days of hire", () => {
    const v = check(
      { type: "shared_kitchen", address: SPRINGFIELD, staff: [cook("2026-02-01")] },
      "2026-03-04",
    );
    expect(only(v, "IL-FH-NR", "e").status).toBe("fail");
  });
  it("leaves restaurants under IL-FH's 3-year renewal", () => {
    const v = check({ address: SPRINGFIELD, staff }, "2026-03-02");
    expect(only(v, "IL-FH", "e").status).toBe("fail");
    expect(only(v, "IL-FH-NR").status).toBe("not_applicable");
  });
});

// Issue 15, round 3 (Chicago 2026.12.2).
describe("CHI-SK-LIC Chicago shared kitchen licence (Municipal Code § 4-8-038)", () => {
  const kitchen = (permits: object[]) =>
    check({ type: "shared_kitchen", address: CHICAGO, permits }, "2026-03-02");
  const licence = { type: "business_license", number: "SK-1", issuer: CHI, expiresAt: "2027-05-15" };
  it("passes a shared kitchen with its city licence, which replaces the FDA model's health permit rule", () => {
    const v = kitchen([licence]);
    expect(only(v, "CHI-SK-LIC")).toMatchObject({ status: "pass", verified: true, subject: { id: "SK-1" } });
    expect(only(v, "FDA-PERMIT").message).toMatch(/Superseded by CHI-SK-LIC/);
  });
  it("fails a shared kitchen holding only a health permit (FDA-PERMIT passed it before 2026.12.2)", () => {
    const v = kitchen([
      { type: "health_permit", number: "H-1", issuer: `${IL}/county:cook`, expiresAt: "2027-01-01" },
    ]);
    expect(only(v, "CHI-SK-LIC").status).toBe("fail");
  });
  it("refuses another issuer's licence and warns 'expiry unknown' without a date", () => {
    expect(only(kitchen([{ ...licence, issuer: IL }]), "CHI-SK-LIC").status).toBe("fail");
    const { expiresAt: _, ...undated } = licence;
    expect(only(kitchen([undated]), "CHI-SK-LIC")).toMatchObject({ status: "warn", dueBy: null });
  });
  it("does not apply to restaurants, nor outside Chicago", () => {
    expect(only(check({ address: CHICAGO }, "2026-03-02"), "CHI-SK-LIC").status).toBe("not_applicable");
    expect(
      findings(check({ type: "shared_kitchen", address: SPRINGFIELD }, "2026-03-02"), "CHI-SK-LIC"),
    ).toEqual([]);
  });
});

describe("CHI-MFV-COMMISSARY food trucks name a commissary the Department approves (Municipal Code ch. 4-8)", () => {
  const truck = (permits: object[]) =>
    check({ type: "mobile_food_facility", address: CHICAGO, permits }, "2026-03-02");
  it("fails a truck with no commissary on record (no rule asked for one before 2026.12.2)", () => {
    expect(only(truck([]), "CHI-MFV-COMMISSARY")).toMatchObject({ status: "fail", verified: true });
  });
  it("passes a truck with a commissary agreement", () => {
    const agreement = { type: "commissary_agreement", number: "C-9", issuedAt: "2025-01-10" };
    expect(only(truck([agreement]), "CHI-MFV-COMMISSARY").status).toBe("pass");
  });
  it("does not apply to a restaurant", () => {
    expect(only(check({ address: CHICAGO }, "2026-03-02"), "CHI-MFV-COMMISSARY").status).toBe(
      "not_applicable",
    );
  });
});

describe("CHI-INSP inspection frequency (Chicago Food Code Rules § 8-401.10), verified and sourced in 2026.12.2", () => {
  it("informs Chicago establishments of the Category I schedule, checking nothing", () => {
    const f = only(check({ address: CHICAGO }, "2026-03-02"), "CHI-INSP");
    expect(f).toMatchObject({ status: "not_applicable", verified: true });
    expect(f.citation).toMatch(/§ 8-401\.10/);
    expect(f.message).toMatch(/three times a year/);
  });
});

describe("IL-FH-LOCAL local food-handler training rules preempted (77 Ill. Adm. Code 750.230(a)(2))", () => {
  const cityRule = () => hypotheticalCityCardLayer(CHI, IL, "CHI-FH-TEST");
  const layers = (il: Dataset) =>
    [...bundledLayersFor(["ocd-division/country:us"]), il, cityRule()].map(compileDataset);
  const facilityOnDay10 = () => facility({ address: CHICAGO, staff: [cook("2026-02-20")] });
  it("ignores a stricter city food-handler rule and keeps the State's 30 days (IL-FH)", () => {
    const [il] = bundledLayersFor([IL]);
    if (!il) throw new Error("no Illinois dataset");
    const v = evaluate(facilityOnDay10(), layers(il), "2026-03-02");
    expect(only(v, "CHI-FH-TEST").message).toMatch(/Preempted by IL-FH-LOCAL \(77 Ill\. Adm\. Code 750\.230/);
    expect(only(v, "IL-FH", "e").status).toBe("warn"); // day 10 of 30
  });
  it("without the declaration (the data before 2026.12.3) the city rule would fail the cook on day 10", () => {
    const [il] = bundledLayersFor([IL]);
    if (!il) throw new Error("no Illinois dataset");
    const before = { ...il, rules: il.rules.filter((r) => r.id !== "IL-FH-LOCAL") };
    const v = evaluate(facilityOnDay10(), layers(before), "2026-03-02");
    expect(only(v, "CHI-FH-TEST", "e").status).toBe("fail");
  });
  it("is verified and sourced, and explains itself without checking anything", () => {
    const f = only(check({ address: SPRINGFIELD }, "2026-03-02"), "IL-FH-LOCAL");
    expect(f).toMatchObject({ status: "not_applicable", verified: true });
  });
});

describe("IL-ALLERGY-POST restaurant food allergy notice to consumers (410 ILCS 625/3.08(a))", () => {
  const notice = (draft: Record<string, unknown>, asOf = "2026-03-02") =>
    findings(check({ address: SPRINGFIELD, ...draft }, asOf), "IL-ALLERGY-POST");
  it("fails a restaurant whose posted notices lack it, passes one listing it", () => {
    expect(notice({ postedNotices: ["choking_first_aid"] })[0]).toMatchObject({
      status: "fail",
      verified: true,
    });
    expect(notice({ postedNotices: [] })[0]?.message).toMatch(/communicated|given to an employee/);
    expect(notice({ postedNotices: ["food_allergy_notice", "choking_first_aid"] })[0]?.status).toBe("pass");
  });
  it("is not checked when nothing is stated, and applies only to restaurants", () => {
    expect(notice({})[0]?.message).toMatch(/^Not checked: .*food allergy notice/);
    expect(notice({ type: "commissary", postedNotices: [] })[0]?.status).toBe("not_applicable");
  });
  it("binds from P.A. 101-0495's effective date, 2019-08-23, and in Chicago too", () => {
    expect(notice({ postedNotices: [] }, "2019-08-22")).toEqual([]);
    expect(notice({ postedNotices: [] }, "2019-08-23")[0]?.status).toBe("fail");
    const chicago = check({ address: CHICAGO, postedNotices: [] }, "2026-03-02");
    expect(only(chicago, "IL-ALLERGY-POST").status).toBe("fail");
  });
});

describe("CHI-FSSC-POST city certificate posted where the public has access (Municipal Code § 7-38-012)", () => {
  const posted = (draft: Record<string, unknown>) =>
    only(check({ address: CHICAGO, staff: [manager([cityCert])], ...draft }, "2026-03-02"), "CHI-FSSC-POST");
  it("fails a Chicago restaurant whose posted notices lack the certificate, passes one listing it", () => {
    expect(posted({ postedNotices: ["food_allergy_notice"] })).toMatchObject({
      status: "fail",
      verified: true,
      citation: "Chicago Municipal Code § 7-38-012",
    });
    expect(posted({ postedNotices: [] }).message).toMatch(/public has access/);
    expect(posted({ postedNotices: ["manager_certificate"] }).status).toBe("pass");
  });
  it("is not checked when nothing is stated, nor where no TCS food is handled, nor outside Chicago", () => {
    expect(posted({}).message).toMatch(/^Not checked: .*food manager certificate/);
    expect(posted({ handlesUnpackagedTcsFood: false, postedNotices: [] }).status).toBe("not_applicable");
    expect(
      findings(check({ address: SPRINGFIELD, postedNotices: [] }, "2026-03-02"), "CHI-FSSC-POST"),
    ).toEqual([]);
  });
});

describe("CHI-LIC-POST city licence posted on the premises (Municipal Code § 4-4-210(a))", () => {
  const posted = (draft: Record<string, unknown>) =>
    findings(check({ address: CHICAGO, ...draft }, "2026-03-02"), "CHI-LIC-POST");
  it("fails a Chicago restaurant whose posted notices lack the licence, passes one listing it", () => {
    expect(posted({ postedNotices: ["manager_certificate"] })[0]).toMatchObject({
      status: "fail",
      verified: true,
    });
    expect(posted({ postedNotices: [] })[0]?.message).toMatch(/conspicuous place on the licensed premises/);
    expect(posted({ postedNotices: ["permit"] })[0]?.status).toBe("pass");
    expect(posted({ type: "shared_kitchen", postedNotices: [] })[0]?.status).toBe("fail");
  });
  it("is not checked when nothing is stated, leaves food trucks alone, and stays in Chicago", () => {
    expect(posted({})[0]?.message).toMatch(/^Not checked: .*permit or licence/);
    expect(posted({ type: "mobile_food_facility", postedNotices: [] })[0]?.status).toBe("not_applicable");
    expect(
      findings(check({ address: SPRINGFIELD, postedNotices: [] }, "2026-03-02"), "CHI-LIC-POST"),
    ).toEqual([]);
  });
});

describe("IL-SESAME sesame is a major food allergen (410 ILCS 625/3.07(a), P.A. 104-0090; start date unverified)", () => {
  const sesame = (asOf: string) => findings(check({ address: SPRINGFIELD }, asOf), "IL-SESAME");
  it("informs from 2026-01-01, unverified, and says nothing before", () => {
    expect(sesame("2025-12-31")).toEqual([]);
    expect(sesame("2026-01-01")[0]).toMatchObject({ status: "not_applicable", verified: false });
    expect(sesame("2026-01-01")[0]?.citation).toMatch(/P\.A\. 104-0090/);
  });
});

// Issue 15, north8 (Chicago 2026.12.4): BACP's Retail Food Establishment licence page lists caterers
// among retail food establishments and gives the licence a 2-year term. Each scenario fails on 2026.12.3.
describe("CHI-LIC covers Chicago caterers (BACP Retail Food Establishment licence page; § 4-8-020(a)(1))", () => {
  const licence = { type: "business_license", number: "RFE-7", issuer: CHI, issuedAt: "2025-06-01" };
  const caterer = (draft: Record<string, unknown>) =>
    check({ type: "caterer", address: CHICAGO, ...draft }, "2026-03-02");
  it("passes a caterer holding the city licence and supersedes FDA-PERMIT for it", () => {
    const v = caterer({ permits: [licence] });
    expect(only(v, "CHI-LIC")).toMatchObject({ status: "pass", verified: true, subject: { id: "RFE-7" } });
    expect(only(v, "FDA-PERMIT").message).toMatch(/Superseded by CHI-LIC/);
  });
  it("refuses a county health permit, which FDA-PERMIT accepted for a Chicago caterer", () => {
    const county = {
      type: "health_permit",
      number: "CC-1",
      issuer: `${IL}/county:cook`,
      expiresAt: "2027-01-01",
    };
    expect(only(caterer({ permits: [county] }), "CHI-LIC").status).toBe("fail");
  });
  it("asks a caterer that lists its posted notices to post the licence (CHI-LIC-POST)", () => {
    const posted = (postedNotices: string[]) =>
      only(caterer({ permits: [licence], postedNotices }), "CHI-LIC-POST");
    expect(posted(["manager_certificate"])).toMatchObject({ status: "fail", verified: true });
    expect(posted(["permit"]).status).toBe("pass");
  });
  it("still leaves institutional kitchens to the FDA model's permit rule", () => {
    const v = check({ type: "institutional_kitchen", address: CHICAGO }, "2026-03-02");
    expect(only(v, "CHI-LIC").status).toBe("not_applicable");
    expect(only(v, "FDA-PERMIT").status).toBe("fail");
  });
});
