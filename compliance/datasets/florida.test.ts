// Statute-derived scenarios for Florida: DBPR licensing (FS 509.241), manager certification
// within 30 days and presence with 4+ food workers (FS 509.039), employee training within 60
// days (FS 509.049), preemption of local rules (FS 509.032(7)) and institutional kitchens under
// the Department of Health (FAC 64E-11.012) instead of DBPR; licenses void on a change of owner
// (FS 509.241(1)), food trucks working from a commissary (FAC 61C-4.0161), holding temperatures
// under the Food Code as adopted by DBPR (FAC 61C-4.010) and by the Department of Health (FAC
// 64E-11.003), the Department of Health's sanitation certificate (FAC 64E-11.013) and the state's
// preemption of local licences for mobile food dispensing vehicles (FS 509.102).
import { describe, expect, it } from "vitest";
import { compileDataset } from "../engine/compile";
import { evaluate } from "../engine/evaluate";
import { validateDataset } from "../schema/validate-dataset";
import { check, facility, only } from "../test-helpers";
import { bundledLayersFor } from ".";

const FL = "ocd-division/country:us/state:fl";
const MIAMI = { city: "Miami", state: "FL" };
const worker = (id: string, hiredAt = "2025-01-01", role = "food_employee", credentials: object[] = []) => ({
  id,
  role,
  hiredAt,
  credentials,
});
const certified = (id: string) =>
  worker(id, "2020-01-01", "manager", [{ type: "food_protection_manager", issuedAt: "2024-01-01" }]);
const card = { type: "food_handler_card", issuedAt: "2025-02-01" };

describe("FL-LIC public food service license (FS 509.241)", () => {
  const license = (issuedAt: string) => ({ type: "public_food_service_license", number: "SEA-1", issuedAt });
  it("passes with a current license and lapses one year after issue", () => {
    expect(
      only(check({ address: MIAMI, permits: [license("2025-06-01")] }, "2026-03-02"), "FL-LIC").status,
    ).toBe("pass");
    const f = only(check({ address: MIAMI, permits: [license("2025-03-01")] }, "2026-03-02"), "FL-LIC");
    expect(f).toMatchObject({ status: "fail" });
    expect(f.message).toMatch(/expired on 2026-03-01/);
  });
  it("a license issued before the business changed hands no longer counts: it is not transferable (FS 509.241(1))", () => {
    const sold = only(
      check(
        { address: MIAMI, ownershipChangedAt: "2025-09-01", permits: [license("2025-06-01")] },
        "2026-03-02",
      ),
      "FL-LIC",
    );
    expect(sold.status).toBe("fail");
    expect(sold.message).toMatch(/before the change of ownership on 2025-09-01/);
    const newOwner = check(
      { address: MIAMI, ownershipChangedAt: "2025-09-01", permits: [license("2025-09-01")] },
      "2026-03-02",
    );
    expect(only(newOwner, "FL-LIC").status).toBe("pass");
  });
  it("is due before opening", () => {
    expect(only(check({ address: MIAMI, openedAt: "2026-04-01" }, "2026-03-02"), "FL-LIC")).toMatchObject({
      status: "warn",
      dueBy: "2026-03-31",
    });
  });
});

describe("FL-CFPM managers certified within 30 days (FS 509.039)", () => {
  it("warns through day 30 after hire and fails on day 31", () => {
    const staff = [worker("m", "2026-02-01", "manager")];
    expect(only(check({ address: MIAMI, staff }, "2026-03-03"), "FL-CFPM", "m")).toMatchObject({
      status: "warn",
      dueBy: "2026-03-03",
    });
    expect(only(check({ address: MIAMI, staff }, "2026-03-04"), "FL-CFPM", "m").status).toBe("fail");
  });
});

describe("FL-CFPM-PRESENT certified manager present with 4+ food workers (FAC 61C-4.023(1))", () => {
  const crew = (n: number) =>
    Array.from({ length: n }, (_, i) => worker(`e${i}`, "2025-01-01", "food_employee", [card]));
  it("does not apply with 3 food workers and applies with 4", () => {
    expect(only(check({ address: MIAMI, staff: crew(3) }, "2026-03-02"), "FL-CFPM-PRESENT")).toMatchObject({
      status: "not_applicable",
      message: expect.stringMatching(/at least 4 .* 3 are listed/),
    });
    expect(only(check({ address: MIAMI, staff: crew(4) }, "2026-03-02"), "FL-CFPM-PRESENT").status).toBe(
      "fail",
    );
  });
  it("passes with a certified manager among 4", () => {
    const v = check({ address: MIAMI, staff: [...crew(3), certified("m")] }, "2026-03-02");
    expect(only(v, "FL-CFPM-PRESENT").status).toBe("pass");
  });
});

describe("FL-FH employee training within 60 days (FS 509.049)", () => {
  it("warns through day 60 after hire and fails on day 61, flagged unverified", () => {
    const staff = [worker("e", "2026-01-01")];
    expect(only(check({ address: MIAMI, staff }, "2026-03-02"), "FL-FH", "e")).toMatchObject({
      status: "warn",
      dueBy: "2026-03-02",
      verified: false,
    });
    expect(only(check({ address: MIAMI, staff }, "2026-03-03"), "FL-FH", "e").status).toBe("fail");
  });
  it("cites § 509.049(5) and rule 61C-4.023 (2026.12.4), passes with a card within 3 years and fails with an older one", () => {
    const trained = (issuedAt: string) => [
      worker("e", "2020-01-01", "food_employee", [{ type: "food_handler_card", issuedAt }]),
    ];
    const pass = only(check({ address: MIAMI, staff: trained("2024-01-15") }, "2026-03-02"), "FL-FH", "e");
    expect(pass).toMatchObject({ status: "pass", verified: false });
    expect(pass.citation).toMatch(/509\.049\(5\).*61C-4\.023/);
    expect(
      only(check({ address: MIAMI, staff: trained("2023-01-15") }, "2026-03-02"), "FL-FH", "e").status,
    ).toBe("fail");
  });
});

describe("FL-PREEMPT local restaurant rules preempted (FS 509.032(7))", () => {
  it("ignores a county holding-temperature rule", () => {
    const county = validateDataset({
      jurisdiction: `${FL}/county:miami_dade`,
      name: "Hypothetical county rule",
      version: "2026.1.0",
      source: { publisher: "test", retrievedAt: "2026-01-01" },
      disclaimer: "Not legal advice.",
      parent: FL,
      rules: [
        {
          id: "MD-HOLD",
          title: "Cold holding at 38°F",
          citation: "Hypothetical",
          severity: "critical",
          verified: true,
          effectiveFrom: "2020-01-01",
          topic: "holding_temperature",
          composition: "floor",
          requirement: { kind: "temperature", coldMaxF: 38, lookbackDays: 7 },
        },
      ],
    });
    if (!county.ok) throw new Error(JSON.stringify(county.problems));
    const layers = [...bundledLayersFor(["ocd-division/country:us", FL]), county.dataset].map(compileDataset);
    const logs = [{ at: "2026-03-01T10:00:00-05:00", mode: "cold_holding", tempF: 40 }];
    const v = evaluate(facility({ address: MIAMI, temperatureLogs: logs }), layers, "2026-03-02", {
      jurisdictions: ["ocd-division/country:us", FL, `${FL}/county:miami_dade`],
    });
    expect(only(v, "MD-HOLD").message).toMatch(/Preempted by FL-PREEMPT/);
    expect(only(v, "FL-HOLD").status).toBe("pass"); // 40°F meets the state's 41°F
  });
  it("is verified against the 2023 text (2026.12.4) and leaves a county rule on a topic it does not list in force", () => {
    const county = validateDataset({
      jurisdiction: `${FL}/county:miami_dade`,
      name: "Hypothetical county rule",
      version: "2026.1.0",
      source: { publisher: "test", retrievedAt: "2026-01-01" },
      disclaimer: "Not legal advice.",
      parent: FL,
      rules: [
        {
          id: "MD-BTR",
          title: "Local business tax receipt",
          citation: "Hypothetical",
          severity: "minor",
          verified: true,
          effectiveFrom: "2020-01-01",
          topic: "local_business_tax",
          composition: "additive",
          requirement: { kind: "permit", permitTypes: ["business_license"], validityYears: 1 },
        },
      ],
    });
    if (!county.ok) throw new Error(JSON.stringify(county.problems));
    const layers = [...bundledLayersFor(["ocd-division/country:us", FL]), county.dataset].map(compileDataset);
    const v = evaluate(facility({ address: MIAMI }), layers, "2026-03-02", {
      jurisdictions: ["ocd-division/country:us", FL, `${FL}/county:miami_dade`],
    });
    expect(only(v, "MD-BTR").status).toBe("fail"); // not a preempted topic: the county rule applies
    expect(only(v, "FL-PREEMPT")).toMatchObject({ verified: true, citation: "Fla. Stat. § 509.032(7)(a)" });
  });
});

describe("institutional kitchens under the Department of Health (FAC 64E-11.012)", () => {
  const kitchen = (staff: object[]) => ({ address: MIAMI, type: "institutional_kitchen", staff });
  it("takes the DOH rules instead of the DBPR rules", () => {
    const v = check(kitchen([worker("m", "2026-02-01", "manager")]), "2026-03-04");
    for (const id of ["FL-LIC", "FL-CFPM", "FL-FH", "FL-CFPM-PRESENT"]) {
      expect(only(v, id)).toMatchObject({
        status: "not_applicable",
        message: expect.stringMatching(/Applies only to/),
      });
    }
    expect(only(v, "FL-DOH-CFPM", "m")).toMatchObject({ status: "fail", dueBy: "2026-03-03" });
    expect(only(v, "FL-DOH-TRAIN").status).toBe("not_applicable");
  });
  it("requires a certified manager on site from 3 food workers", () => {
    const two = [worker("a"), worker("b")];
    expect(only(check(kitchen(two), "2026-03-02"), "FL-DOH-PRESENT").status).toBe("not_applicable");
    expect(only(check(kitchen([...two, worker("c")]), "2026-03-02"), "FL-DOH-PRESENT").status).toBe("fail");
    expect(only(check(kitchen([...two, certified("m")]), "2026-03-02"), "FL-DOH-PRESENT").status).toBe(
      "pass",
    );
  });
  it("needs the DOH sanitation certificate, not the DBPR license: FL-DOH-PERMIT and FL-LIC each replace the FDA permit rule only where they apply", () => {
    const permit = {
      type: "health_permit",
      number: "DOH-1",
      issuedAt: "2025-10-01",
      expiresAt: "2026-09-30",
    };
    expect(only(check(kitchen([]), "2026-03-02"), "FL-DOH-PERMIT").status).toBe("fail");
    expect(only(check({ ...kitchen([]), permits: [permit] }, "2026-03-02"), "FL-DOH-PERMIT")).toMatchObject({
      status: "pass",
      verified: true,
    });
    expect(only(check(kitchen([]), "2026-03-02"), "FDA-PERMIT").message).toMatch(
      /Superseded by FL-DOH-PERMIT/,
    );
    expect(only(check({ address: MIAMI }, "2026-03-02"), "FDA-PERMIT")).toMatchObject({
      status: "not_applicable",
      message: expect.stringMatching(/Superseded by FL-LIC/),
    });
    expect(only(check({ address: MIAMI }, "2026-03-02"), "FL-DOH-PERMIT").status).toBe("not_applicable");
  });
  it("does not apply the DOH rules to restaurants", () => {
    expect(only(check({ address: MIAMI, staff: [worker("a")] }, "2026-03-02"), "FL-DOH-CFPM").status).toBe(
      "not_applicable",
    );
  });
});

describe("state-level coverage in Florida", () => {
  it("evaluates Miami against the state and FDA layers only", () => {
    const v = check({ address: MIAMI }, "2026-03-02");
    expect(v.coverage).toBe("state");
    expect(v.jurisdictions).toEqual(["ocd-division/country:us", FL]);
  });
});

describe("item 3: Florida — one certified food protection manager per establishment, whatever the roles (FAC 61C-4.023(1); FS 509.039)", () => {
  const cfpm = (issuedAt = "2024-01-01") => ({ type: "food_protection_manager", issuedAt });
  const ownerRun = (ownerCredentials: object[] = []) => [
    worker("o", "2019-01-01", "owner", ownerCredentials),
    worker("a", "2025-01-01", "food_employee", [card]),
    worker("b", "2025-01-01", "food_employee", [card]),
    worker("c", "2025-01-01", "food_employee", [card]),
  ];
  it("fails an owner-run restaurant with three staff and nobody certified (no `manager` role)", () => {
    const v = check({ address: MIAMI, staff: ownerRun() }, "2026-03-02");
    expect(only(v, "FL-CFPM-EST")).toMatchObject({
      status: "fail",
      subject: { kind: "facility", id: "facility" },
      citation: expect.stringContaining("61C-4.023(1)"),
      verified: true,
    });
    expect(v.status).toBe("non_compliant");
    // The FDA model's rule is superseded, not silently passed.
    expect(only(v, "FDA-CFPM").message).toMatch(/Superseded by FL-CFPM/);
  });
  it("passes when the owner, or an employee in any role, holds a current certificate", () => {
    expect(
      only(check({ address: MIAMI, staff: ownerRun([cfpm()]) }, "2026-03-02"), "FL-CFPM-EST").status,
    ).toBe("pass");
    const cook = [...ownerRun().slice(0, 3), worker("c", "2025-01-01", "food_employee", [cfpm()])];
    expect(only(check({ address: MIAMI, staff: cook }, "2026-03-02"), "FL-CFPM-EST").status).toBe("pass");
  });
  it("fails when the only certificate has expired (5 years from issue)", () => {
    const f = only(
      check({ address: MIAMI, staff: ownerRun([cfpm("2021-01-01")]) }, "2026-03-02"),
      "FL-CFPM-EST",
    );
    expect(f.status).toBe("fail");
    expect(f.message).toMatch(/expired on 2026-01-01/);
  });
  it("counts a certified employee of any role as the manager present with 4+ employees", () => {
    const staff = [
      worker("a", "2025-01-01", "food_employee", [card]),
      worker("b", "2025-01-01", "food_employee", [card]),
      worker("c", "2025-01-01", "food_employee", [card]),
      worker("d", "2025-01-01", "food_employee", [cfpm()]),
    ];
    expect(only(check({ address: MIAMI, staff }, "2026-03-02"), "FL-CFPM-PRESENT").status).toBe("pass");
  });
  it("does not apply the DBPR rule to institutional kitchens", () => {
    const v = check({ address: MIAMI, type: "institutional_kitchen", staff: ownerRun() }, "2026-03-02");
    expect(only(v, "FL-CFPM-EST")).toMatchObject({ status: "not_applicable" });
  });
});

describe("item 3: Florida DOH institutions — certified manager for every establishment, present with 3+ employees or a highly susceptible population (FAC 64E-11.012)", () => {
  const cfpm = { type: "food_protection_manager", issuedAt: "2024-01-01" };
  const kitchen = (staff: object[], extra: object = {}) => ({
    address: MIAMI,
    type: "institutional_kitchen",
    staff,
    ...extra,
  });
  const two = [worker("a"), worker("b")];
  it("requires a certified manager responsible for every institutional kitchen, whatever the size", () => {
    expect(only(check(kitchen(two), "2026-03-02"), "FL-DOH-CFPM-EST")).toMatchObject({
      status: "fail",
      citation: expect.stringContaining("64E-11.012"),
    });
    expect(
      only(
        check(kitchen([worker("a"), worker("b", "2025-01-01", "food_employee", [cfpm])]), "2026-03-02"),
        "FL-DOH-CFPM-EST",
      ).status,
    ).toBe("pass");
  });
  it("requires the certified manager present when a highly susceptible population is served, even with 2 employees", () => {
    expect(only(check(kitchen(two), "2026-03-02"), "FL-DOH-PRESENT").status).toBe("not_applicable");
    const hsp = { servesHighlySusceptiblePopulation: true };
    const f = only(check(kitchen(two, hsp), "2026-03-02"), "FL-DOH-PRESENT");
    expect(f.status).toBe("fail");
    expect(f.message).toMatch(/highly susceptible/);
    expect(only(check(kitchen([...two, certified("m")], hsp), "2026-03-02"), "FL-DOH-PRESENT").status).toBe(
      "pass",
    );
    expect(
      only(check(kitchen(two, { servesHighlySusceptiblePopulation: false }), "2026-03-02"), "FL-DOH-PRESENT")
        .status,
    ).toBe("not_applicable");
  });
  it("keeps the 3-employee threshold and the 30-day certification of each manager", () => {
    expect(only(check(kitchen([...two, worker("c")]), "2026-03-02"), "FL-DOH-PRESENT").status).toBe("fail");
    const v = check(kitchen([worker("m", "2026-02-01", "manager")]), "2026-03-03");
    expect(only(v, "FL-DOH-CFPM", "m")).toMatchObject({ status: "warn", dueBy: "2026-03-03" });
  });
});

describe("FL-MFDV-COMM: a mobile food dispensing vehicle operates from an approved commissary (FAC 61C-4.0161(2)(c))", () => {
  const license = { type: "public_food_service_license", number: "MFD-1", issuedAt: "2026-01-05" };
  const commissary = { type: "commissary_agreement", number: "COM-2", issuedAt: "2025-11-01" };
  const truck = (permits: object[]) => ({ address: MIAMI, type: "mobile_food_facility", permits });
  it("a licensed food truck without a commissary agreement fails; with one it passes", () => {
    const without = check(truck([license]), "2026-03-02");
    expect(only(without, "FL-LIC").status).toBe("pass");
    expect(only(without, "FL-MFDV-COMM")).toMatchObject({ status: "fail", verified: true });
    expect(only(check(truck([license, commissary]), "2026-03-02"), "FL-MFDV-COMM")).toMatchObject({
      status: "pass",
      subject: { id: "COM-2" },
    });
  });
  it("does not concern a restaurant", () => {
    expect(only(check({ address: MIAMI }, "2026-03-02"), "FL-MFDV-COMM").status).toBe("not_applicable");
  });
});

describe("FL-DOH-TRAIN: institutional kitchens train every employee yearly by March 31, new hires within 30 days (FAC 64E-11.012(3))", () => {
  it("tells an institutional kitchen about the 30 days for employees hired after the yearly training", () => {
    const f = only(check({ address: MIAMI, type: "institutional_kitchen" }, "2026-03-02"), "FL-DOH-TRAIN");
    expect(f.message).toMatch(/March 31/);
    expect(f.message).toMatch(/within 30 days of hire/);
  });
});

describe("FL-HOLD: DBPR-licensed places hold food as in the Food Code it adopted (FAC 61C-4.010(1); 61C-1.001)", () => {
  const at = "2026-03-01T12:00:00-05:00";
  const logs = (...readings: object[]) => readings.map((r) => ({ at, ...r }));
  it("passes 41°F cold and 135°F hot, cites Florida's rule, and supersedes the FDA model", () => {
    const v = check(
      {
        address: MIAMI,
        temperatureLogs: logs({ mode: "cold_holding", tempF: 41 }, { mode: "hot_holding", tempF: 135 }),
      },
      "2026-03-02",
    );
    expect(only(v, "FL-HOLD")).toMatchObject({ status: "pass", verified: true });
    expect(only(v, "FDA-HOLD").message).toMatch(/Superseded by FL-HOLD/);
  });
  it("fails a restaurant holding soup at 134°F or salad at 42°F", () => {
    const hot = check(
      { address: MIAMI, temperatureLogs: logs({ item: "soup", mode: "hot_holding", tempF: 134 }) },
      "2026-03-02",
    );
    expect(only(hot, "FL-HOLD").status).toBe("fail");
    const cold = check(
      { address: MIAMI, temperatureLogs: logs({ item: "salad", mode: "cold_holding", tempF: 42 }) },
      "2026-03-02",
    );
    expect(only(cold, "FL-HOLD").status).toBe("fail");
  });
  it("keeps the Food Code's 130°F for whole meat roasts and 45°F ambient for shell eggs", () => {
    const v = check(
      {
        address: MIAMI,
        temperatureLogs: logs(
          { item: "prime rib", category: "whole_meat_roast", mode: "hot_holding", tempF: 130 },
          { item: "eggs", category: "shell_eggs", mode: "cold_holding", tempF: 45 },
        ),
      },
      "2026-03-02",
    );
    expect(only(v, "FL-HOLD").status).toBe("pass");
  });
  it("does not govern an institutional kitchen (FL-DOH-HOLD does)", () => {
    const v = check({ address: MIAMI, type: "institutional_kitchen" }, "2026-03-02");
    expect(only(v, "FL-HOLD").status).toBe("not_applicable");
  });
});

describe("FL-DOH-HOLD: institutional kitchens hold food as in the Food Code the Department of Health adopted (FAC 64E-11.003(2); 64E-11.002)", () => {
  const at = "2026-03-01T12:00:00-05:00";
  const kitchen = (readings: object[]) => ({
    address: MIAMI,
    type: "institutional_kitchen",
    temperatureLogs: readings.map((r) => ({ at, ...r })),
  });
  it("passes a school kitchen holding at 135°F and 41°F, superseding the FDA model", () => {
    const v = check(
      kitchen([
        { mode: "hot_holding", tempF: 135 },
        { mode: "cold_holding", tempF: 41 },
      ]),
      "2026-03-02",
    );
    expect(only(v, "FL-DOH-HOLD")).toMatchObject({ status: "pass", verified: true });
    expect(only(v, "FDA-HOLD").message).toMatch(/Superseded by FL-DOH-HOLD/);
  });
  it("fails one holding chili at 133°F (the old 140°F rule is no longer applied: 135°F passes above)", () => {
    const v = check(kitchen([{ item: "chili", mode: "hot_holding", tempF: 133 }]), "2026-03-02");
    expect(only(v, "FL-DOH-HOLD").status).toBe("fail");
  });
  it("does not govern a restaurant (FL-HOLD does)", () => {
    expect(only(check({ address: MIAMI }, "2026-03-02"), "FL-DOH-HOLD").status).toBe("not_applicable");
  });
});

describe("FL-MFDV-PREEMPT: no local licence or permit for a mobile food dispensing vehicle (FS 509.102(2))", () => {
  const county = validateDataset({
    jurisdiction: `${FL}/county:miami_dade`,
    name: "Hypothetical county food truck permit",
    version: "2026.1.0",
    source: { publisher: "test", retrievedAt: "2026-01-01" },
    disclaimer: "Not legal advice.",
    parent: FL,
    rules: [
      {
        id: "MD-TRUCK",
        title: "County food truck permit",
        citation: "Hypothetical",
        severity: "major",
        verified: true,
        effectiveFrom: "2019-01-01",
        topic: "mobile_food_facility_annual_permit",
        composition: "additive",
        applicability: { facilityTypes: ["mobile_food_facility"] },
        requirement: { kind: "permit", permitTypes: ["mobile_food_facility_permit"], validityYears: 1 },
      },
    ],
  });
  if (!county.ok) throw new Error(JSON.stringify(county.problems));
  const layers = [...bundledLayersFor(["ocd-division/country:us", FL]), county.dataset].map(compileDataset);
  const truck = facility({ address: MIAMI, type: "mobile_food_facility" });
  const jurisdictions = ["ocd-division/country:us", FL, `${FL}/county:miami_dade`];
  it("ignores a county permit requirement for a food truck from July 1, 2020", () => {
    const v = evaluate(truck, layers, "2026-03-02", { jurisdictions });
    expect(only(v, "MD-TRUCK").message).toMatch(/Preempted by FL-MFDV-PREEMPT/);
  });
  it("let the county require it before the statute took effect", () => {
    const v = evaluate(truck, layers, "2020-06-30", { jurisdictions });
    expect(only(v, "MD-TRUCK").status).toBe("fail");
  });
});

describe("FL-DOH-PERMIT-POST: an institutional kitchen's sanitation certificate posted conspicuously (FAC 64E-11.013(1)(b)–(c))", () => {
  const kitchen = (postedNotices?: string[]) =>
    check(
      { address: MIAMI, type: "institutional_kitchen", ...(postedNotices ? { postedNotices } : {}) },
      "2026-03-02",
    );
  it("passes when the certificate is listed, fails when the list lacks it, flagged unverified (general duty)", () => {
    expect(only(kitchen(["permit"]), "FL-DOH-PERMIT-POST")).toMatchObject({
      status: "pass",
      verified: false,
    });
    const f = only(kitchen(["manager_certificate"]), "FL-DOH-PERMIT-POST");
    expect(f).toMatchObject({ status: "fail", verified: false, severity: "minor" });
    expect(f.message).toMatch(/conspicuous location/);
  });
  it("is not checked without postedNotices and does not apply to a DBPR-licensed restaurant", () => {
    expect(only(kitchen(), "FL-DOH-PERMIT-POST").status).toBe("not_applicable");
    expect(
      only(check({ address: MIAMI, postedNotices: [] }, "2026-03-02"), "FL-DOH-PERMIT-POST").status,
    ).toBe("not_applicable");
  });
});

describe("FL-HANDSIGN: handwashing signs in each bathroom employees use (FAC 61C-1.004(2)(c))", () => {
  it("passes when the sign is listed, fails when the list lacks it, verified", () => {
    expect(
      only(check({ address: MIAMI, postedNotices: ["handwashing_sign"] }, "2026-03-02"), "FL-HANDSIGN"),
    ).toMatchObject({
      status: "pass",
      verified: true,
    });
    const f = only(check({ address: MIAMI, postedNotices: ["permit"] }, "2026-03-02"), "FL-HANDSIGN");
    expect(f).toMatchObject({ status: "fail", verified: true, severity: "minor" });
    expect(f.message).toMatch(/each bathroom used by employees/);
  });
  it("is not checked without postedNotices, and not applied to a food truck or an institutional kitchen", () => {
    expect(only(check({ address: MIAMI }, "2026-03-02"), "FL-HANDSIGN").status).toBe("not_applicable");
    for (const type of ["mobile_food_facility", "institutional_kitchen"]) {
      expect(
        only(check({ address: MIAMI, type, postedNotices: [] }, "2026-03-02"), "FL-HANDSIGN").status,
      ).toBe("not_applicable");
    }
  });
});

describe("FL-LIC-POST: the DBPR license displayed in the office or lobby (FAC 61C-1.002(1))", () => {
  it("passes when the license is listed, fails when the list lacks it, verified", () => {
    expect(
      only(check({ address: MIAMI, postedNotices: ["permit"] }, "2026-03-02"), "FL-LIC-POST"),
    ).toMatchObject({
      status: "pass",
      verified: true,
    });
    const f = only(
      check({ address: MIAMI, postedNotices: ["handwashing_sign"] }, "2026-03-02"),
      "FL-LIC-POST",
    );
    expect(f).toMatchObject({ status: "fail", verified: true });
    expect(f.message).toMatch(/office or lobby/);
  });
  it("is not checked without postedNotices, and applies to restaurants only", () => {
    expect(only(check({ address: MIAMI }, "2026-03-02"), "FL-LIC-POST").status).toBe("not_applicable");
    for (const type of ["mobile_food_facility", "ghost_kitchen", "institutional_kitchen"]) {
      expect(
        only(check({ address: MIAMI, type, postedNotices: [] }, "2026-03-02"), "FL-LIC-POST").status,
      ).toBe("not_applicable");
    }
  });
});

describe("FL-CHOKE: Heimlich maneuver sign where employees can see it (FS 509.213)", () => {
  it("passes when the sign is listed, fails when the list lacks it, verified", () => {
    expect(
      only(check({ address: MIAMI, postedNotices: ["choking_first_aid"] }, "2026-03-02"), "FL-CHOKE"),
    ).toMatchObject({ status: "pass", verified: true });
    const f = only(check({ address: MIAMI, postedNotices: ["permit"] }, "2026-03-02"), "FL-CHOKE");
    expect(f).toMatchObject({ status: "fail", verified: true, severity: "minor" });
    expect(f.message).toMatch(/Heimlich Maneuver/);
  });
  it("binds food trucks too, is not checked without postedNotices, and is not applied to an institutional kitchen", () => {
    expect(
      only(
        check({ address: MIAMI, type: "mobile_food_facility", postedNotices: [] }, "2026-03-02"),
        "FL-CHOKE",
      ).status,
    ).toBe("fail");
    expect(only(check({ address: MIAMI }, "2026-03-02"), "FL-CHOKE").status).toBe("not_applicable");
    expect(
      only(
        check({ address: MIAMI, type: "institutional_kitchen", postedNotices: [] }, "2026-03-02"),
        "FL-CHOKE",
      ).status,
    ).toBe("not_applicable");
  });
});
