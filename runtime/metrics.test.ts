// Operational metrics: one point per request with the route's pattern and the tenant, written
// only after the response, and a broken sink never costs a request anything.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sfRestaurant } from "../test/fixtures";
import { newTenant } from "../test/helpers";
import { createApp } from "../workers/app";
import {
  type AnalyticsEngineLike,
  CHECK_ROUTES,
  deferMetric,
  LocalMetrics,
  type MetricPoint,
  type Metrics,
  recordingMetrics,
} from "./metrics";

/** An execution context that keeps what is handed to waitUntil, so a test can settle it later. */
function executionContext() {
  const pending: Promise<unknown>[] = [];
  const ctx = {
    waitUntil: (work: Promise<unknown>) => void pending.push(work),
    passThroughOnException: () => {},
    props: {},
  } as unknown as ExecutionContext;
  return { ctx, settle: () => Promise.allSettled(pending) };
}

/** A fake Analytics Engine dataset that keeps what it is given. */
function fakeDataset() {
  const calls: Parameters<AnalyticsEngineLike["writeDataPoint"]>[0][] = [];
  const dataset: AnalyticsEngineLike = { writeDataPoint: (event) => void calls.push(event) };
  return { calls, dataset };
}

const samplePoint = (over: Partial<MetricPoint>): MetricPoint => ({
  kind: "request",
  route: "/v1/checks",
  method: "POST",
  status: 200,
  latencyMs: 20,
  tenant: "ten_a",
  state: "",
  plan: "",
  region: "",
  ...over,
});

describe("operational metrics", () => {
  it("writes one point per request after the response: route pattern, status class, tenant", async () => {
    const { tenantId, key } = await newTenant();
    const { calls, dataset } = fakeDataset();
    const { ctx, settle } = executionContext();
    const app = createApp();
    const response = await app.request(
      "/v1/facilities/fac_doesnotexist",
      { headers: { authorization: `Bearer ${key}` } },
      { ...env, METRICS: dataset },
      ctx,
    );
    expect(response.status).toBe(422);
    // The response is complete and nothing has been written yet.
    expect(calls).toHaveLength(0);
    await settle();
    expect(calls).toHaveLength(1);
    const [point] = calls;
    expect(point?.indexes).toEqual([tenantId]);
    expect(point?.blobs?.slice(0, 5)).toEqual(["request", "/v1/facilities/:id", "GET", "4xx", tenantId]);
    expect(point?.doubles?.[1]).toBe(422);
    expect(point?.doubles?.[0]).toBeGreaterThanOrEqual(0);
  });

  it("labels a check's point with the facility's state and the tenant's plan", async () => {
    const { key } = await newTenant();
    const { calls, dataset } = fakeDataset();
    const { ctx, settle } = executionContext();
    const response = await createApp().request(
      "/v1/checks",
      {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ facility: sfRestaurant() }),
      },
      { ...env, METRICS: dataset },
      ctx,
    );
    expect(response.status).toBe(200);
    await settle();
    const [point] = calls;
    // blob6 state, blob7 plan: test tenants are on Enterprise (test/helpers.ts).
    expect(point?.blobs?.slice(0, 2)).toEqual(["request", "/v1/checks"]);
    expect(point?.blobs?.slice(5, 7)).toEqual(["CA", "enterprise"]);
  });

  it("counts as checks exactly the routes the app answers checks on", () => {
    const posts = new Set(
      createApp()
        .routes.filter((r) => r.method === "POST")
        .map((r) => r.path),
    );
    for (const route of CHECK_ROUTES) expect(posts).toContain(route);
  });

  it("never fails a request when the sink throws or hangs", async () => {
    const app = createApp();
    const throwing: AnalyticsEngineLike = {
      writeDataPoint: () => {
        throw new Error("analytics engine unavailable");
      },
    };
    const first = executionContext();
    const ok = await app.request("/v1/status", {}, { ...env, METRICS: throwing }, first.ctx);
    expect(ok.status).toBe(200);
    const outcomes = await first.settle();
    // The failed write is swallowed: nothing handed to waitUntil rejects.
    expect(outcomes.every((o) => o.status === "fulfilled")).toBe(true);
  });

  it("defers a write past the current task, and a sink that never answers holds nothing", async () => {
    const recorded = recordingMetrics();
    const pending: Promise<unknown>[] = [];
    const point = samplePoint({});
    deferMetric(recorded, point, (work) => void pending.push(work));
    await Promise.resolve();
    expect(recorded.points).toHaveLength(0);
    await Promise.all(pending);
    expect(recorded.points).toEqual([point]);

    const hanging: Metrics = { write: () => new Promise<void>(() => {}) };
    const handed: Promise<unknown>[] = [];
    deferMetric(hanging, point, (work) => void handed.push(work));
    expect(handed).toHaveLength(1);
  });

  it("locally logs each point and keeps hourly totals the SLO job reads", () => {
    const lines: string[] = [];
    let now = Date.parse("2026-12-01T10:15:00Z");
    const local = new LocalMetrics(
      (line) => lines.push(line),
      () => now,
    );
    const point = samplePoint;
    local.write(point({}));
    local.write(point({ status: 503 }));
    local.write(point({ latencyMs: 900 }));
    local.write(point({ route: "/v1/facilities", method: "GET" }));
    now += 3_600_000;
    local.write(point({ status: 500 }));
    expect(JSON.parse(lines[1] ?? "{}")).toMatchObject({
      message: "metric",
      statusClass: "5xx",
      tenant: "ten_a",
    });
    expect(local.totals(new Date("2026-12-01T10:00:00Z"), new Date("2026-12-01T11:00:00Z"))).toEqual({
      requests: 4,
      serverErrors: 1,
      checks: 3,
      slowChecks: 1,
    });
    expect(
      local.totals(new Date("2026-12-01T10:00:00Z"), new Date("2026-12-01T12:00:00Z")).serverErrors,
    ).toBe(2);
  });
});
