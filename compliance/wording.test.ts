// Messages read as prose: lists, articles, enum values and division names.
import { describe, expect, it } from "vitest";
import { divisionName } from "./jurisdictions/resolve";
import { check, only } from "./test-helpers";
import { facilityTypeLabel, orList, withArticle } from "./wording";

describe("wording helpers", () => {
  it("joins lists and picks articles", () => {
    expect(orList(["manager"])).toBe("manager");
    expect(orList(["manager", "owner"])).toBe("manager or owner");
    expect(orList(["manager", "person in charge", "owner"])).toBe("manager, person in charge or owner");
    expect(withArticle("owner or manager")).toBe("an owner or manager");
    expect(withArticle("food handler card")).toBe("a food handler card");
    expect(facilityTypeLabel("commissary", true)).toBe("commissaries");
    expect(facilityTypeLabel("institutional_kitchen")).toBe("institutional kitchen");
  });

  it("names divisions as a reader would", () => {
    const CA = "ocd-division/country:us/state:ca";
    expect(divisionName(CA)).toBe("California");
    expect(divisionName(`${CA}/county:san_bernardino`)).toBe("San Bernardino County");
    expect(divisionName(`${CA}/place:san_francisco`)).toBe("San Francisco");
    expect(divisionName("ocd-division/country:us")).toBe("the United States");
    expect(divisionName("ocd-division/country:ca/province:on")).toBe("ocd-division/country:ca/province:on");
  });
});

describe("messages", () => {
  it("use articles, readable roles and new sentences for the authority", () => {
    const v = check({ handlesUnpackagedTcsFood: true, staff: [] }, "2026-03-02");
    expect(only(v, "CA-FSC").message).toBe(
      "No owner, manager, person in charge or food employee holds a current food protection manager certificate (no openedAt or ownershipChangedAt was given, so no grace period can be granted). California requires one. Certify an owner, manager, person in charge or food employee now.",
    );
    expect(only(v, "CA-FHC").message).toBe(
      "No food employee, manager or person in charge is listed, so there is nobody to check.",
    );
    const owner = check({ staff: [{ id: "o", role: "owner", hiredAt: "2020-01-01" }] }, "2026-03-02");
    expect(only(owner, "FDA-PIC").message).toMatch(/^Staff o is an owner\./);
  });

  it("name jurisdictions, not their ids", () => {
    const v = check({ staff: [] }, "2026-03-02");
    expect(only(v, "FDA-PERMIT").message).toMatch(/^Superseded by CA-PERMIT of California \(/);
    expect(only(v, "CA-LOCAL-CERT").message).toBe(
      "Local rules on food handler card, food protection manager, local certificate are preempted (except Riverside County, San Bernardino County, San Diego County); any such local rule is ignored.",
    );
  });
});
