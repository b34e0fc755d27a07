// Large but valid facilities are stored, not answered 500: 9,000 temperature logs (9 columns
// each) exceed PostgreSQL's 65,535 bind parameters in one INSERT, so rows go in chunks. And a
// merge patch nested 5,000 deep is refused with a 422, not a stack overflow.
import { describe, expect, it } from "vitest";
import { sfRestaurant } from "../test/fixtures";
import { call, newTenant } from "../test/helpers";

const logs = (n: number) =>
  Array.from({ length: n }, (_, i) => ({
    at: new Date(Date.UTC(2026, 0, 1) + i * 60_000).toISOString(),
    item: `walk-in ${i % 7}`,
    mode: "cold_holding",
    tempF: 38,
  }));

describe("facility storage limits", () => {
  it("stores and reads back a facility with 9,000 temperature logs, on create and on PATCH", async () => {
    const { key } = await newTenant();
    const created = await call("/v1/facilities", {
      method: "POST",
      key,
      json: sfRestaurant({ temperatureLogs: logs(9_000) }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const read = (await (await call(`/v1/facilities/${id}`, { key })).json()) as {
      facility?: { temperatureLogs: unknown[] };
      temperatureLogs?: unknown[];
    };
    const stored = read.facility?.temperatureLogs ?? read.temperatureLogs ?? [];
    expect(stored).toHaveLength(9_000);
    expect(stored[8_999]).toMatchObject({ at: logs(9_000)[8_999]?.at });

    const patched = await call(`/v1/facilities/${id}`, {
      method: "PATCH",
      key,
      json: { temperatureLogs: logs(9_500) },
    });
    expect(patched.status).toBe(200);
  });

  it("refuses a merge patch nested 5,000 deep with a 422", async () => {
    const { key } = await newTenant();
    const created = await call("/v1/facilities", { method: "POST", key, json: sfRestaurant() });
    const { id } = (await created.json()) as { id: string };
    const deep = `${'{"address":'.repeat(5_000)}{}${"}".repeat(5_000)}`;
    const response = await call(`/v1/facilities/${id}`, {
      method: "PATCH",
      key,
      body: deep,
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { pointer: string; detail: string }[] };
    expect(problem.errors[0]?.detail).toMatch(/nested/);
    // A patch of ordinary depth still merges.
    const ok = await call(`/v1/facilities/${id}`, {
      method: "PATCH",
      key,
      json: { address: { line1: "1 Main St" } },
    });
    expect(ok.status).toBe(200);
  });

  it("keeps every field it is given: the 2026-12 optional fields, and numbers real would have underflowed", async () => {
    const { key } = await newTenant();
    const added = {
      certificateHolderLeftAt: "2026-10-01",
      servesHighlySusceptiblePopulation: true,
      chainLocations: 40_000,
      postedNotices: ["choking_first_aid", "letter_grade_card"],
      temperatureLogs: [
        {
          at: "2026-11-30T12:00:00.000Z",
          item: "prime rib",
          category: "whole_meat_roast",
          mode: "hot_holding",
          tempF: 131,
        },
        { at: "2026-11-30T12:05:00.000Z", item: "walk-in", mode: "cold_holding", tempF: 1.5e-200 },
      ],
      inspections: [{ date: "2026-06-01", score: 8.042826188103453e-84, grade: "A" }],
    };
    const facility = sfRestaurant(added);
    const created = await call("/v1/facilities", { method: "POST", key, json: facility });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const read = (await (await call(`/v1/facilities/${id}`, { key })).json()) as Record<string, unknown>;
    expect(read).toMatchObject({
      certificateHolderLeftAt: "2026-10-01",
      servesHighlySusceptiblePopulation: true,
      chainLocations: 40_000,
      postedNotices: ["choking_first_aid", "letter_grade_card"],
      temperatureLogs: added.temperatureLogs,
      inspections: added.inspections,
    });
  });
});
