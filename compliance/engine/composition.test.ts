// Composition semantics on synthetic datasets, proving the next jurisdictions (Texas, Florida,
// Illinois + Chicago, NYC) need only data: floor, override, additive, preemption (declared and
// recorded), effectiveFrom/To history, minimum staffing, facility-type applicability,
// "accepted in" credentials and non-expiring certificates.
import { describe, expect, it } from "vitest";
import type { Dataset, Rule } from "../schema/dataset";
import { validateDataset } from "../schema/validate-dataset";
import { type FacilityDraft, facility, findings, only } from "../test-helpers";
import { compileDataset } from "./compile";
import { evaluate } from "./evaluate";

const US = "ocd-division/country:us";
const base = (over: Partial<Rule> & Pick<Rule, "id" | "topic" | "requirement">): Rule => ({
  title: over.id,
  citation: `Test Code ${over.id}`,
  severity: "major",
  verified: true,
  effectiveFrom: "2000-01-01",
  composition: "additive",
  ...over,
});
function layer(jurisdiction: string, rules: Rule[], parent?: string): Dataset {
  const json = {
    jurisdiction,
    ...(parent === undefined ? {} : { parent }),
    name: jurisdiction,
    shortName: jurisdiction.split(":").at(-1),
    version: "2026.1.0",
    source: { publisher: "test", retrievedAt: "2026-01-01" },
    disclaimer: "Not legal advice.",
    rules,
  };
  const r = validateDataset(json);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.dataset;
}
const run = (
  layers: Dataset[],
  draft: FacilityDraft,
  asOf: string,
  jurisdictions = layers.map((l) => l.jurisdiction),
) => evaluate(facility(draft), layers.map(compileDataset), asOf, { jurisdictions });

const hold = (coldMaxF: number, hotMinF: number) => ({
  kind: "temperature" as const,
  coldMaxF,
  hotMinF,
  lookbackDays: 7,
});
const fed = layer(US, [base({ id: "F-HOLD", topic: "holding", requirement: hold(41, 135) })]);
const logs = (tempF: number, mode: "cold_holding" | "hot_holding" = "cold_holding") => ({
  temperatureLogs: [{ at: "2026-03-01T10:00:00Z", mode, tempF }],
});

describe("floor", () => {
  const city = layer(`${US}/state:zz/place:c`, [
    base({ id: "C-HOLD", topic: "holding", composition: "floor", requirement: hold(45, 140) }),
  ]);
  it("keeps the most stringent limit of each side (NYC-style 140°F hot start, looser cold ignored)", () => {
    expect(only(run([fed, city], logs(139, "hot_holding"), "2026-03-02"), "C-HOLD").status).toBe("fail");
    expect(only(run([fed, city], logs(43), "2026-03-02"), "C-HOLD").status).toBe("fail"); // 41 from the parent wins
    const v = run([fed, city], logs(40), "2026-03-02");
    expect(only(v, "C-HOLD").citation).toBe("Test Code C-HOLD; Test Code F-HOLD");
    expect(only(v, "F-HOLD").message).toMatch(/Tightened by C-HOLD/);
  });
});

describe("override", () => {
  const state = layer(`${US}/state:zz`, [
    base({ id: "S-HOLD", topic: "holding", composition: "override", requirement: hold(45, 135) }),
  ]);
  it("replaces the parent outright, even when looser, and names the superseding rule", () => {
    const v = run([fed, state], logs(44), "2026-03-02");
    expect(only(v, "S-HOLD").status).toBe("pass");
    expect(only(v, "F-HOLD")).toMatchObject({
      status: "not_applicable",
      message: expect.stringMatching(/Superseded by S-HOLD/),
    });
    expect(v.status).toBe("compliant");
  });
});

describe("a narrower rule scoped by applicability", () => {
  const restaurantsOnly = { facilityTypes: ["restaurant" as const] };
  const state = layer(`${US}/state:zz`, [
    base({
      id: "S-HOLD",
      topic: "holding",
      composition: "override",
      applicability: restaurantsOnly,
      requirement: hold(45, 135),
    }),
  ]);
  it("overrides the parent only for the facilities it applies to; elsewhere the parent binds", () => {
    const restaurant = run([fed, state], logs(44), "2026-03-02");
    expect(only(restaurant, "S-HOLD").status).toBe("pass");
    expect(only(restaurant, "F-HOLD").message).toMatch(/Superseded by S-HOLD/);

    const caterer = run([fed, state], { type: "caterer", ...logs(44) }, "2026-03-02");
    expect(only(caterer, "S-HOLD").message).toMatch(/Applies only to restaurant/);
    expect(only(caterer, "F-HOLD").status).toBe("fail");
    expect(caterer.status).toBe("non_compliant");
  });
  it("tightens the parent only for the facilities it applies to", () => {
    const city = layer(`${US}/state:zz/place:c`, [
      base({
        id: "C-HOLD",
        topic: "holding",
        composition: "floor",
        applicability: restaurantsOnly,
        requirement: hold(38, 135),
      }),
    ]);
    const restaurant = run([fed, city], logs(40), "2026-03-02");
    expect(only(restaurant, "C-HOLD").status).toBe("fail");
    expect(only(restaurant, "F-HOLD").message).toMatch(/Tightened by C-HOLD/);
    const caterer = run([fed, city], { type: "caterer", ...logs(40) }, "2026-03-02");
    expect(only(caterer, "F-HOLD").status).toBe("pass");
    expect(only(caterer, "C-HOLD").status).toBe("not_applicable");
  });
  it("keeps a later floor from merging a parent that the scoped override replaces", () => {
    const city = layer(`${US}/state:zz/place:c`, [
      base({ id: "C-HOLD", topic: "holding", composition: "floor", requirement: hold(50, 140) }),
    ]);
    // For a restaurant S-HOLD's 45°F governs, tightened by the city: the FDA's 41°F does not.
    const restaurant = run([fed, state, city], logs(44), "2026-03-02");
    expect(only(restaurant, "C-HOLD").status).toBe("pass");
    expect(only(restaurant, "F-HOLD").message).toMatch(/Superseded by S-HOLD/);
    expect(restaurant.status).toBe("compliant");
    // For a caterer S-HOLD does not apply, so the FDA's 41°F binds again.
    expect(
      only(run([fed, state, city], { type: "caterer", ...logs(44) }, "2026-03-02"), "F-HOLD").status,
    ).toBe("fail");
  });
});

describe("additive + accepted-in credentials (Illinois + Chicago)", () => {
  const IL = `${US}/state:il`;
  const CHI = `${IL}/place:chicago`;
  const il = layer(IL, [
    base({
      id: "IL-CFSSM",
      topic: "food_protection_manager",
      requirement: {
        kind: "credential_holder",
        roles: ["manager"],
        onSite: false,
        credential: { type: "food_protection_manager", validityYears: 5 },
      },
    }),
  ]);
  const chi = layer(CHI, [
    base({
      id: "CHI-FSSC",
      topic: "city_certificate",
      composition: "additive",
      requirement: {
        kind: "credential_holder",
        roles: ["manager", "person_in_charge"],
        onSite: true,
        credential: {
          type: "local_manager_certificate",
          validityYears: 5,
          acceptedIssuers: [{ issuer: CHI, acceptedIn: [CHI] }],
        },
      },
    }),
  ]);
  const mgr = (credentials: object[]) => ({
    staff: [{ id: "m", role: "manager" as const, hiredAt: "2020-01-01", credentials }],
  });
  const state = { type: "food_protection_manager", issuedAt: "2024-01-01" };
  it("requires the city certificate in addition to the state one", () => {
    const v = run([il, chi], mgr([state]), "2026-03-02");
    expect(only(v, "IL-CFSSM").status).toBe("pass");
    expect(only(v, "CHI-FSSC").status).toBe("fail");
    const ok = run(
      [il, chi],
      mgr([state, { type: "local_manager_certificate", issuer: CHI, issuedAt: "2024-01-01" }]),
      "2026-03-02",
    );
    expect(ok.status).toBe("compliant");
    expect(only(ok, "CHI-FSSC").message).toMatch(/on site/);
  });
  it("does not accept a certificate from another issuer", () => {
    const other = {
      type: "local_manager_certificate",
      issuer: `${IL}/place:springfield`,
      issuedAt: "2024-01-01",
    };
    expect(only(run([il, chi], mgr([state, other]), "2026-03-02"), "CHI-FSSC").message).toMatch(
      /not accepted here/,
    );
  });
});

describe("preemption", () => {
  const STATE = `${US}/state:zz`;
  const state = layer(STATE, [
    base({
      id: "S-CEIL",
      topic: "ceiling",
      requirement: {
        kind: "preemption",
        topics: ["food_handler"],
        exceptJurisdictions: [`${STATE}/county:old`],
      },
    }),
    base({
      id: "S-FH",
      topic: "food_handler",
      requirement: {
        kind: "each_staff_credential",
        roles: ["food_employee"],
        graceDays: 30,
        credential: { type: "food_handler_card", validityYears: 2 },
      },
    }),
  ]);
  const localRule = (id: string) =>
    base({
      id,
      topic: "food_handler",
      composition: "override",
      requirement: {
        kind: "each_staff_credential",
        roles: ["food_employee"],
        graceDays: 7,
        credential: { type: "food_handler_card", validityYears: 1 },
      },
    });
  const staff = { staff: [{ id: "e", role: "food_employee" as const, hiredAt: "2026-02-15" }] };
  it("ignores a local rule on a preempted topic (Texas-style ceiling) and keeps the state rule", () => {
    const v = run([state, layer(`${STATE}/place:x`, [localRule("X-FH")])], staff, "2026-03-02");
    expect(only(v, "X-FH")).toMatchObject({
      status: "not_applicable",
      message: expect.stringMatching(/Preempted by S-CEIL/),
    });
    expect(only(v, "S-FH", "e").status).toBe("warn");
  });
  it("lets an excepted jurisdiction (pre-2009 county program) keep its rule", () => {
    const v = run([state, layer(`${STATE}/county:old`, [localRule("OLD-FH")])], staff, "2026-03-02");
    expect(only(v, "OLD-FH", "e").status).toBe("fail"); // 7-day grace
    expect(only(v, "S-FH").message).toMatch(/Superseded by OLD-FH/);
  });
  it("never evaluates a rule recorded as preempted", () => {
    const recorded = { ...localRule("Y-FH"), composition: "preempted" as const };
    const v = run([state, layer(`${STATE}/place:y`, [recorded])], staff, "2026-03-02");
    expect(only(v, "Y-FH").message).toMatch(/preempted/);
    expect(only(v, "S-FH", "e").status).toBe("warn");
  });
});

describe("effectiveFrom / effectiveTo (Texas food handler 60 → 30 days on 2021-08-08)", () => {
  const fh = (graceDays: number, window: Partial<Rule>) =>
    base({
      id: "TX-FH",
      topic: "food_handler",
      requirement: {
        kind: "each_staff_credential",
        roles: ["food_employee"],
        graceDays,
        credential: { type: "food_handler_card", validityYears: 2 },
      },
      ...window,
    });
  const tx = layer(`${US}/state:tx`, [
    fh(60, { effectiveTo: "2021-08-08" }),
    fh(30, { effectiveFrom: "2021-08-08" }),
  ]);
  const staff = { staff: [{ id: "e", role: "food_employee" as const, hiredAt: "2021-06-01" }] };
  it("replays the rule as it stood on asOf", () => {
    expect(only(run([tx], staff, "2021-07-15"), "TX-FH", "e")).toMatchObject({
      status: "warn",
      dueBy: "2021-07-31",
    });
    expect(only(run([tx], staff, "2021-08-01"), "TX-FH", "e").status).toBe("fail"); // day 61 under the 60-day rule
  });
  it("switches on the effective date, and asks to re-evaluate then", () => {
    expect(run([tx], staff, "2021-07-15").reevaluateAt).toBe("2021-08-01");
    const late = { staff: [{ id: "e", role: "food_employee" as const, hiredAt: "2021-07-20" }] };
    expect(only(run([tx], late, "2021-08-07"), "TX-FH", "e").dueBy).toBe("2021-09-18");
    expect(only(run([tx], late, "2021-08-08"), "TX-FH", "e").dueBy).toBe("2021-08-19");
    expect(only(run([tx], late, "2021-08-20"), "TX-FH", "e").status).toBe("fail"); // would be a warning under the old rule
    expect(run([tx], late, "2021-08-01").reevaluateAt).toBe("2021-08-08");
  });
  it("emits nothing for a rule not yet in force", () => {
    const future = layer(`${US}/state:tx`, [fh(30, { effectiveFrom: "2030-01-01" })]);
    expect(findings(run([future], staff, "2026-01-01"), "TX-FH")).toEqual([]);
  });
});

describe("minimum staffing and facility-type applicability (Florida)", () => {
  const FL = `${US}/state:fl`;
  const fl = layer(FL, [
    base({
      id: "FL-CFPM",
      topic: "manager_present",
      applicability: { facilityTypes: ["restaurant", "caterer", "ghost_kitchen"] },
      requirement: {
        kind: "credential_holder",
        roles: ["manager", "person_in_charge", "owner"],
        onSite: true,
        minimumStaffing: { roles: ["food_employee", "manager", "person_in_charge"], atLeast: 4 },
        credential: { type: "food_protection_manager", validityYears: 5 },
      },
    }),
    base({
      id: "FL-DOH",
      topic: "institutional_manager",
      applicability: { facilityTypes: ["institutional_kitchen"] },
      requirement: {
        kind: "credential_holder",
        roles: ["manager"],
        onSite: true,
        credential: { type: "food_protection_manager", validityYears: 5 },
      },
    }),
  ]);
  const crew = (n: number) => ({
    staff: Array.from({ length: n }, (_, i) => ({
      id: `e${i}`,
      role: "food_employee" as const,
      hiredAt: "2025-01-01",
    })),
  });
  it("applies only when at least 4 food workers are listed", () => {
    expect(only(run([fl], crew(3), "2026-03-02"), "FL-CFPM").status).toBe("not_applicable");
    expect(only(run([fl], crew(4), "2026-03-02"), "FL-CFPM").status).toBe("fail");
  });
  it("routes institutional kitchens to the other regulator's rule", () => {
    const v = run([fl], { ...crew(5), type: "institutional_kitchen" }, "2026-03-02");
    expect(only(v, "FL-CFPM").status).toBe("not_applicable");
    expect(only(v, "FL-DOH").status).toBe("fail");
  });
});

describe("non-expiring credentials (NYC Food Protection Certificate)", () => {
  const nyc = layer(`${US}/state:ny/place:new_york`, [
    base({
      id: "NYC-FPC",
      topic: "fpc",
      requirement: {
        kind: "credential_holder",
        roles: ["manager"],
        onSite: true,
        credential: { type: "local_manager_certificate", validityYears: null },
      },
    }),
  ]);
  it("never expires, with or without dates", () => {
    const staff = (c: object) => ({
      staff: [
        {
          id: "m",
          role: "manager" as const,
          hiredAt: "1990-01-01",
          credentials: [{ type: "local_manager_certificate", ...c }],
        },
      ],
    });
    expect(
      only(run([nyc], staff({ issuedAt: "1995-01-01", expiresAt: null }), "2026-03-02"), "NYC-FPC").status,
    ).toBe("pass");
    const v = run([nyc], staff({}), "2060-01-01");
    expect(only(v, "NYC-FPC").status).toBe("pass");
    expect(v.reevaluateAt).toBeNull();
  });
});

describe("own_code: a jurisdiction with its own code on a topic (the baseline is a reference, not a floor)", () => {
  const STATE = `${US}/state:zz`;
  const fedWithManager = layer(US, [
    base({ id: "F-HOLD", topic: "holding", requirement: hold(41, 135) }),
    base({
      id: "F-CFPM",
      topic: "manager",
      requirement: {
        kind: "credential_holder",
        roles: ["manager"],
        onSite: false,
        credential: { type: "food_protection_manager", validityYears: null },
      },
    }),
    base({
      id: "F-PIC",
      topic: "pic",
      requirement: { kind: "credential_holder", roles: ["manager"], onSite: true },
    }),
  ]);
  const ownHold = (over: Partial<Rule> = {}) =>
    base({ id: "S-HOLD", topic: "holding", composition: "own_code", requirement: hold(45, 140), ...over });
  const unknownManager = base({
    id: "S-CFPM",
    topic: "manager",
    composition: "own_code",
    verified: false,
    requirement: {
      kind: "informational",
      reason: "whether the state requires one is unverified",
      action: "Ask",
    },
  });

  it("takes the baseline rule out of force and says why, whatever the values", () => {
    const state = layer(STATE, [ownHold()]);
    const cold44 = run([fedWithManager, state], logs(44), "2026-03-02");
    expect(only(cold44, "S-HOLD").status).toBe("pass"); // looser than the baseline's 41°F
    expect(only(cold44, "F-HOLD")).toMatchObject({
      status: "not_applicable",
      message: expect.stringMatching(
        /zz has its own code on this topic \(S-HOLD, Test Code S-HOLD\).*not the law/,
      ),
    });
    expect(only(run([fedWithManager, state], logs(137, "hot_holding"), "2026-03-02"), "S-HOLD").status).toBe(
      "fail",
    ); // stricter than the baseline's 135°F
  });

  it("displaces the baseline for every facility, even those its own rule does not cover", () => {
    const state = layer(STATE, [ownHold({ applicability: { facilityTypes: ["restaurant"] } })]);
    const caterer = run([fed, state], { type: "caterer", ...logs(44) }, "2026-03-02");
    expect(only(caterer, "S-HOLD").message).toMatch(/Applies only to restaurant/);
    expect(only(caterer, "F-HOLD").message).toMatch(/own code on this topic/);
    expect(caterer.status).toBe("compliant"); // an override would have let F-HOLD bind here
  });

  it("lets an informational own-code rule (an unverified question) stop a checkable baseline rule", () => {
    const state = layer(STATE, [unknownManager]);
    const v = run([fedWithManager, state], { staff: [] }, "2026-03-02");
    expect(only(v, "F-CFPM").message).toMatch(/own code on this topic \(S-CFPM/);
    expect(only(v, "S-CFPM")).toMatchObject({ status: "not_applicable", verified: false });
    expect(only(v, "F-PIC").status).toBe("fail"); // other topics of the baseline still bind
  });

  it("displaces rules named in `replaces` as well as those sharing its topic", () => {
    const state = layer(STATE, [{ ...unknownManager, replaces: ["F-PIC"] }], US);
    const v = run([fedWithManager, state], { staff: [] }, "2026-03-02");
    expect(only(v, "F-PIC").message).toMatch(/own code on this topic \(S-CFPM/);
    expect(v.status).toBe("compliant");
  });

  it("does not depend on rule order: an override listed first in the same layer finds nothing to replace", () => {
    const state = layer(
      STATE,
      [
        base({ id: "S-PIC", topic: "pic", composition: "override", requirement: hold(50, 100) }),
        { ...unknownManager, replaces: ["F-PIC"] },
      ],
      US,
    );
    const v = run([fedWithManager, state], { staff: [] }, "2026-03-02");
    expect(only(v, "F-PIC").message).toMatch(/own code on this topic \(S-CFPM/);
  });

  it("leaves a narrower floor merging with the own code only, never with the displaced baseline", () => {
    const state = layer(STATE, [ownHold()]);
    const city = layer(`${STATE}/place:c`, [
      base({ id: "C-HOLD", topic: "holding", composition: "floor", requirement: hold(50, 130) }),
    ]);
    const v = run([fedWithManager, state, city], logs(44), "2026-03-02");
    expect(only(v, "C-HOLD")).toMatchObject({
      status: "pass",
      citation: "Test Code C-HOLD; Test Code S-HOLD",
    });
    expect(only(v, "S-HOLD").message).toMatch(/Tightened by C-HOLD/);
    expect(
      only(run([fedWithManager, state, city], logs(138, "hot_holding"), "2026-03-02"), "C-HOLD").status,
    ).toBe("fail"); // the state's 140°F, not the city's 130°F
  });

  it("is itself subject to effective dates: before its effectiveFrom the baseline binds (replays)", () => {
    const state = layer(STATE, [ownHold({ effectiveFrom: "2026-01-01" })]);
    const before = run(
      [fedWithManager, state],
      { temperatureLogs: [{ at: "2025-06-01T10:00:00Z", mode: "cold_holding", tempF: 44 }] },
      "2025-06-02",
    );
    expect(only(before, "F-HOLD").status).toBe("fail");
    expect(findings(before, "S-HOLD")).toEqual([]);
    const after = run(
      [fedWithManager, state],
      { temperatureLogs: [{ at: "2026-01-01T10:00:00Z", mode: "cold_holding", tempF: 44 }] },
      "2026-01-01",
    );
    expect(only(after, "F-HOLD").message).toMatch(/own code on this topic/);
    expect(only(after, "S-HOLD").status).toBe("pass");
  });

  it("does nothing when preempted by a broader layer", () => {
    const state = layer(STATE, [
      base({ id: "S-CEIL", topic: "ceiling", requirement: { kind: "preemption", topics: ["holding"] } }),
    ]);
    const city = layer(`${STATE}/place:c`, [{ ...ownHold(), id: "C-OWN" }]);
    const v = run([fed, state, city], logs(44), "2026-03-02");
    expect(only(v, "C-OWN").message).toMatch(/Preempted by S-CEIL/);
    expect(only(v, "F-HOLD").status).toBe("fail");
  });
});

describe("posting: notices the facility states it has on display", () => {
  const post = (notice: "choking_first_aid" | "letter_grade_card", action: string) => ({
    kind: "posting" as const,
    notice,
    action,
  });
  const state = layer(
    `${US}/state:zz`,
    [
      base({
        id: "S-CHOKE",
        topic: "choking",
        requirement: post("choking_first_aid", "Post the state's poster"),
      }),
    ],
    US,
  );
  const at = (draft: FacilityDraft) => run([fed, state], draft, "2026-03-02");

  it("does not guess when the facility states nothing: not checked, and says what to list and post", () => {
    const v = at({});
    expect(only(v, "S-CHOKE")).toMatchObject({ status: "not_applicable", subject: { kind: "facility" } });
    expect(only(v, "S-CHOKE").message).toMatch(
      /postedNotices.*"choking_first_aid".*Post the state's poster\.$/,
    );
    expect(v.status).toBe("compliant");
  });
  it("passes a facility listing the notice, and fails one whose list lacks it — an empty list included", () => {
    expect(only(at({ postedNotices: ["letter_grade_card", "choking_first_aid"] }), "S-CHOKE").status).toBe(
      "pass",
    );
    for (const postedNotices of [[], ["letter_grade_card"]]) {
      const v = at({ postedNotices });
      expect(only(v, "S-CHOKE")).toMatchObject({ status: "fail", dueBy: null });
      expect(only(v, "S-CHOKE").message).toMatch(
        /does not list the choking first-aid instructions.*Post the state's poster\.$/,
      );
      expect(v.status).toBe("non_compliant");
    }
  });
  it("merges a narrower layer's floor rule on the same notice into one finding in its own words", () => {
    const city = layer(
      `${US}/state:zz/place:c`,
      [
        base({
          id: "C-CHOKE",
          topic: "choking",
          composition: "floor",
          requirement: post("choking_first_aid", "Post the city's poster by the door"),
        }),
      ],
      `${US}/state:zz`,
    );
    const v = run([fed, state, city], { postedNotices: [] }, "2026-03-02");
    expect(only(v, "C-CHOKE").message).toMatch(/city's poster by the door/);
    expect(findings(v, "S-CHOKE").every((f) => f.status === "not_applicable")).toBe(true);
  });
});
