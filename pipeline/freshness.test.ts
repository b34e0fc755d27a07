// The freshness SLO: GET /v1/status (public), and the PagerDuty Events API v2 incident that a
// breach triggers and recovery resolves, captured by the local webhook receiver.
import { describe, expect, it } from "vitest";
import { call } from "../test/helpers";
import { nonce, upstreamUrl, withJobContext } from "../test/pipeline";
import { computeFreshness, type Freshness, raiseOrResolve } from "./freshness";

const HOUR = 3_600_000;

describe("freshness", () => {
  it("is the share of active datasets refreshed within 24 h", () => {
    const now = new Date("2026-11-25T12:00:00Z");
    const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * HOUR).toISOString();
    const base = { activeVersionId: "dsv_x", propagatedFingerprint: null, version: "2026.1.0" };
    const freshness = computeFreshness(
      [
        { ...base, jurisdiction: "a", lastRefreshedAt: at(1) },
        { ...base, jurisdiction: "b", lastRefreshedAt: at(24) },
        { ...base, jurisdiction: "c", lastRefreshedAt: at(25) },
        { ...base, jurisdiction: "d", lastRefreshedAt: null },
        { ...base, jurisdiction: "pending-only", activeVersionId: null, lastRefreshedAt: null },
      ],
      now,
    );
    expect(freshness.compliance).toBe(0.5);
    expect(freshness.datasets.map((d) => [d.jurisdiction, d.fresh])).toEqual([
      ["a", true],
      ["b", true],
      ["c", false],
      ["d", false],
    ]);
    expect(computeFreshness([], now).compliance).toBe(1);
  });

  it("says which upstream each dataset is read from, and the share read from the published bundle", () => {
    const now = new Date("2026-11-25T12:00:00Z");
    const base = {
      activeVersionId: "dsv_x",
      propagatedFingerprint: null,
      version: "2026.1.0",
      lastRefreshedAt: null,
    };
    const freshness = computeFreshness(
      [
        { ...base, jurisdiction: "a", sourceUrl: "r2:bundles/latest" },
        { ...base, jurisdiction: "b", sourceUrl: "bundled:b" },
        { ...base, jurisdiction: "c", sourceUrl: "https://example.test/c.json" },
        { ...base, jurisdiction: "d", sourceUrl: null },
      ],
      now,
    );
    expect(freshness.datasets.map((d) => d.upstream)).toEqual([
      "published_bundle",
      "bundled_copy",
      "url",
      "none",
    ]);
    expect(freshness.publishedShare).toBe(0.25);
  });

  it("triggers a PagerDuty incident on a breach once, and resolves it when healthy", async () => {
    const hook = `pd-${nonce()}`;
    const webhook = `${upstreamUrl()}/hooks/${hook}`;
    const environment = `test-${hook}`;
    const unwatched = { sources: 0, lastRunAt: null, openReviews: 0, overdueReviews: 0 };
    const shares = { publishedShare: 1, watchedShare: 0, reviewSlaHours: 72, watchWindowHours: 48 };
    const stale: Freshness = {
      compliance: 0.5,
      ...shares,
      datasets: [
        {
          jurisdiction: "a",
          version: "1",
          lastRefreshedAt: new Date().toISOString(),
          fresh: true,
          upstream: "published_bundle",
          staleReasons: [],
          watchers: unwatched,
        },
        {
          jurisdiction: "b",
          version: "1",
          lastRefreshedAt: null,
          fresh: false,
          upstream: "published_bundle",
          staleReasons: ["bundle_not_checked"],
          watchers: unwatched,
        },
      ],
    };
    const healthy: Freshness = {
      compliance: 1,
      ...shares,
      datasets: [stale.datasets[0] as Freshness["datasets"][number]],
    };
    const options = { incidentWebhookUrl: webhook, incidentRoutingKey: "R0UT1NGKEY", environment };
    await withJobContext(async (ctx) => {
      expect((await raiseOrResolve(ctx, stale)).sent?.event_action).toBe("trigger");
      expect((await raiseOrResolve(ctx, stale)).sent).toBeNull();
      expect((await raiseOrResolve(ctx, healthy)).sent?.event_action).toBe("resolve");
      expect((await raiseOrResolve(ctx, healthy)).sent).toBeNull();
    }, options);

    const received = (await (await fetch(webhook)).json()) as Record<string, unknown>[];
    expect(received).toHaveLength(2);
    const dedupKey = `prep-${environment}-dataset-freshness`;
    expect(received[0]).toMatchObject({
      routing_key: "R0UT1NGKEY",
      event_action: "trigger",
      dedup_key: dedupKey,
      payload: {
        summary: expect.stringContaining("1 of 2 datasets stale"),
        source: `prep-${environment}`,
        severity: "error",
        custom_details: { compliance: 0.5, stale: [expect.objectContaining({ jurisdiction: "b" })] },
      },
    });
    expect(received[1]).toEqual({ routing_key: "R0UT1NGKEY", event_action: "resolve", dedup_key: dedupKey });
  });
});

describe("GET /v1/status", () => {
  it("needs no credentials and reports API health with dataset freshness", async () => {
    const response = await call("/v1/status");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { status: string; freshness: Freshness };
    expect(["ok", "degraded"]).toContain(body.status);
    expect(body.freshness.compliance).toBeGreaterThanOrEqual(0);
    expect(body.freshness.compliance).toBeLessThanOrEqual(1);
    expect(body.status).toBe(body.freshness.compliance < 1 ? "degraded" : "ok");
    expect(body.freshness.datasets).toContainEqual(
      expect.objectContaining({
        jurisdiction: "ocd-division/country:us/state:ca",
        version: expect.any(String),
        fresh: expect.any(Boolean),
      }),
    );
  });
});
