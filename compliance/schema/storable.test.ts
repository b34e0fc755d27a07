// Nothing unstorable gets in: a string, date or date-time that passes validation is one
// PostgreSQL (text, jsonb, date, timestamptz), SQLite and JSON all accept. Hostile input is
// refused with a 422 whose errors[] point at the field, at the API as in the schema.
import * as v from "valibot";
import { beforeAll, describe, expect, it } from "vitest";
import { sfRestaurant } from "../../test/fixtures";
import { call, newTenant } from "../../test/helpers";
import { DateSchema, DateTimeSchema, isStorableText, toProblems } from "./common";
import { DatasetSchema } from "./dataset";
import { AsOfSchema, FacilityInputSchema } from "./facility";

const NUL = "\u0000";
const LONE_HIGH = "\ud800";
const LONE_LOW = "\udc00";
const base = { name: "K", type: "restaurant", address: { city: "Oakland", state: "CA" } };
const pointers = (input: unknown) => {
  const r = v.safeParse(FacilityInputSchema, input);
  return r.success ? [] : toProblems(r.issues).map((p) => p.pointer);
};
const log = (at: string) => ({ at, mode: "cold_holding", tempF: 40 });

describe("storable text", () => {
  it("refuses U+0000 and unpaired surrogates, and keeps every other character", () => {
    for (const bad of [NUL, `a${NUL}b`, LONE_HIGH, LONE_LOW, `x${LONE_HIGH}`, `${LONE_LOW}${LONE_HIGH}`])
      expect(isStorableText(bad)).toBe(false);
    for (const good of ["", "Café Niño — 東京", "😀 emoji", "\u0001\u001f", "\uffff", "\ud83d\ude00"])
      expect(isStorableText(good)).toBe(true);
  });

  it("points at every string field of a facility that holds one", () => {
    expect(pointers({ ...base, name: `Kitchen${NUL}` })).toEqual(["/name"]);
    expect(pointers({ ...base, address: { city: `Oak${LONE_HIGH}land`, state: "CA" } })).toEqual([
      "/address/city",
    ]);
    expect(
      pointers({ ...base, staff: [{ id: `s${LONE_LOW}`, name: NUL, role: "owner", hiredAt: "2025-01-01" }] }),
    ).toEqual(["/staff/0/id", "/staff/0/name"]);
    expect(pointers({ ...base, permits: [{ type: "health_permit", number: `1${NUL}` }] })).toEqual([
      "/permits/0/number",
    ]);
    expect(pointers({ ...base, inspections: [{ date: "2025-01-01", grade: LONE_HIGH }] })).toEqual([
      "/inspections/0/grade",
    ]);
    expect(pointers({ ...base, temperatureLogs: [{ ...log("2026-03-01T10:00:00Z"), item: NUL }] })).toEqual([
      "/temperatureLogs/0/item",
    ]);
  });

  it("applies to dataset text too", () => {
    const r = v.safeParse(DatasetSchema, {
      jurisdiction: "ocd-division/country:us/state:ca",
      name: `California${NUL}`,
      version: "2026.1.0",
      source: { publisher: "CDPH", retrievedAt: "2026-01-01" },
      disclaimer: `x${LONE_HIGH}`,
      rules: [],
    });
    expect(r.success ? [] : toProblems(r.issues).map((p) => p.pointer)).toEqual(["/name", "/disclaimer"]);
  });
});

describe("storable dates", () => {
  it("accepts years 0001–9999 on the calendar and refuses year 0000 and impossible days", () => {
    for (const good of ["0001-01-01", "2024-02-29", "9999-12-31"])
      expect(v.safeParse(DateSchema, good).success).toBe(true);
    for (const bad of ["0000-01-01", "0000-12-31", "2025-02-29", "2026-02-30", "2026-04-31", "2026-13-01"])
      expect(v.safeParse(DateSchema, bad).success, bad).toBe(false);
    expect(pointers({ ...base, openedAt: "0000-06-01" })).toEqual(["/openedAt"]);
    expect(
      pointers({ ...base, staff: [{ id: "a", role: "owner", hiredAt: "2025-01-01", credentials: [] }] }),
    ).toEqual([]);
    expect(v.safeParse(AsOfSchema, "0000-01-01").success).toBe(false);
    expect(v.safeParse(AsOfSchema, "0000-01-01T10:00:00Z").success).toBe(false);
  });

  it("accepts date-times with a real time of day and offset, and refuses the rest", () => {
    for (const good of [
      "2026-03-14T09:30:00-07:00",
      "2026-03-14T23:59:59.999999999Z",
      "2026-03-14t00:00z",
      "2026-03-14 12:00:00+15:59",
      "0001-01-01T05:00:00+05:00",
      "9999-12-31T18:59:59-05:00",
    ])
      expect(v.safeParse(DateTimeSchema, good).success, good).toBe(true);
    for (const bad of [
      "2026-03-14T25:00:00Z",
      "2026-03-14T24:00:00Z",
      "2026-03-14T10:60:00Z",
      "2026-03-14T10:00:60Z",
      "2026-03-14T10:00:00+16:00",
      "2026-03-14T10:00:00+05:60",
      "2026-02-30T10:00:00Z",
      "0000-01-01T10:00:00Z",
      "0001-01-01T00:00:00+00:01",
      "9999-12-31T23:00:00-05:00",
    ])
      expect(v.safeParse(DateTimeSchema, bad).success, bad).toBe(false);
    expect(
      pointers({ ...base, temperatureLogs: [log("2026-03-01T10:00:00Z"), log("2026-03-01T25:00:00Z")] }),
    ).toEqual(["/temperatureLogs/1/at"]);
  });
});

describe("at the API", () => {
  let key: string;
  beforeAll(async () => {
    ({ key } = await newTenant("Hostile Input Kitchens"));
  });

  const hostile: [string, Record<string, unknown>, string][] = [
    ["a NUL in the name", { facility: sfRestaurant({ name: `Café${NUL}` }) }, "/facility/name"],
    [
      "a lone surrogate in a staff name",
      {
        facility: sfRestaurant({
          staff: [{ id: "s-1", name: `Zo${LONE_HIGH}`, role: "owner", hiredAt: "2025-01-01" }],
        }),
      },
      "/facility/staff/0/name",
    ],
    ["year 0000 as asOf", { asOf: "0000-01-01", facility: sfRestaurant() }, "/asOf"],
    [
      "year 0000 as a hire date",
      {
        facility: sfRestaurant({ staff: [{ id: "s-1", role: "owner", hiredAt: "0000-03-01" }] }),
      },
      "/facility/staff/0/hiredAt",
    ],
    [
      "Feb 30 as a permit expiry",
      {
        facility: sfRestaurant({ permits: [{ type: "health_permit", expiresAt: "2027-02-30" }] }),
      },
      "/facility/permits/0/expiresAt",
    ],
    [
      "25:00 in a temperature log",
      {
        facility: sfRestaurant({
          temperatureLogs: [{ at: "2026-03-01T25:00:00Z", mode: "cold_holding", tempF: 38 }],
        }),
      },
      "/facility/temperatureLogs/0/at",
    ],
  ];

  for (const [what, body, pointer] of hostile) {
    it(`POST /v1/checks refuses ${what} with a 422 pointing at it`, async () => {
      const response = await call("/v1/checks", { method: "POST", key, json: body });
      expect(response.status).toBe(422);
      const problem = (await response.json()) as { errors: { pointer: string }[] };
      expect(problem.errors.map((error) => error.pointer)).toContain(pointer);
    });
  }

  it("POST /v1/facilities refuses a NUL in a name, and a 25:00 temperature log, with a 422", async () => {
    for (const [facility, pointer] of [
      [sfRestaurant({ name: `Kitchen${NUL}` }), "/name"],
      [
        sfRestaurant({ temperatureLogs: [{ at: "2026-03-01T25:00:00Z", mode: "hot_holding", tempF: 150 }] }),
        "/temperatureLogs/0/at",
      ],
    ] as const) {
      const response = await call("/v1/facilities", { method: "POST", key, json: facility });
      expect(response.status).toBe(422);
      const problem = (await response.json()) as { errors: { pointer: string }[] };
      expect(problem.errors.map((error) => error.pointer)).toContain(pointer);
    }
  });
});
