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
    expect(only(run({ permits: [{ type: "health_permit", expiresAt: null }] }), "FDA-PERMIT").status).toBe(
      "pass",
    );
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
