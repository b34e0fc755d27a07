/**
 * Source watchers (docs/data-pipeline.md "Source watchers", ADR 0020): every official source a
 * dataset's rules come from (compliance/sources/watched.json) is fetched politely — conditional
 * requests (If-None-Match / If-Modified-Since), a User-Agent naming Prep, one request at a
 * time, backoff after failures that never retries before a 429/503's Retry-After — normalised
 * to text and hashed. A changed hash opens one review item (db/source-reviews.ts) with the
 * unified diff, the source and the rules citing it, and a low-urgency incident; an unchanged
 * next run opens nothing.
 *
 * Where requests go is configuration (`SOURCE_WATCHERS`): `off` (the default: development
 * never reaches the internet), `on` (the official URLs), or an origin through which every
 * source is fetched as `<origin>/<host><path>?<query>` (loopback servers in tests, a mirror).
 */
import { type WatchedSource, watchedSources } from "../compliance";
import { openIncidentKeys, REVIEW_INCIDENT_MARK } from "../db/incidents";
import {
  openReviewsFor,
  recordAnswer,
  recordChange,
  recordFailure,
  reviewsByIds,
  type SourceReviewRow,
  syncWatchedSources,
  type WatchedSourceRow,
} from "../db/source-reviews";
import { nextAttemptAt } from "./backoff";
import type { JobContext } from "./context";
import { raiseOrResolve } from "./pagerduty";
import { hashText, MAX_BODY_BYTES, normaliseSource, UnreadableSource, unifiedDiff } from "./source-text";

interface Reach {
  /** Legistar Web API tokens by client (`nyc`), added as `token=` to that client's requests. */
  legistarTokens?: Record<string, string>;
  /** How a source's operator reaches Prep (an email or URL), added to the User-Agent. */
  contact?: string;
}

export type WatchersConfig =
  | { mode: "off" }
  | ({ mode: "on" } & Reach)
  | ({ mode: "mirror"; origin: string } & Reach);

/**
 * `SOURCE_WATCHERS` (off | on | an http(s) origin), `LEGISTAR_TOKENS` (JSON: client → token)
 * and `SOURCE_WATCHERS_CONTACT` as the Worker reads them; anything unreadable is off, with
 * the reason (logged by the job).
 */
export function watchersConfig(env: {
  SOURCE_WATCHERS?: string | undefined;
  LEGISTAR_TOKENS?: string | undefined;
  SOURCE_WATCHERS_CONTACT?: string | undefined;
}): WatchersConfig | { mode: "off"; problem: string } {
  const setting = (env.SOURCE_WATCHERS ?? "").trim();
  if (setting === "" || setting === "off") return { mode: "off" };
  const reach: Reach = {};
  if (env.SOURCE_WATCHERS_CONTACT) reach.contact = env.SOURCE_WATCHERS_CONTACT.replace(/[^\x20-\x7e]/g, "");
  if (env.LEGISTAR_TOKENS) {
    try {
      const tokens = JSON.parse(env.LEGISTAR_TOKENS) as unknown;
      if (!tokens || typeof tokens !== "object" || Array.isArray(tokens)) throw new Error("not an object");
      reach.legistarTokens = tokens as Record<string, string>;
    } catch {
      return { mode: "off", problem: "LEGISTAR_TOKENS is not a JSON object of client → token" };
    }
  }
  if (setting === "on") return { mode: "on", ...reach };
  try {
    const origin = new URL(setting);
    if (origin.protocol === "https:" || origin.protocol === "http:")
      return { mode: "mirror", origin: origin.origin, ...reach };
  } catch {
    // Falls through.
  }
  return { mode: "off", problem: `SOURCE_WATCHERS must be off, on or an http(s) origin, not ${setting}` };
}

/** Prep names itself to every source it watches (and, when configured, how to reach its operators). */
export function userAgent(config: WatchersConfig): string {
  const contact = config.mode === "off" ? undefined : config.contact;
  return `Prep-SourceWatcher/1.0 (food-safety compliance; checks official texts for changes${contact ? `; ${contact}` : ""})`;
}
/** How often a source that answers is checked again (the job runs hourly; most runs check nothing). */
export const CHECK_INTERVAL_MS = 12 * 3_600_000;
/** A minute's slack, so an hourly trigger firing a little early still finds the source due. */
const SLACK_MS = 5 * 60_000;
/** A Retry-After beyond this is capped (a misconfigured server must not silence a source for ever). */
const MAX_RETRY_AFTER_MS = 7 * 24 * 3_600_000;

/** The address a source is requested at under `config`, with a Legistar token where one is configured. */
export function requestUrl(source: Pick<WatchedSource, "kind" | "url">, config: WatchersConfig): string {
  const official = new URL(source.url);
  if (source.kind === "legistar") {
    const client = official.pathname.split("/")[2] ?? "";
    const token = config.mode === "off" ? undefined : config.legistarTokens?.[client];
    if (token) official.searchParams.set("token", token);
  }
  if (config.mode !== "mirror") return official.href;
  return `${config.origin}/${official.host}${official.pathname}${official.search}`;
}

/** Seconds or an HTTP date, as milliseconds from `now`; null when absent or unreadable. */
export function retryAfterMs(header: string | null, now: Date): number | null {
  if (!header) return null;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Math.min(Number(value) * 1000, MAX_RETRY_AFTER_MS);
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.min(Math.max(0, at - now.getTime()), MAX_RETRY_AFTER_MS);
}

type Answer =
  | { kind: "not_modified"; etag: string | null; lastModified: string | null }
  | { kind: "content"; body: string; etag: string | null; lastModified: string | null }
  | { kind: "failed"; error: string; retryAfterMs: number | null };

const ACCEPT: Record<WatchedSource["kind"], string> = {
  ecfr: "application/json",
  federal_register: "application/json",
  legistar: "application/json",
  html: "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1",
};

async function fetchPolitely(
  ctx: JobContext,
  row: WatchedSourceRow,
  config: WatchersConfig,
): Promise<Answer> {
  const headers: Record<string, string> = {
    "user-agent": userAgent(config),
    accept: ACCEPT[row.kind as WatchedSource["kind"]],
  };
  // Validators only for the text we hold: without it a 304 could not be compared with anything.
  if (row.contentHash && row.etag) headers["if-none-match"] = row.etag;
  if (row.contentHash && row.lastModified) headers["if-modified-since"] = row.lastModified;
  let response: Response;
  try {
    response = await ctx.fetch(
      requestUrl({ kind: row.kind as WatchedSource["kind"], url: row.url }, config),
      {
        headers,
        redirect: "follow",
        signal: AbortSignal.timeout(ctx.fetchTimeoutMs),
      },
    );
  } catch (error) {
    const name = (error as Error)?.name;
    const timedOut = name === "TimeoutError" || name === "AbortError";
    return {
      kind: "failed",
      error: timedOut ? `no answer within ${ctx.fetchTimeoutMs} ms` : `network: ${String(error)}`,
      retryAfterMs: null,
    };
  }
  const etag = response.headers.get("etag");
  const lastModified = response.headers.get("last-modified");
  if (response.status === 304) return { kind: "not_modified", etag, lastModified };
  if (!response.ok) {
    await response.body?.cancel();
    const retry = response.status === 429 || response.status >= 500;
    return {
      kind: "failed",
      error: `HTTP ${response.status}`,
      retryAfterMs: retry ? retryAfterMs(response.headers.get("retry-after"), ctx.now()) : null,
    };
  }
  const length = Number(response.headers.get("content-length") ?? 0);
  if (length > MAX_BODY_BYTES) {
    await response.body?.cancel();
    return {
      kind: "failed",
      error: `answer of ${length} bytes is over ${MAX_BODY_BYTES}`,
      retryAfterMs: null,
    };
  }
  try {
    const body = await response.text();
    if (body.length > MAX_BODY_BYTES)
      return { kind: "failed", error: "answer over the size limit", retryAfterMs: null };
    return { kind: "content", body, etag, lastModified };
  } catch (error) {
    return { kind: "failed", error: `reading the answer: ${String(error)}`, retryAfterMs: null };
  }
}

export type WatchOutcome = "baseline" | "not_modified" | "unchanged" | "changed" | "failed";

export interface WatchResult {
  sourceId: string;
  outcome: WatchOutcome;
  reviewId?: string;
  /** Whether the change opened a new item (false: it updated the source's open item). */
  opened?: boolean;
  error?: string;
  nextAttemptAt?: string;
}

export interface WatchReport {
  mode: WatchersConfig["mode"];
  checked: WatchResult[];
  /** Sources not due this run (checked within the interval, or backing off). */
  skipped: number;
  incidents: { triggered: number; resolved: number };
}

export function isDue(row: WatchedSourceRow, now: Date): boolean {
  if (row.nextAttemptAt) return Date.parse(row.nextAttemptAt) <= now.getTime();
  if (!row.lastCheckedAt) return true;
  return now.getTime() - Date.parse(row.lastCheckedAt) >= CHECK_INTERVAL_MS - SLACK_MS;
}

/**
 * The hourly step: checks every due source of `sources` (the committed list by default, which
 * also forgets sources no longer listed), then brings the review incidents in line with the
 * open items. Off: does nothing.
 */
export async function watchSources(
  ctx: JobContext,
  options: { sources?: readonly WatchedSource[]; config?: WatchersConfig } = {},
): Promise<WatchReport> {
  const config = options.config ?? ctx.watchers ?? { mode: "off" };
  const report: WatchReport = {
    mode: config.mode,
    checked: [],
    skipped: 0,
    incidents: { triggered: 0, resolved: 0 },
  };
  if (config.mode === "off") {
    if ("problem" in config) ctx.log({ level: "error", message: `source watchers off: ${config.problem}` });
    return report;
  }
  const sources = options.sources ?? watchedSources;
  const rows = await syncWatchedSources(ctx.db, sources, { retireOthers: options.sources === undefined });
  for (const row of rows) {
    if (!isDue(row, ctx.now())) {
      report.skipped++;
      continue;
    }
    const result = await checkSource(ctx, row, config);
    report.checked.push(result);
    ctx.log({ message: "source watched", ...result });
  }
  report.incidents = await syncReviewIncidents(
    ctx,
    sources.flatMap((s) => s.datasets),
  );
  return report;
}

/** One source: fetch, normalise, hash, compare; records the outcome (and the review item). */
export async function checkSource(
  ctx: JobContext,
  row: WatchedSourceRow,
  config: WatchersConfig,
): Promise<WatchResult> {
  const now = ctx.now();
  const answer = await fetchPolitely(ctx, row, config);
  if (answer.kind === "failed") return fail(ctx, row, answer.error, answer.retryAfterMs);
  if (answer.kind === "not_modified") {
    await recordAnswer(ctx.db, row.id, { now, etag: answer.etag, lastModified: answer.lastModified });
    return { sourceId: row.id, outcome: "not_modified" };
  }
  let text: string;
  try {
    text = normaliseSource(row.kind as WatchedSource["kind"], answer.body);
  } catch (error) {
    if (error instanceof UnreadableSource) return fail(ctx, row, error.message, null);
    throw error;
  }
  const hash = await hashText(text);
  const validators = { etag: answer.etag, lastModified: answer.lastModified };
  if (row.contentHash === null || row.contentHash === hash) {
    await recordAnswer(ctx.db, row.id, { now, ...validators, content: { hash, text } });
    return { sourceId: row.id, outcome: row.contentHash === null ? "baseline" : "unchanged" };
  }
  const { review, opened } = await recordChange(ctx.db, row, {
    now,
    ...validators,
    fromHash: row.contentHash,
    toHash: hash,
    text,
    diff: (before, after) => unifiedDiff(row.id, before, after),
  });
  return { sourceId: row.id, outcome: "changed", reviewId: review.id, opened };
}

async function fail(
  ctx: JobContext,
  row: WatchedSourceRow,
  error: string,
  retryAfter: number | null,
): Promise<WatchResult> {
  const now = ctx.now();
  const backoff = nextAttemptAt(row.failureCount + 1, now).getTime();
  // Never sooner than the source asked; never sooner than our own backoff either.
  const next = new Date(Math.max(backoff, now.getTime() + (retryAfter ?? 0)));
  await recordFailure(ctx.db, row.id, { now, error, nextAttemptAt: next });
  return { sourceId: row.id, outcome: "failed", error, nextAttemptAt: next.toISOString() };
}

export const reviewDedupKey = (environment: string, reviewId: string) =>
  `prep-${environment}${REVIEW_INCIDENT_MARK}${reviewId}`;

/**
 * One low-urgency incident per open review item (PagerDuty severity `warning`), resolved once
 * its item is: triggered for open items of `datasets` without one, resolved for incidents
 * whose item was resolved. Idempotent, so a failed webhook is retried by the next run.
 */
export async function syncReviewIncidents(
  ctx: JobContext,
  datasets: readonly string[],
): Promise<{ triggered: number; resolved: number }> {
  const counts = { triggered: 0, resolved: 0 };
  const prefix = reviewDedupKey(ctx.environment, "");
  const open = datasets.length ? await openReviewsFor(ctx.db, datasets) : [];
  for (const review of open) {
    if (await raiseReviewIncident(ctx, review, true)) counts.triggered++;
  }
  const keys = (await openIncidentKeys(ctx.db, prefix)).filter((key) => key.startsWith(prefix));
  const items = await reviewsByIds(
    ctx.db,
    keys.map((key) => key.slice(prefix.length)),
  );
  for (const review of items.filter((r) => r.status === "resolved")) {
    if (await raiseReviewIncident(ctx, review, false)) counts.resolved++;
  }
  return counts;
}

async function raiseReviewIncident(
  ctx: JobContext,
  review: SourceReviewRow,
  open: boolean,
): Promise<boolean> {
  try {
    const sent = await raiseOrResolve(ctx, {
      dedupKey: reviewDedupKey(ctx.environment, review.id),
      breach: open,
      severity: "warning",
      summary: {
        breach: `Official source changed, review waiting in ${ctx.environment}: ${review.sourceTitle} — cited by ${review.ruleIds.length} rule(s) of ${review.datasets.join(", ")}; GET /v1/admin/reviews, RUNBOOK.md "Source review items"`,
        healthy: `Source review ${review.id} resolved in ${ctx.environment}`,
      },
      component: "source-watchers",
      customDetails: {
        reviewId: review.id,
        sourceId: review.sourceId,
        url: review.sourceUrl,
        datasets: review.datasets,
        rules: review.ruleIds,
        openedAt: review.openedAt,
      },
    });
    return sent !== null;
  } catch (error) {
    // The next hourly run tries again; a webhook outage must not stop the watchers.
    ctx.log({
      level: "error",
      message: "source review incident not sent",
      reviewId: review.id,
      error: String(error),
    });
    return false;
  }
}
