// The FDA Food Code layer evaluated alone (as a reference baseline, e.g. for a state whose
// dataset adopts it): each checkable rule passes, fails and warns as the model code says.
import { describe, expect, it } from "vitest";
import { compileDataset } from "../engine/compile";
import { evaluate } from "../engine/evaluate";
import { CERTIFIED_MANAGER, type FacilityDraft, facility, only } from "../test-helpers";
import { bundledLayersFor } from "./index";

const fda = bundledLayersFor(["ocd-division/country:us"]).map(compileDataset);
const run = (draft: FacilityDraft, asOf = "2026-03-02") =>
  evaluate(facility(draft), fda, asOf, { jurisdictions: ["ocd-division/country:us"] });

describe("FDA Food Code 2022 baseline", () => {
  it("FDA-CFPM: a supervisor holds a certificate; non-expiring when no expiry is given", () => {
    expect(only(run({ staff: [CERTIFIED_MANAGER] }), "FDA-CFPM").status).toBe("pass");
    expect(
      only(run({ staff: [{ id: "c", role: "food_employee", hiredAt: "2020-01-01" }] }), "FDA-CFPM").status,
    ).toBe("fail");
    expect(only(run({ handlesUnpackagedTcsFood: false }), "FDA-CFPM").status).toBe("not_applicable");
    const soon = [
      {
        ...CERTIFIED_MANAGER,
        credentials: [{ type: "food_protection_manager" as const, expiresAt: "2026-03-10" }],
      },
    ];
    expect(only(run({ staff: soon }), "FDA-CFPM")).toMatchObject({ status: "warn", dueBy: "2026-03-10" });
  });
  it("FDA-PIC: a person in charge must be among the staff", () => {
    expect(
      only(run({ staff: [{ id: "p", role: "person_in_charge", hiredAt: "2020-01-01" }] }), "FDA-PIC").status,
    ).toBe("pass");
    expect(only(run({ staff: [] }), "FDA-PIC").status).toBe("fail");
    expect(
      only(run({ staff: [{ id: "p", role: "person_in_charge", hiredAt: "2026-04-01" }] }), "FDA-PIC").status,
    ).toBe("fail");
  });
  it("FDA-HOLD: 41°F / 135°F, whole roasts at 130°F", () => {
    const at = "2026-03-01T12:00:00Z";
    expect(
      only(
        run({ temperatureLogs: [{ at, mode: "hot_holding", tempF: 131, item: "Prime rib roast" }] }),
        "FDA-HOLD",
      ).status,
    ).toBe("pass");
    expect(
      only(run({ temperatureLogs: [{ at, mode: "hot_holding", tempF: 131, item: "Soup" }] }), "FDA-HOLD")
        .status,
    ).toBe("fail");
    expect(only(run({ temperatureLogs: [{ at, mode: "cold_holding", tempF: 42 }] }), "FDA-HOLD").status).toBe(
      "fail",
    );
  });
  it("FDA-PERMIT: valid permit before operating", () => {
    expect(
      only(run({ permits: [{ type: "health_permit", expiresAt: "2026-12-31" }] }), "FDA-PERMIT").status,
    ).toBe("pass");
    expect(only(run({}), "FDA-PERMIT").status).toBe("fail");
    expect(only(run({}), "FDA-PERMIT").verified).toBe(false);
  });
  it.each(["FDA-TRAIN", "FDA-HEALTH", "FDA-COOL", "FDA-DATE", "FDA-TPHC", "FDA-HSINK"])(
    "%s is not checkable from the payload",
    (id) => {
      expect(only(run({}), id).message).toMatch(/^Not checkable from the payload/);
    },
  );
});

describe("item 6: FDA-HOLD allowances only for the foods § 3-501.16 names", () => {
  const at = "2026-03-01T12:00:00Z";
  const hold = (tempF: number, mode: "cold_holding" | "hot_holding", item?: string, category?: string) =>
    only(
      run({
        temperatureLogs: [{ at, mode, tempF, ...(item ? { item } : {}), ...(category ? { category } : {}) }],
      }),
      "FDA-HOLD",
    );
  it("holds roast chicken at 135°F: the 130°F allowance is for whole meat roasts (§ 3-501.16(A)(1))", () => {
    expect(hold(131, "hot_holding", "Roast chicken").status).toBe("fail");
    expect(hold(131, "hot_holding", "Roast beef sandwich filling").status).toBe("fail");
    expect(hold(135, "hot_holding", "Roast chicken").status).toBe("pass");
  });
  it("gives a log categorised as a whole meat roast 130°F, and 129°F still fails", () => {
    expect(hold(130, "hot_holding", "Sirloin", "whole_meat_roast").status).toBe("pass");
    expect(hold(129, "hot_holding", "Sirloin", "whole_meat_roast").status).toBe("fail");
  });
  it("an explicit category wins over the item name: 'other' gets no allowance", () => {
    expect(hold(131, "hot_holding", "Prime rib roast", "other").status).toBe("fail");
  });
  it("keeps the documented name fallback for an unlabelled whole roast", () => {
    expect(hold(131, "hot_holding", "Prime rib roast").status).toBe("pass");
  });
  it("stores shell eggs at an ambient 45°F (§ 3-501.16(B)), by category or by an unambiguous name", () => {
    expect(hold(45, "cold_holding", "Eggs", "shell_eggs").status).toBe("pass");
    expect(hold(46, "cold_holding", "Eggs", "shell_eggs").status).toBe("fail");
    expect(hold(44, "cold_holding", "Shell eggs, flat 3").status).toBe("pass");
  });
  it("does not extend the egg allowance to egg dishes or pasteurized liquid egg", () => {
    expect(hold(44, "cold_holding", "Egg salad").status).toBe("fail");
    expect(hold(44, "cold_holding", "Liquid eggs").status).toBe("fail");
  });
});

describe("item 7: FDA-PERMIT expiry unknown and mobile food facility permits (§§ 8-302.11, 8-304.11)", () => {
  it("a permit without an expiry date is 'expiry unknown' (a warning), never valid forever", () => {
    for (const permit of [
      { type: "health_permit", number: "P-1", issuedAt: "2019-05-01" },
      { type: "health_permit", number: "P-1", expiresAt: null },
    ]) {
      const f = only(run({ permits: [permit] }), "FDA-PERMIT");
      expect(f).toMatchObject({ status: "warn", dueBy: null });
      expect(f.message).toMatch(/expiry unknown/);
    }
  });
  it("a permit with an expiry date passes until then, and a dated permit wins over an undated one", () => {
    const dated = { type: "health_permit", number: "P-2", expiresAt: "2026-12-31" };
    expect(only(run({ permits: [dated] }), "FDA-PERMIT").status).toBe("pass");
    const both = [{ type: "health_permit", number: "P-1" }, dated];
    expect(only(run({ permits: both }), "FDA-PERMIT")).toMatchObject({
      status: "pass",
      subject: { kind: "permit", id: "P-2" },
    });
  });
  it("accepts a food truck's mobile food facility permit, but not for a restaurant", () => {
    const truck = { type: "mobile_food_facility_permit", number: "MFF-9", expiresAt: "2026-12-31" };
    expect(only(run({ type: "mobile_food_facility", permits: [truck] }), "FDA-PERMIT").status).toBe("pass");
    expect(only(run({ type: "restaurant", permits: [truck] }), "FDA-PERMIT").status).toBe("fail");
    expect(only(run({ type: "mobile_food_facility" }), "FDA-PERMIT").message).toMatch(
      /No health permit or mobile food facility permit is listed/,
    );
  });
});

describe("FDA-MENU: calorie labelling binds chains of 20 or more locations under one name and menu (21 CFR 101.11)", () => {
  const restaurant = (chainLocations?: number) => run(chainLocations === undefined ? {} : { chainLocations });
  it("fails a chain of 20 whose posted notices lack calorie labels (informational before), passes one listing them", () => {
    const chain = (postedNotices: string[]) => only(run({ chainLocations: 20, postedNotices }), "FDA-MENU");
    expect(chain([])).toMatchObject({ status: "fail", verified: true, severity: "major" });
    expect(chain(["choking_first_aid"]).message).toMatch(/Declare the calories of every standard menu item/);
    expect(chain(["menu_calorie_labels"]).status).toBe("pass");
  });
  it("tells a chain of 20 that states no notices what to do, without guessing", () => {
    const f = only(restaurant(20), "FDA-MENU");
    expect(f).toMatchObject({ status: "not_applicable", verified: true });
    expect(f.message).toMatch(/^Not checked: .*postedNotices.*calorie/);
  });
  it("leaves out a chain of 19, saying why", () => {
    const f = only(run({ chainLocations: 19, postedNotices: [] }), "FDA-MENU");
    expect(f.status).toBe("not_applicable");
    expect(f.message).toMatch(/chains of 20 or more locations/);
    expect(f.message).toMatch(/fewer/);
  });
  it("asks for the chain size when the facility does not state it, instead of assuming a chain", () => {
    expect(only(restaurant(), "FDA-MENU").message).toMatch(/does not state chainLocations/);
  });
  it("concerns restaurants and ghost kitchens only", () => {
    expect(
      only(run({ type: "ghost_kitchen", chainLocations: 400, postedNotices: [] }), "FDA-MENU").status,
    ).toBe("fail");
    expect(only(run({ type: "caterer", chainLocations: 400 }), "FDA-MENU").message).toMatch(
      /Applies only to/,
    );
  });
  it("is not in force before the compliance date, 2018-05-07", () => {
    const before = evaluate(facility({ chainLocations: 50 }), fda, "2018-05-06", {
      jurisdictions: ["ocd-division/country:us"],
    });
    expect(before.findings.filter((f) => f.ruleId === "FDA-MENU")).toEqual([]);
    expect(before.reevaluateAt).toBe("2018-05-07");
  });
});
