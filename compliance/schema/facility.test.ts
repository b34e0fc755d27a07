import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { toProblems } from "./common";
import { AsOfSchema, FacilityInputSchema } from "./facility";

const base = { name: "K", type: "restaurant", address: { city: "Oakland", state: "CA" } };
const problems = (input: unknown) => {
  const r = v.safeParse(FacilityInputSchema, input);
  return r.success ? [] : toProblems(r.issues);
};

describe("FacilityInputSchema", () => {
  it("accepts a minimal facility and defaults handlesUnpackagedTcsFood to true", () => {
    const r = v.parse(FacilityInputSchema, base);
    expect(r.handlesUnpackagedTcsFood).toBe(true);
  });
  it("accepts any US state (coverage is not validation)", () => {
    expect(problems({ ...base, address: { city: "Austin", state: "tx" } })).toEqual([]);
  });
  it("rejects an impossible date with a JSON pointer", () => {
    const p = problems({ ...base, staff: [{ id: "a", role: "food_employee", hiredAt: "2025-02-30" }] });
    expect(p).toHaveLength(1);
    expect(p[0]?.pointer).toBe("/staff/0/hiredAt");
    expect(p[0]?.message).toMatch(/real calendar date/);
  });
  it("rejects unknown enum values and non-US states with pointers", () => {
    const p = problems({ ...base, type: "bar", address: { city: "X", state: "ZZ" } });
    expect(p.map((x) => x.pointer).sort()).toEqual(["/address/state", "/type"]);
  });
  it("rejects duplicate staff ids at the duplicate", () => {
    const s = { role: "food_employee", hiredAt: "2025-01-01" };
    const p = problems({
      ...base,
      staff: [
        { id: "a", ...s },
        { id: "b", ...s },
        { id: "a", ...s },
      ],
    });
    expect(p).toEqual([{ pointer: "/staff/2/id", message: 'duplicate staff id "a"' }]);
  });
  it("bounds array sizes and string lengths", () => {
    const staff = Array.from({ length: 5001 }, (_, i) => ({
      id: `s${i}`,
      role: "food_employee",
      hiredAt: "2025-01-01",
    }));
    expect(problems({ ...base, staff }).map((x) => x.pointer)).toContain("/staff");
    expect(problems({ ...base, name: "x".repeat(201) }).map((x) => x.pointer)).toEqual(["/name"]);
    expect(problems({ ...base, name: "" }).map((x) => x.pointer)).toEqual(["/name"]);
  });
  it("takes chainLocations as a whole number of locations from 1 to 1,000,000, refusing anything else at /chainLocations", () => {
    for (const ok of [1, 20, 40_000, 1_000_000])
      expect(problems({ ...base, chainLocations: ok })).toEqual([]);
    for (const bad of [0, -20, 2.5, 1_000_001, 1e300, "20", null, true]) {
      const p = problems({ ...base, chainLocations: bad });
      expect(p, String(bad)).toHaveLength(1);
      expect(p[0]?.pointer).toBe("/chainLocations");
    }
  });
  it("takes postedNotices as a list of known notices (empty included), refusing anything else with a pointer", () => {
    for (const ok of [
      [],
      ["choking_first_aid"],
      ["letter_grade_card", "menu_calorie_labels", "letter_grade_card"],
    ])
      expect(problems({ ...base, postedNotices: ok })).toEqual([]);
    expect(problems({ ...base, postedNotices: ["choking_poster"] })[0]).toMatchObject({
      pointer: "/postedNotices/0",
      message: expect.stringMatching(/must be one of: choking_first_aid/),
    });
    for (const bad of ["choking_first_aid", null, {}, [1], Array(51).fill("inspection_placard")])
      expect(problems({ ...base, postedNotices: bad })[0]?.pointer, JSON.stringify(bad)).toMatch(
        /^\/postedNotices/,
      );
  });
  it("validates temperature log datetimes", () => {
    const p = problems({
      ...base,
      temperatureLogs: [{ at: "2026-02-30T10:00:00Z", mode: "cold_holding", tempF: 40 }],
    });
    expect(p[0]?.pointer).toBe("/temperatureLogs/0/at");
    expect(
      problems({
        ...base,
        temperatureLogs: [{ at: "2026-03-01T10:00:00Z", mode: "cold_holding", tempF: Number.NaN }],
      })[0]?.pointer,
    ).toBe("/temperatureLogs/0/tempF");
  });
});

describe("AsOfSchema", () => {
  it("accepts a date or an RFC 3339 datetime and yields the calendar date as written", () => {
    expect(v.parse(AsOfSchema, "2026-03-14")).toBe("2026-03-14");
    expect(v.parse(AsOfSchema, "2026-03-14T23:30:00-08:00")).toBe("2026-03-14");
  });
  it("rejects other strings", () => {
    for (const bad of ["2026-02-30", "14/03/2026", "2026-03-14T10:00", ""])
      expect(v.safeParse(AsOfSchema, bad).success).toBe(false);
  });
});
