// SLOs and incident automation: the hourly job records each hour, a fast burn opens one
// PagerDuty incident (captured by the local webhook receiver), recovery resolves it, and MTTR
// is computed from the recorded times; GET /v1/admin/slo reports it all.
import { describe, expect, it } from "vitest";
import { mttrHours } from "../db/incidents";
import type { HourTotals } from "../runtime/metrics";
import { call, newTenant } from "../test/helpers";
import { newAdmin, nonce, upstreamUrl, withJobContext } from "../test/pipeline";
import { budgetRemaining, burnRate, checkSlos, type OperationalMetricsSource } from "./slo";
import { analyticsEngineSource, totalsQuery } from "./slo-source";

const HOUR = 3_600_000;

/** A source whose totals the test sets hour by hour. */
function scriptedSource() {
  const hours = new Map<number, HourTotals>();
  const source: OperationalMetricsSource = {
    totals: async (from) =>
      hours.get(from.getTime()) ?? { requests: 0, serverErrors: 0, checks: 0, slowChecks: 0 },
  };
  return { source, set: (hourStart: number, totals: HourTotals) => hours.set(hourStart, totals) };
}

/** A whole hour far from now and from other tests' hours (slo_hours is platform-wide). */
const isolatedHour = () =>
  Date.UTC(2090, 0, 1) + Math.floor(Math.random() * 200_000) * 24 * HOUR + 3 * 24 * HOUR;

describe("SLO arithmetic", () => {
  it("burns the budget at 1× exactly on target and reports what is left", () => {
    expect(burnRate(0.999, 999, 1000)).toBeCloseTo(1);
    expect(burnRate(0.999, 900, 1000)).toBeCloseTo(100);
    expect(burnRate(0.999, 0, 0)).toBe(0);
    expect(budgetRemaining(0.999, 0.9995)).toBeCloseTo(0.5);
    expect(budgetRemaining(0.99, 0.97)).toBeCloseTo(-2);
  });
});

describe("the hourly SLO job", () => {
  it("opens one incident on a fast burn, resolves it on recovery, and MTTR follows", async () => {
    const hook = `slo-${nonce()}`;
    const webhook = `${upstreamUrl()}/hooks/${hook}`;
    const environment = `test-${hook}`;
    const h0 = isolatedHour();
    let now = h0 + HOUR + 5 * 60_000; // 5 minutes into the hour after h0
    const { source, set } = scriptedSource();
    // Hour h0: one request in ten answered 5xx, 100× the availability budget's pace.
    set(h0, { requests: 1000, serverErrors: 100, checks: 500, slowChecks: 0 });
    const options = {
      incidentWebhookUrl: webhook,
      incidentRoutingKey: "R0UT1NGKEY",
      environment,
      now: () => new Date(now),
    };
    await withJobContext(async (ctx) => {
      const first = await checkSlos(ctx, source);
      const availability = first.find((b) => b.slo === "availability");
      expect(availability).toMatchObject({ breach: true, fastBurn: expect.closeTo(100, 5) });
      expect(availability?.sent?.event_action).toBe("trigger");
      // Checks were fast: no latency incident.
      expect(first.find((b) => b.slo === "check_latency")).toMatchObject({ breach: false, sent: null });

      // The same hour again (a retried cron event): still one incident, nothing sent.
      const again = await checkSlos(ctx, source);
      expect(again.every((b) => b.sent === null)).toBe(true);

      // The next hour is healthy: the incident resolves.
      set(h0 + HOUR, { requests: 1000, serverErrors: 0, checks: 500, slowChecks: 0 });
      now += HOUR;
      const recovered = await checkSlos(ctx, source);
      expect(recovered.find((b) => b.slo === "availability")?.sent?.event_action).toBe("resolve");

      // Opened at h0+1h05, resolved at h0+2h05: one hour to resolve.
      expect(await mttrHours(ctx.db, new Date(h0), new Date(h0 + 3 * HOUR))).toBeCloseTo(1, 5);
    }, options);

    const received = (await (await fetch(webhook)).json()) as Record<string, unknown>[];
    const dedupKey = `prep-${environment}-slo-availability`;
    expect(received).toHaveLength(2);
    expect(received[0]).toMatchObject({
      routing_key: "R0UT1NGKEY",
      event_action: "trigger",
      dedup_key: dedupKey,
      payload: { summary: expect.stringContaining("availability SLO fast burn"), component: "slo" },
    });
    expect(received[1]).toEqual({ routing_key: "R0UT1NGKEY", event_action: "resolve", dedup_key: dedupKey });
  });

  it("pages a slow burn only while the last hour still burns, so recovery does not flap", async () => {
    const environment = `test-slow-${nonce()}`;
    const h0 = isolatedHour();
    const { source, set } = scriptedSource();
    // Six healthy hours, then five at 8× the latency budget's pace (8 % of checks slow, 1 % allowed),
    // then a healthy one.
    for (let i = 0; i < 12; i++) {
      const bad = i >= 6 && i <= 10;
      set(h0 + i * HOUR, { requests: 100, serverErrors: 0, checks: 1000, slowChecks: bad ? 80 : 0 });
    }
    let now = h0;
    await withJobContext(
      async (ctx) => {
        const sent: string[] = [];
        for (let i = 1; i <= 12; i++) {
          now = h0 + i * HOUR; // records hour i - 1
          for (const burn of await checkSlos(ctx, source))
            if (burn.slo === "check_latency" && burn.sent) sent.push(`${i - 1}:${burn.sent.event_action}`);
        }
        // 8× never reaches the fast threshold; over 6 h it passes 6× with the fifth bad hour
        // (6.7×), and the first clean hour resolves it although the 6 h window still burns.
        expect(sent).toEqual(["10:trigger", "11:resolve"]);
      },
      { environment, now: () => new Date(now) },
    );
  });
});

describe("the Analytics Engine source", () => {
  it("asks the SQL API with the account's token and reads its JSON answer", async () => {
    const requests: { url: string; auth: string | null; body: string }[] = [];
    const fakeFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
      requests.push({
        url: String(input),
        auth: new Headers(init?.headers).get("authorization"),
        body: String(init?.body),
      });
      // The SQL API's FORMAT JSON answer: meta, data, rows (numbers of UInt64 come as strings).
      return Response.json({
        meta: [{ name: "requests", type: "Float64" }],
        data: [{ requests: "1200", server_errors: 3, checks: 400, slow_checks: "2" }],
        rows: 1,
      });
    }) as typeof fetch;
    const source = analyticsEngineSource({
      fetch: fakeFetch,
      accountId: "acc123",
      apiToken: "tok",
      dataset: "prep_production_ops",
    });
    const from = new Date("2026-12-01T09:00:00Z");
    const to = new Date("2026-12-01T10:00:00Z");
    expect(await source.totals(from, to)).toEqual({
      requests: 1200,
      serverErrors: 3,
      checks: 400,
      slowChecks: 2,
    });
    expect(requests[0]?.url).toBe(
      "https://api.cloudflare.com/client/v4/accounts/acc123/analytics_engine/sql",
    );
    expect(requests[0]?.auth).toBe("Bearer tok");
    expect(requests[0]?.body).toBe(totalsQuery("prep_production_ops", from, to));
    expect(requests[0]?.body).toContain("timestamp >= toDateTime('2026-12-01 09:00:00')");
    expect(() => totalsQuery("x; DROP", from, to)).toThrow();
  });
});

describe("GET /v1/admin/slo", () => {
  it("is for platform admins only", async () => {
    const { key } = await newTenant();
    expect((await call("/v1/admin/slo")).status).toBe(401);
    expect((await call("/v1/admin/slo", { key })).status).toBe(403);
  });

  it("reports each SLO's target, 30-day value, budget left, open incident and MTTR", async () => {
    const admin = await newAdmin();
    const hourNow = Math.floor(Date.now() / HOUR) * HOUR;
    const { source, set } = scriptedSource();
    set(hourNow - HOUR, { requests: 10_000, serverErrors: 2_000, checks: 10, slowChecks: 0 });
    // The route reports this deployment's incidents (PREP_ENV is "development" in tests).
    await withJobContext((ctx) => checkSlos(ctx, source), { environment: "development" });
    const response = await call("/v1/admin/slo", { key: admin.key });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      slos: {
        name: string;
        target: number;
        value: number;
        budgetRemaining: number;
        incident: { id: string; openedAt: string } | null;
      }[];
      mttrHours: number | null;
    };
    expect(body.slos.map((s) => s.name)).toEqual(["availability", "check_latency", "data_freshness"]);
    const availability = body.slos[0];
    expect(availability?.target).toBe(0.999);
    expect(availability?.value).toBeLessThan(0.999);
    expect(availability?.budgetRemaining).toBeLessThan(0);
    expect(availability?.incident).toMatchObject({ id: expect.stringMatching(/^inc_/) });

    // Recovery resolves it and the report shows no open incident and a measured MTTR.
    set(hourNow - HOUR, { requests: 10_000, serverErrors: 0, checks: 10, slowChecks: 0 });
    await withJobContext((ctx) => checkSlos(ctx, source), { environment: "development" });
    const after = (await (await call("/v1/admin/slo", { key: admin.key })).json()) as typeof body;
    expect(after.slos[0]?.incident).toBeNull();
    expect(after.slos[0]?.value).toBeGreaterThan(availability?.value ?? 1);
    expect(after.mttrHours).toEqual(expect.any(Number));
  });
});
