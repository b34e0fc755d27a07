// Property tests at the API: whatever a client sends, POST /v1/checks answers with a verdict
// or a problem — never a 5xx — and the same request at the same asOf gives the same findings.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { sfRestaurant } from "../../../test/fixtures";
import { call, newTenant } from "../../../test/helpers";

let key: string;
beforeAll(async () => {
  // Several keys would be fairer to the rate limiter; one suffices under its limit.
  ({ key } = await newTenant("Property Kitchens"));
});

const json = fc.jsonValue({ maxDepth: 4 });
const date = fc.oneof(
  fc
    .date({ min: new Date("1990-01-01"), max: new Date("2035-12-31"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.string({ maxLength: 12 }),
);
const staff = fc.record({
  id: fc.string({ minLength: 1, maxLength: 8 }),
  role: fc.constantFrom("food_employee", "manager", "person_in_charge", "owner", "chef"),
  hiredAt: date,
  credentials: fc.array(
    fc.record({
      type: fc.constantFrom(
        "food_handler_card",
        "food_protection_manager",
        "local_manager_certificate",
        "badge",
      ),
      issuedAt: date,
      expiresAt: fc.oneof(date, fc.constant(null)),
    }),
    { maxLength: 3 },
  ),
});
/** Mostly well-formed facilities with random dates, roles and places, some broken on purpose. */
const facility = fc.record({
  type: fc.constantFrom(
    "restaurant",
    "caterer",
    "mobile_food_facility",
    "institutional_kitchen",
    "spaceship",
  ),
  city: fc.constantFrom(
    "San Francisco",
    "Los Angeles",
    "Pasadena",
    "Chicago",
    "Brooklyn",
    "Dallas",
    "Nowhere",
    "",
  ),
  state: fc.constantFrom("CA", "IL", "NY", "TX", "FL", "WY", "ZZ"),
  staff: fc.array(staff, { maxLength: 5 }),
  extra: json,
});

describe("POST /v1/checks under random input", () => {
  it("never answers 5xx, for arbitrary JSON bodies", async () => {
    await fc.assert(
      fc.asyncProperty(json, async (body) => {
        const response = await call("/v1/checks", { method: "POST", key, json: body });
        expect(response.status).toBeLessThan(500);
        await response.arrayBuffer();
      }),
      { numRuns: 40 },
    );
  });

  it("never answers 5xx for random facilities, and repeats itself exactly", async () => {
    await fc.assert(
      fc.asyncProperty(facility, date, async (f, asOf) => {
        const body = {
          asOf,
          facility: sfRestaurant({
            type: f.type,
            address: { city: f.city, state: f.state },
            staff: f.staff,
            notes: f.extra,
          }),
        };
        const first = await call("/v1/checks", { method: "POST", key, json: body });
        expect(first.status).toBeLessThan(500);
        if (first.status !== 200) return;
        const second = await call("/v1/checks", { method: "POST", key, json: body });
        const [a, b] = (await Promise.all([first.json(), second.json()])) as {
          findings: unknown;
          status: string;
        }[];
        expect(b?.findings).toEqual(a?.findings);
        expect(b?.status).toBe(a?.status);
      }),
      { numRuns: 40 },
    );
  });
});
