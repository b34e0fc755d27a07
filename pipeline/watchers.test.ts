// Source watchers against loopback stand-ins of the eCFR, Federal Register and Legistar APIs
// and an agency page (test/regulator-server.ts): a change opens one review item with the diff,
// the source and the rules citing it, and a low-urgency incident; the next unchanged run opens
// nothing; conditional requests, the User-Agent, backoff honouring Retry-After; and freshness
// that a review older than the SLA spoils until it is resolved.
import { describe, expect, it } from "vitest";
import type { WatchedSource } from "../compliance";
import { openReviewsFor } from "../db/source-reviews";
import { call, expectProblem } from "../test/helpers";
import { newAdmin, nonce, upstreamUrl, withJobContext } from "../test/pipeline";
import {
  ecfrVersion,
  federalRegisterDocument,
  freshDataset,
  legistarMatter,
  mirror,
  regulate,
  regulatorUrl,
  requestsTo,
  watched,
} from "../test/regulators";
import type { JobContext } from "./context";
import { loadFreshness } from "./freshness";
import { normaliseSource, unifiedDiff } from "./source-text";
import { requestUrl, retryAfterMs, type WatchReport, watchersConfig, watchSources } from "./watchers";

const HOUR = 3_600_000;
const T0 = Date.now();
const at = (hours: number) => () => new Date(T0 + hours * HOUR);

/** One watchers' run of `sources` at `hours` after the start of the test. */
function runAt(hours: number, sources: readonly WatchedSource[], extra: Partial<JobContext> = {}) {
  return withJobContext((ctx) => watchSources(ctx, { sources, config: mirror() }), {
    now: at(hours),
    ...extra,
  });
}

const outcome = (report: WatchReport, id: string) => report.checked.find((r) => r.sourceId === id);

describe("normalising official texts", () => {
  it("keeps a page's visible text, without scripts, styles, navigation or footers", () => {
    const text = normaliseSource(
      "html",
      `<html><head><style>p{color:red}</style><script>var x = "secret";</script></head>
       <body><nav>Home | About</nav><main><h1>§ 113948</h1><p>Food  handlers &amp; cards:
       within <b>30 days</b>.</p><ul><li>One</li><li>Two</li></ul></main><footer>Generated 12:00</footer></body></html>`,
    );
    expect(text).toContain("§ 113948");
    expect(text).toContain("Food handlers & cards: within 30 days.");
    expect(text).toContain("One");
    expect(text).not.toMatch(/secret|color|Home \| About|Generated/);
  });

  it("reads the relevant fields of each API and leaves the rest (eCFR meta, paging, ids)", () => {
    const ecfr = JSON.stringify({
      content_versions: [ecfrVersion("117.3", "§ 117.3 Definitions.", "2024-01-01")],
      meta: { latest_issue_date: "2026-11-30" },
    });
    const later = JSON.stringify({
      content_versions: [ecfrVersion("117.3", "§ 117.3 Definitions.", "2024-01-01")],
      meta: { latest_issue_date: "2026-12-01" },
    });
    expect(normaliseSource("ecfr", ecfr)).toBe(normaliseSource("ecfr", later));
    expect(normaliseSource("ecfr", ecfr)).toContain("§ 117.3 § 117.3 Definitions. — amended 2024-01-01");
    const legistar = JSON.stringify([
      legistarMatter(1, "Int 0001-2026", "Food service establishments; grades", "Committee"),
    ]);
    expect(normaliseSource("legistar", legistar)).toBe(
      "Int 0001-2026 [Introduction] Committee — Food service establishments; grades (introduced 2026-10-01)\n",
    );
    const fr = JSON.stringify({
      count: 1,
      next_page_url: "x",
      results: [federalRegisterDocument("2026-01234", "2026-06-01", "Food Code 2026", "An abstract.")],
    });
    expect(normaliseSource("federal_register", fr)).toContain(
      "2026-06-01 Notice 2026-01234 — Food Code 2026\nAn abstract.",
    );
    expect(() => normaliseSource("legistar", "{}")).toThrow(/array/);
    expect(() => normaliseSource("ecfr", "<html>")).toThrow(/JSON/);
  });

  it("diffs one changed line with context, and reports a wholesale rewrite instead of diffing it for ever", () => {
    const before = Array.from({ length: 3000 }, (_, i) => `Line ${i} of the code.`).join("\n");
    const oneChange = before.replace("Line 1500 of", "Line 1500 (amended) of");
    const diff = unifiedDiff("src", before, oneChange);
    expect(diff).toContain("-Line 1500 of the code.\n+Line 1500 (amended) of the code.");
    expect(diff.split("\n").filter((l) => l.startsWith(" ")).length).toBe(6);
    const rewritten = before.replaceAll("of the code", "of the new code");
    expect(unifiedDiff("src", before, rewritten)).toMatch(/^The text was rewritten beyond a line diff/);
  });
});

describe("configuration", () => {
  it("is off unless SOURCE_WATCHERS says on or names an origin", () => {
    expect(watchersConfig({})).toEqual({ mode: "off" });
    expect(watchersConfig({ SOURCE_WATCHERS: "off" })).toEqual({ mode: "off" });
    expect(watchersConfig({ SOURCE_WATCHERS: "on" })).toEqual({ mode: "on" });
    expect(watchersConfig({ SOURCE_WATCHERS: "http://127.0.0.1:9/x" })).toEqual({
      mode: "mirror",
      origin: "http://127.0.0.1:9",
    });
    expect(watchersConfig({ SOURCE_WATCHERS: "ftp://x" })).toMatchObject({
      mode: "off",
      problem: expect.any(String),
    });
    expect(watchersConfig({ SOURCE_WATCHERS: "on", LEGISTAR_TOKENS: "nope" })).toMatchObject({ mode: "off" });
  });

  it("sends mirrored requests to the origin, and a Legistar token only to its client", () => {
    const url = "https://webapi.legistar.com/v1/nyc/matters?$top=5";
    const config = { mode: "mirror" as const, origin: "http://127.0.0.1:9", legistarTokens: { nyc: "T0K" } };
    expect(requestUrl({ kind: "legistar", url }, config)).toBe(
      "http://127.0.0.1:9/webapi.legistar.com/v1/nyc/matters?%24top=5&token=T0K",
    );
    expect(requestUrl({ kind: "legistar", url: url.replace("nyc", "chicago") }, config)).not.toContain(
      "token",
    );
    expect(requestUrl({ kind: "html", url: "https://a.gov/p?x=1" }, { mode: "on" })).toBe(
      "https://a.gov/p?x=1",
    );
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    const now = new Date("2026-12-01T00:00:00Z");
    expect(retryAfterMs("120", now)).toBe(120_000);
    expect(retryAfterMs("Tue, 01 Dec 2026 01:00:00 GMT", now)).toBe(HOUR);
    expect(retryAfterMs("soon", now)).toBeNull();
    expect(retryAfterMs(null, now)).toBeNull();
  });
});

describe("watching a source", () => {
  it("opens one review item for a change (with diff, source, rules and an incident), and nothing on the next unchanged run", async () => {
    const tag = nonce();
    const { jurisdiction } = await freshDataset("ecfr", tag);
    const url = `https://www.ecfr.gov/api/versioner/v1/versions/title-21.json?part=117&t=${tag}`;
    const source = watched(tag, "ecfr", url, [jurisdiction]);
    const hook = `pd-watch-${tag}`;
    const incidents = {
      incidentWebhookUrl: `${upstreamUrl()}/hooks/${hook}`,
      incidentRoutingKey: "RK",
      environment: `test-${tag}`,
    };
    const v1 = [
      ecfrVersion("117.3", "§ 117.3 Definitions.", "2023-01-01"),
      ecfrVersion("117.5", "§ 117.5 Exemptions.", "2023-01-01"),
    ];
    await regulate(url, { items: v1 });

    expect(outcome(await runAt(0, [source], incidents), source.id)?.outcome).toBe("baseline");
    // Within the check interval nothing is asked.
    expect((await runAt(1, [source], incidents)).skipped).toBe(1);
    expect(await requestsTo(url)).toHaveLength(1);
    // Unchanged: a conditional request, answered 304.
    expect(outcome(await runAt(13, [source], incidents), source.id)?.outcome).toBe("not_modified");
    const asked = await requestsTo(url);
    expect(asked[1]?.headers["if-none-match"]).toMatch(/^"/);
    expect(asked[1]?.headers["if-modified-since"]).toBeTruthy();
    expect(asked[0]?.headers["user-agent"]).toMatch(/^Prep-SourceWatcher\/1\.0 \(/);

    // The regulation is amended: § 117.5 changes.
    await regulate(url, {
      items: [v1[0] as Record<string, unknown>, ecfrVersion("117.5", "§ 117.5 Exemptions.", "2026-11-20")],
    });
    const changed = outcome(await runAt(26, [source], incidents), source.id);
    expect(changed).toMatchObject({
      outcome: "changed",
      opened: true,
      reviewId: expect.stringMatching(/^srv_/),
    });
    // Unchanged again: 304, nothing opened.
    expect(outcome(await runAt(39, [source], incidents), source.id)?.outcome).toBe("not_modified");
    expect(outcome(await runAt(52, [source], incidents), source.id)?.outcome).toBe("not_modified");

    const open = await withJobContext((ctx) => openReviewsFor(ctx.db, [jurisdiction]));
    expect(open).toHaveLength(1);
    const review = open[0];
    expect(review).toMatchObject({
      id: changed?.reviewId,
      sourceId: source.id,
      sourceUrl: url,
      ruleIds: ["ZZ-INFO"],
      changes: 1,
    });
    expect(review?.diff).toContain("-§ 117.5 § 117.5 Exemptions. — amended 2023-01-01");
    expect(review?.diff).toContain("+§ 117.5 § 117.5 Exemptions. — amended 2026-11-20");
    expect(review?.diff).toContain(" § 117.3 § 117.3 Definitions. — amended 2023-01-01");

    // One low-urgency incident for the item, however many runs follow.
    const events = (await (await fetch(`${upstreamUrl()}/hooks/${hook}`)).json()) as Record<
      string,
      unknown
    >[];
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      event_action: "trigger",
      dedup_key: `prep-test-${tag}-source-review-${review?.id}`,
      payload: { severity: "warning", component: "source-watchers", custom_details: { rules: ["ZZ-INFO"] } },
    });
  });

  it("reads a page that changes on every request (scripts, footer) as unchanged until its text changes", async () => {
    const tag = nonce();
    const { jurisdiction } = await freshDataset("page", tag);
    const url = `https://health.example.gov/food/code-${tag}.html`;
    const source = watched(tag, "html", url, [jurisdiction]);
    await regulate(url, { html: "<h1>Food handlers</h1><p>Cards within 30 days of hire.</p>" });
    expect(outcome(await runAt(0, [source]), source.id)?.outcome).toBe("baseline");
    expect(outcome(await runAt(13, [source]), source.id)?.outcome).toBe("unchanged");
    await regulate(url, { html: "<h1>Food handlers</h1><p>Cards within 14 days of hire.</p>" });
    const changed = outcome(await runAt(26, [source]), source.id);
    expect(changed?.outcome).toBe("changed");
    // A second change while the item is open updates it (one item per source).
    await regulate(url, { html: "<h1>Food handlers</h1><p>Cards within 10 days of hire.</p>" });
    const again = outcome(await runAt(39, [source]), source.id);
    expect(again).toMatchObject({ outcome: "changed", opened: false, reviewId: changed?.reviewId });
    const [review] = await withJobContext((ctx) => openReviewsFor(ctx.db, [jurisdiction]));
    expect(review?.changes).toBe(2);
    expect(review?.diff).toContain("-Cards within 30 days of hire.");
    expect(review?.diff).toContain("+Cards within 10 days of hire.");
    expect(review?.diff).not.toContain("14 days");
  });

  it("asks Legistar with If-Modified-Since and the Federal Register with If-None-Match", async () => {
    const tag = nonce();
    const { jurisdiction } = await freshDataset("city", tag);
    const legistar = watched(tag, "legistar", `https://webapi.legistar.com/v1/nyc${tag}/matters?$top=50`, [
      jurisdiction,
    ]);
    const fr = watched(
      tag,
      "federal_register",
      `https://www.federalregister.gov/api/v1/documents.json?t=${tag}`,
      [jurisdiction],
    );
    await regulate(legistar.url, {
      items: [legistarMatter(7, "Int 0007-2026", "Food service establishment letter grades", "Committee")],
    });
    await regulate(fr.url, {
      items: [federalRegisterDocument("2026-0001", "2026-01-05", "Food Code", "Availability.")],
    });
    await runAt(0, [legistar, fr]);
    const second = await runAt(13, [legistar, fr]);
    expect(second.checked.map((r) => r.outcome)).toEqual(["not_modified", "not_modified"]);
    const [, legistarAsked] = await requestsTo(legistar.url);
    expect(legistarAsked?.headers["if-modified-since"]).toBeTruthy();
    expect(legistarAsked?.headers["if-none-match"]).toBeUndefined();
    const [, frAsked] = await requestsTo(fr.url);
    expect(frAsked?.headers["if-none-match"]).toBeTruthy();
  });

  it("backs off after a 429 and never asks again before its Retry-After", async () => {
    const tag = nonce();
    const { jurisdiction } = await freshDataset("throttled", tag);
    const url = `https://www.federalregister.gov/api/v1/documents.json?throttled=${tag}`;
    const source = watched(tag, "federal_register", url, [jurisdiction]);
    await regulate(url, {
      items: [federalRegisterDocument("2026-0002", "2026-02-01", "Food Code", "x")],
      throttle: { count: 1, retryAfter: "10800" },
    });
    const first = outcome(await runAt(0, [source]), source.id);
    expect(first).toMatchObject({ outcome: "failed", error: "HTTP 429" });
    expect(Date.parse(first?.nextAttemptAt ?? "")).toBeGreaterThanOrEqual(T0 + 3 * HOUR);
    // The hourly runs before it ask nothing (our own backoff alone would have retried at 30 min).
    expect((await runAt(1, [source])).skipped).toBe(1);
    expect((await runAt(2, [source])).skipped).toBe(1);
    expect(await requestsTo(url)).toHaveLength(1);
    expect(outcome(await runAt(3.1, [source]), source.id)?.outcome).toBe("baseline");
    // A 503 backs off too, doubling on repeated failures.
    await regulate(url, { fail: { count: 2, status: 503 } });
    const down = outcome(await runAt(16, [source]), source.id);
    expect(Date.parse(down?.nextAttemptAt ?? "")).toBe(T0 + 16 * HOUR + 30 * 60_000);
    const still = outcome(await runAt(16.5, [source]), source.id);
    expect(Date.parse(still?.nextAttemptAt ?? "")).toBe(T0 + 16.5 * HOUR + HOUR);
    expect(outcome(await runAt(17.5, [source]), source.id)?.outcome).toBe("not_modified");
  });

  it("does nothing when off", async () => {
    const tag = nonce();
    const url = `https://health.example.gov/off-${tag}.html`;
    await regulate(url, { html: "<p>x</p>" });
    const report = await withJobContext((ctx) =>
      watchSources(ctx, { sources: [watched(tag, "html", url, ["x"])], config: { mode: "off" } }),
    );
    expect(report).toMatchObject({ mode: "off", checked: [] });
    expect(await requestsTo(url)).toHaveLength(0);
    expect(regulatorUrl()).toMatch(/^http:\/\/127\.0\.0\.1:/);
  });
});

describe("freshness with watchers", () => {
  it("a review item older than the SLA makes the datasets it cites stale; resolving it makes them fresh", async () => {
    const tag = nonce();
    const cited = await freshDataset("cited", tag);
    const other = await freshDataset("uncited", tag);
    const url = `https://health.example.gov/sla-${tag}.html`;
    const source = watched(tag, "html", url, [cited.jurisdiction]);
    await regulate(url, { html: "<p>Rule text, first version.</p>" });
    await runAt(-90, [source]);
    await regulate(url, { html: "<p>Rule text, second version.</p>" });
    const changed = outcome(await runAt(-75, [source]), source.id);
    // The source keeps answering; only the review is late.
    await runAt(-1, [source]);

    const now = () => new Date(T0);
    const dataset = (f: Awaited<ReturnType<typeof loadFreshness>>, j: string) =>
      f.datasets.find((d) => d.jurisdiction === j);
    const before = await withJobContext((ctx) => loadFreshness({ db: ctx.db, now }));
    expect(dataset(before, cited.jurisdiction)).toMatchObject({
      fresh: false,
      staleReasons: ["review_overdue"],
      watchers: { sources: 1, openReviews: 1, overdueReviews: 1 },
    });
    expect(dataset(before, other.jurisdiction)).toMatchObject({ fresh: true, staleReasons: [] });
    expect(before.reviewSlaHours).toBe(72);

    const admin = await newAdmin();
    const listed = await call("/v1/admin/reviews?status=open&limit=100", { key: admin.key });
    const page = (await listed.json()) as { data: { id: string; overdue: boolean }[] };
    expect(page.data.find((r) => r.id === changed?.reviewId)?.overdue).toBe(true);
    // A version of a dataset that does not cite the source cannot be named.
    await expectProblem(
      await call(`/v1/admin/reviews/${changed?.reviewId}/resolve`, {
        method: "POST",
        key: admin.key,
        json: { resolution: "dataset_version", datasetVersionId: other.versionId, note: "Wrong one." },
      }),
      422,
      "validation_failed",
    );
    const resolved = await call(`/v1/admin/reviews/${changed?.reviewId}/resolve`, {
      method: "POST",
      key: admin.key,
      json: {
        resolution: "dataset_version",
        datasetVersionId: cited.versionId,
        note: "Deadline updated in 2026.2.",
      },
    });
    expect(resolved.status).toBe(200);
    expect(await resolved.json()).toMatchObject({
      status: "resolved",
      resolution: "dataset_version",
      datasetVersionId: cited.versionId,
      resolvedBy: admin.adminId,
      overdue: false,
    });

    const after = await withJobContext((ctx) => loadFreshness({ db: ctx.db, now }));
    expect(dataset(after, cited.jurisdiction)).toMatchObject({ fresh: true, staleReasons: [] });
    // A watched source that stops answering for longer than the window makes it stale too.
    const later = () => new Date(T0 + 49 * HOUR);
    const silent = await withJobContext((ctx) => loadFreshness({ db: ctx.db, now: later }));
    expect(dataset(silent, cited.jurisdiction)?.staleReasons).toContain("watchers_not_run");
  });
});
