/**
 * The freshness SLO: a dataset is fresh when its last successful refresh (the published
 * bundle checked) is under 24 h old AND every official source watched for it
 * (pipeline/watchers.ts) answered within WATCH_WINDOW_MS AND no review item citing it has
 * waited longer than REVIEW_SLA_MS; compliance is the share of active datasets that are fresh. The hourly check raises an
 * incident (PagerDuty Events API v2) when compliance falls below the target and resolves it
 * when it is back — once each, thanks to the stored incident state and a stable dedup key.
 */
import type { DatasetState } from "../db/datasets";
import { listDatasetStates } from "../db/datasets";
import { type WatchFreshnessInputs, watchFreshnessInputs } from "../db/source-reviews";
import { R2_SOURCE } from "./bundle";
import type { JobContext } from "./context";
import { type IncidentEvent, raiseOrResolve as raiseOrResolveIncident } from "./pagerduty";

export const FRESHNESS_WINDOW_MS = 24 * 60 * 60 * 1000;
/**
 * A watched source must have answered (200 or 304) within this window: the watchers check
 * each source every 12 h, so one failed day (with its backoff) is tolerated, two are not.
 */
export const WATCH_WINDOW_MS = 48 * 60 * 60 * 1000;
/** A change of an official text must be reviewed within this (docs/operations.md): 72 h. */
export const REVIEW_SLA_MS = 72 * 60 * 60 * 1000;

/** Why a dataset is not fresh. */
export type StaleReason = "bundle_not_checked" | "watchers_not_run" | "review_overdue";
/** Every dataset refreshed within the window: anything less is a breach. */
export const FRESHNESS_TARGET = 1;

/**
 * What a dataset's refresh reads: the published, signed bundle (the real upstream), the
 * Worker's own bundled copy (fresh by construction: the first-boot seed's default, local
 * development), another URL, or nothing.
 */
export type Upstream = "published_bundle" | "bundled_copy" | "url" | "none";

export function upstreamOf(sourceUrl: string | null | undefined): Upstream {
  if (!sourceUrl) return "none";
  if (sourceUrl.startsWith(R2_SOURCE)) return "published_bundle";
  if (sourceUrl.startsWith("bundled:")) return "bundled_copy";
  return "url";
}

export interface DatasetFreshness {
  jurisdiction: string;
  version: string | null;
  lastRefreshedAt: string | null;
  fresh: boolean;
  upstream: Upstream;
  /** Empty when fresh. */
  staleReasons: StaleReason[];
  /** The official sources watched for it (none: its freshness says nothing about official texts). */
  watchers: {
    sources: number;
    /** The oldest last answer among them (null: one never answered, or none watched). */
    lastRunAt: string | null;
    openReviews: number;
    /** Open review items older than the SLA. */
    overdueReviews: number;
  };
}

export interface Freshness {
  /** Share of active datasets fresh (see the header), 0…1 (1 when there are none). */
  compliance: number;
  /**
   * Share of active datasets read from the published bundle, 0…1: below 1 in staging or
   * production, some datasets still re-read the Worker's own copy and their freshness says
   * nothing about the regulations (docs/data-pipeline.md "Signed bundles").
   */
  publishedShare: number;
  /** Share of active datasets with at least one watched official source, 0…1. */
  watchedShare: number;
  reviewSlaHours: number;
  watchWindowHours: number;
  datasets: DatasetFreshness[];
}

export function isFresh(lastRefreshedAt: string | null, now: Date): boolean {
  return lastRefreshedAt !== null && now.getTime() - Date.parse(lastRefreshedAt) <= FRESHNESS_WINDOW_MS;
}

const NO_WATCH: WatchFreshnessInputs = { sources: [], openReviews: [] };

/** What the watchers say about one dataset, and whether that keeps it fresh. */
function watchState(jurisdiction: string, watch: WatchFreshnessInputs, now: Date) {
  const sources = watch.sources.filter((s) => s.datasets.includes(jurisdiction));
  const ran = sources.map((s) => s.lastSuccessAt);
  const lastRunAt = ran.length === 0 || ran.includes(null) ? null : ([...ran].sort()[0] ?? null);
  const reviews = watch.openReviews.filter((r) => r.datasets.includes(jurisdiction));
  const overdue = reviews.filter((r) => now.getTime() - Date.parse(r.openedAt) > REVIEW_SLA_MS).length;
  const reasons: StaleReason[] = [];
  if (sources.length > 0 && (lastRunAt === null || now.getTime() - Date.parse(lastRunAt) > WATCH_WINDOW_MS))
    reasons.push("watchers_not_run");
  if (overdue > 0) reasons.push("review_overdue");
  return {
    reasons,
    watchers: { sources: sources.length, lastRunAt, openReviews: reviews.length, overdueReviews: overdue },
  };
}

export function computeFreshness(
  states: readonly DatasetState[],
  now: Date,
  watch: WatchFreshnessInputs = NO_WATCH,
): Freshness {
  const datasets = states
    .filter((s) => s.activeVersionId !== null)
    .map((s) => {
      const { reasons, watchers } = watchState(s.jurisdiction, watch, now);
      const staleReasons: StaleReason[] = [
        ...(isFresh(s.lastRefreshedAt, now) ? [] : (["bundle_not_checked"] as const)),
        ...reasons,
      ];
      return {
        jurisdiction: s.jurisdiction,
        version: s.version,
        lastRefreshedAt: s.lastRefreshedAt,
        fresh: staleReasons.length === 0,
        upstream: upstreamOf(s.sourceUrl),
        staleReasons,
        watchers,
      };
    });
  const share = (n: number) => (datasets.length === 0 ? 1 : n / datasets.length);
  return {
    compliance: share(datasets.filter((d) => d.fresh).length),
    publishedShare: share(datasets.filter((d) => d.upstream === "published_bundle").length),
    watchedShare: share(datasets.filter((d) => d.watchers.sources > 0).length),
    reviewSlaHours: REVIEW_SLA_MS / 3_600_000,
    watchWindowHours: WATCH_WINDOW_MS / 3_600_000,
    datasets,
  };
}

export const breached = (freshness: Freshness) => freshness.compliance < FRESHNESS_TARGET;

export async function loadFreshness(ctx: Pick<JobContext, "db" | "now">): Promise<Freshness> {
  const [states, watch] = await Promise.all([listDatasetStates(ctx.db), watchFreshnessInputs(ctx.db)]);
  return computeFreshness(states, ctx.now(), watch);
}

export interface FreshnessCheck {
  freshness: Freshness;
  /** The event sent, if any (trigger on a new breach, resolve on recovery). */
  sent: IncidentEvent | null;
}

export async function checkFreshness(ctx: JobContext): Promise<FreshnessCheck> {
  return raiseOrResolve(ctx, await loadFreshness(ctx));
}

/** Triggers an incident on a new breach, resolves it on recovery, else does nothing. */
export async function raiseOrResolve(ctx: JobContext, freshness: Freshness): Promise<FreshnessCheck> {
  const stale = freshness.datasets.filter((d) => !d.fresh);
  const sent = await raiseOrResolveIncident(ctx, {
    dedupKey: freshnessDedupKey(ctx.environment),
    breach: breached(freshness),
    summary: {
      breach: `Dataset freshness SLO breached in ${ctx.environment}: ${stale.length} of ${freshness.datasets.length} datasets stale (bundle not checked within 24 h, watchers silent over ${freshness.watchWindowHours} h, or a source review open beyond ${freshness.reviewSlaHours} h)`,
      healthy: `Dataset freshness SLO healthy again in ${ctx.environment}`,
    },
    component: "dataset-refresh",
    customDetails: { compliance: freshness.compliance, target: FRESHNESS_TARGET, stale },
  });
  return { freshness, sent };
}

export const freshnessDedupKey = (environment: string) => `prep-${environment}-dataset-freshness`;
