/**
 * The freshness SLO: a dataset is fresh when its last successful refresh is under 24 h old;
 * compliance is the share of active datasets that are fresh. The hourly check raises an
 * incident (PagerDuty Events API v2) when compliance falls below the target and resolves it
 * when it is back — once each, thanks to the stored incident state and a stable dedup key.
 */
import type { DatasetState } from "../db/datasets";
import { listDatasetStates } from "../db/datasets";
import { R2_SOURCE } from "./bundle";
import type { JobContext } from "./context";
import { type IncidentEvent, raiseOrResolve as raiseOrResolveIncident } from "./pagerduty";

export const FRESHNESS_WINDOW_MS = 24 * 60 * 60 * 1000;
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
}

export interface Freshness {
  /** Share of active datasets refreshed within 24 h, 0…1 (1 when there are none). */
  compliance: number;
  /**
   * Share of active datasets read from the published bundle, 0…1: below 1 in staging or
   * production, some datasets still re-read the Worker's own copy and their freshness says
   * nothing about the regulations (docs/data-pipeline.md "Signed bundles").
   */
  publishedShare: number;
  datasets: DatasetFreshness[];
}

export function isFresh(lastRefreshedAt: string | null, now: Date): boolean {
  return lastRefreshedAt !== null && now.getTime() - Date.parse(lastRefreshedAt) <= FRESHNESS_WINDOW_MS;
}

export function computeFreshness(states: readonly DatasetState[], now: Date): Freshness {
  const datasets = states
    .filter((s) => s.activeVersionId !== null)
    .map((s) => ({
      jurisdiction: s.jurisdiction,
      version: s.version,
      lastRefreshedAt: s.lastRefreshedAt,
      fresh: isFresh(s.lastRefreshedAt, now),
      upstream: upstreamOf(s.sourceUrl),
    }));
  const fresh = datasets.filter((d) => d.fresh).length;
  const published = datasets.filter((d) => d.upstream === "published_bundle").length;
  return {
    compliance: datasets.length === 0 ? 1 : fresh / datasets.length,
    publishedShare: datasets.length === 0 ? 1 : published / datasets.length,
    datasets,
  };
}

export const breached = (freshness: Freshness) => freshness.compliance < FRESHNESS_TARGET;

export async function loadFreshness(ctx: Pick<JobContext, "db" | "now">): Promise<Freshness> {
  return computeFreshness(await listDatasetStates(ctx.db), ctx.now());
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
      breach: `Dataset freshness SLO breached in ${ctx.environment}: ${stale.length} of ${freshness.datasets.length} datasets not refreshed within 24 h`,
      healthy: `Dataset freshness SLO healthy again in ${ctx.environment}`,
    },
    component: "dataset-refresh",
    customDetails: { compliance: freshness.compliance, target: FRESHNESS_TARGET, stale },
  });
  return { freshness, sent };
}

export const freshnessDedupKey = (environment: string) => `prep-${environment}-dataset-freshness`;
