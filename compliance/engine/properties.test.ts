// Property tests: random valid facilities never make evaluate throw and are deterministic (their
// findings serialise exactly as JSON.stringify would);
// random invalid payloads are rejected by the schema with JSON pointers, never by an exception.
import fc from "fast-check";
import * as v from "valibot";
import { describe, expect, it } from "vitest";
import { bundledDatasets } from "../datasets";
import { fromDay, toDay } from "../dates";
import { toProblems } from "../schema/common";
import {
  CREDENTIAL_TYPES,
  FACILITY_TYPES,
  FacilityInputSchema,
  PERMIT_TYPES,
  STAFF_ROLES,
} from "../schema/facility";
import { compileDataset } from "./compile";
import { evaluate } from "./evaluate";
import { findingsJson } from "./findings-json";

const layers = bundledDatasets.map(compileDataset);
const day0 = toDay("2015-01-01");
const date = fc.integer({ min: 0, max: 15 * 366 }).map((n) => fromDay(day0 + n));
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const cities = [
  "Oakland",
  "San Francisco",
  "Los Angeles",
  "Pasadena",
  "Riverside",
  "San Diego",
  "Fontana",
  "Nowhere",
];
const issuers = [
  undefined,
  "ocd-division/country:us/state:ca",
  "ocd-division/country:us/state:ca/county:riverside",
];

const credential = fc.record({
  type: fc.constantFrom(...CREDENTIAL_TYPES),
  issuer: fc.constantFrom(...issuers),
  issuedAt: maybe(date),
  expiresAt: fc.oneof(fc.constant(undefined), fc.constant(null), date),
});
const validFacility = fc.record({
  name: fc.string({ minLength: 1, maxLength: 50 }),
  type: fc.constantFrom(...FACILITY_TYPES),
  address: fc.record({ city: fc.constantFrom(...cities), state: fc.constant("CA") }),
  handlesUnpackagedTcsFood: fc.boolean(),
  openedAt: maybe(date),
  ownershipChangedAt: maybe(date),
  permits: fc.array(
    fc.record({
      type: fc.constantFrom(...PERMIT_TYPES),
      number: maybe(fc.string({ minLength: 1, maxLength: 8 })),
      issuedAt: maybe(date),
      expiresAt: fc.oneof(fc.constant(undefined), fc.constant(null), date),
    }),
    { maxLength: 4 },
  ),
  staff: fc.uniqueArray(
    fc.record({
      id: fc.string({ minLength: 1, maxLength: 6 }),
      name: maybe(fc.string({ maxLength: 10 })),
      role: fc.constantFrom(...STAFF_ROLES),
      hiredAt: date,
      credentials: fc.array(credential, { maxLength: 3 }),
    }),
    { maxLength: 8, selector: (s) => s.id },
  ),
  inspections: fc.array(fc.record({ date, score: maybe(fc.integer({ min: 0, max: 100 })) }), {
    maxLength: 3,
  }),
  temperatureLogs: fc.array(
    fc.record({
      at: date.map((d) => `${d}T12:00:00Z`),
      mode: fc.constantFrom("cold_holding" as const, "hot_holding" as const),
      tempF: fc.integer({ min: 0, max: 200 }),
      item: maybe(fc.constantFrom("Shell eggs", "soup", "roast")),
    }),
    { maxLength: 5 },
  ),
});

describe("properties", () => {
  it("valid facilities never throw, verdicts are deterministic and consistent", () => {
    fc.assert(
      fc.property(validFacility, date, (raw, asOf) => {
        const f = v.parse(FacilityInputSchema, raw);
        const a = evaluate(f, layers, asOf);
        const b = evaluate(v.parse(FacilityInputSchema, structuredClone(raw)), layers, asOf);
        expect(b).toEqual(a);
        // The second call serves the shared findings' text from its cache.
        expect(findingsJson(a.findings)).toBe(JSON.stringify(a.findings));
        expect(findingsJson(b.findings)).toBe(JSON.stringify(b.findings));
        const statuses = new Set(a.findings.map((x) => x.status));
        expect(a.status).toBe(
          statuses.has("fail") ? "non_compliant" : statuses.has("warn") ? "at_risk" : "compliant",
        );
        // Every warning carries a due date, except a permit's "expiry unknown" (no date to give).
        for (const x of a.findings)
          if (x.status === "warn" && !x.message.includes("expiry unknown")) expect(x.dueBy).not.toBeNull();
        if (a.reevaluateAt !== null) expect(a.reevaluateAt > asOf).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
  it("invalid payloads are rejected with pointers, never thrown", () => {
    const junk = fc.oneof(
      fc.anything(),
      validFacility.chain((f) =>
        fc
          .record({
            key: fc.constantFrom(
              "name",
              "type",
              "address",
              "staff",
              "permits",
              "temperatureLogs",
              "openedAt",
            ),
            value: fc.oneof(fc.anything(), fc.constant("2025-02-30"), fc.constant(""), fc.constant([{}])),
          })
          .map(({ key, value }) => ({ ...f, [key]: value })),
      ),
    );
    fc.assert(
      fc.property(junk, (input) => {
        const r = v.safeParse(FacilityInputSchema, input);
        if (r.success) return; // fc.anything() can produce a valid value by chance
        const problems = toProblems(r.issues);
        expect(problems.length).toBeGreaterThan(0);
        for (const p of problems) {
          expect(typeof p.message).toBe("string");
          expect(p.pointer === "" || p.pointer.startsWith("/")).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});
