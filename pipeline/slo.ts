/**
 * Service level objectives, their burn rates and the incidents they open.
 *
 * Three SLOs over a rolling 30 days, each "good events ÷ all events ≥ target":
 * - availability: API requests not answered 5xx;
 * - check_latency: checks answered within CHECK_LATENCY_THRESHOLD_MS (the p99 is under it
 *   exactly when ≥ 99 % are);
 * - data_freshness: active datasets fresh (bundle checked within 24 h, watchers answered within
 *   48 h, no source review older than 72 h: freshness.ts), sampled each hour.
 *
 * The hourly job records the last whole hour's good and total events per SLO in `slo_hours`
 * (from the Analytics Engine SQL API in production, this isolate's local metrics under
 * `npm start`: pipeline/slo-source.ts), then computes burn rates — how fast the error budget
 * is being spent, 1 = exactly on budget — and opens or resolves a PagerDuty incident per SLO:
 * a fast burn (≥ 14.4 over 1 h: 2 % of the 30-day budget in an hour) or a slow burn (≥ 6 over
 * 6 h, 5 % in six hours, and still ≥ 6 over the last hour) opens one; neither resolves it. Freshness keeps its own stricter
 * alert (pipeline/freshness.ts: any stale dataset pages), so it is recorded here but not
 * alerted twice.
 */
import { and, gte, lt, sql } from "drizzle-orm";
import { asPlatform, type Database } from "../db/client";
import { sloHours } from "../db/schema";
import { CHECK_LATENCY_THRESHOLD_MS, type HourTotals } from "../runtime/metrics";
import type { JobContext } from "./context";
import { freshnessDedupKey, loadFreshness } from "./freshness";
import { type IncidentEvent, raiseOrResolve } from "./pagerduty";

export type SloName = "availability" | "check_latency" | "data_freshness";

export interface SloDefinition {
  name: SloName;
  /** Share of good events, 0…1. */
  target: number;
  description: string;
  /** Whether the burn-rate job pages for it (freshness pages through its own check). */
  burnAlerts: boolean;
}

export const SLOS: readonly SloDefinition[] = [
  {
    name: "availability",
    target: 0.999,
    description: "API requests not answered with a 5xx status",
    burnAlerts: true,
  },
  {
    name: "check_latency",
    target: 0.99,
    description: `Checks answered within ${CHECK_LATENCY_THRESHOLD_MS} ms (check latency p99)`,
    burnAlerts: true,
  },
  {
    name: "data_freshness",
    target: 0.95,
    description:
      "Active datasets fresh: bundle checked within 24 h, official sources watched within 48 h, no source review open beyond 72 h; sampled hourly",
    burnAlerts: false,
  },
];

export const SLO_WINDOW_DAYS = 30;
const HOUR = 3_600_000;
/** Burn-rate alerts (Google SRE workbook, multiwindow): window in hours and threshold. */
export const FAST_BURN = { hours: 1, threshold: 14.4 } as const;
export const SLOW_BURN = { hours: 6, threshold: 6 } as const;

/** Where the hourly job reads request and check totals (pipeline/slo-source.ts). */
export interface OperationalMetricsSource {
  totals(from: Date, to: Date): Promise<HourTotals>;
}

export const sloDedupKey = (environment: string, slo: SloName) =>
  slo === "data_freshness" ? freshnessDedupKey(environment) : `prep-${environment}-slo-${slo}`;

/** Good ÷ total, 1 when there were no events (nothing failed). */
export const sloValue = (good: number, total: number) => (total === 0 ? 1 : good / total);

/** Error rate ÷ allowed error rate: 1 spends the budget exactly over the window. */
export function burnRate(target: number, good: number, total: number): number {
  return (1 - sloValue(good, total)) / (1 - target);
}

/** Share of the error budget left: 1 untouched, 0 spent, negative overspent. */
export const budgetRemaining = (target: number, value: number) => 1 - (1 - value) / (1 - target);

/** Good and total per SLO over [from, to). */
export async function sloTotals(
  db: Database,
  from: Date,
  to: Date,
): Promise<Record<SloName, { good: number; total: number }>> {
  const rows = await asPlatform(db, (tx) =>
    tx
      .select({
        slo: sloHours.slo,
        good: sql<string>`coalesce(sum(${sloHours.good}), 0)`,
        total: sql<string>`coalesce(sum(${sloHours.total}), 0)`,
      })
      .from(sloHours)
      .where(and(gte(sloHours.hour, from.toISOString()), lt(sloHours.hour, to.toISOString())))
      .groupBy(sloHours.slo),
  );
  const totals = Object.fromEntries(SLOS.map((s) => [s.name, { good: 0, total: 0 }])) as Record<
    SloName,
    { good: number; total: number }
  >;
  for (const row of rows) {
    if (row.slo in totals) totals[row.slo as SloName] = { good: Number(row.good), total: Number(row.total) };
  }
  return totals;
}

async function recordHour(
  db: Database,
  hour: Date,
  counts: Record<SloName, { good: number; total: number }>,
) {
  await asPlatform(db, async (tx) => {
    for (const [slo, { good, total }] of Object.entries(counts)) {
      // Rerunning an hour (a retried cron event) replaces its counts, never adds them twice.
      await tx
        .insert(sloHours)
        .values({ slo, hour: hour.toISOString(), good, total })
        .onConflictDoUpdate({ target: [sloHours.slo, sloHours.hour], set: { good, total } });
    }
  });
}

export interface SloBurn {
  slo: SloName;
  fastBurn: number;
  slowBurn: number;
  breach: boolean;
  sent: IncidentEvent | null;
}

/**
 * The hourly SLO step: record the last whole hour, compute burn rates, open or resolve
 * incidents. Without a metrics source (the CLI) only freshness is recorded.
 */
export async function checkSlos(ctx: JobContext, source = ctx.operationalMetrics): Promise<SloBurn[]> {
  const now = ctx.now();
  const hourEnd = new Date(Math.floor(now.getTime() / HOUR) * HOUR);
  const hourStart = new Date(hourEnd.getTime() - HOUR);
  const freshness = await loadFreshness(ctx);
  const fresh = freshness.datasets.filter((d) => d.fresh).length;
  const counts: Partial<Record<SloName, { good: number; total: number }>> = {
    data_freshness: { good: fresh, total: freshness.datasets.length },
  };
  if (source) {
    const t = await source.totals(hourStart, hourEnd);
    counts.availability = { good: t.requests - t.serverErrors, total: t.requests };
    counts.check_latency = { good: t.checks - t.slowChecks, total: t.checks };
  }
  await recordHour(ctx.db, hourStart, counts as Record<SloName, { good: number; total: number }>);
  if (!source) return [];

  const [fast, slow] = await Promise.all(
    [FAST_BURN, SLOW_BURN].map((w) =>
      sloTotals(ctx.db, new Date(hourEnd.getTime() - w.hours * HOUR), hourEnd),
    ),
  );
  const burns: SloBurn[] = [];
  for (const slo of SLOS.filter((s) => s.burnAlerts)) {
    const f = fast?.[slo.name] ?? { good: 0, total: 0 };
    const s = slow?.[slo.name] ?? { good: 0, total: 0 };
    const fastBurn = burnRate(slo.target, f.good, f.total);
    const slowBurn = burnRate(slo.target, s.good, s.total);
    // Multiwindow: a slow burn pages only while the last hour burns as fast too, so the first
    // clean hour resolves it instead of the six-hour window keeping it open (or reopening it).
    const fastBreach = fastBurn >= FAST_BURN.threshold;
    const breach = fastBreach || (slowBurn >= SLOW_BURN.threshold && fastBurn >= SLOW_BURN.threshold);
    const sent = await raiseOrResolve(ctx, {
      dedupKey: sloDedupKey(ctx.environment, slo.name),
      breach,
      summary: {
        breach: `${slo.name} SLO ${fastBreach ? "fast" : "slow"} burn in ${ctx.environment}: error budget burning ${(fastBreach ? fastBurn : slowBurn).toFixed(1)}× (${fastBreach ? "1 h" : "6 h"} window); RUNBOOK.md "SLO burn"`,
        healthy: `${slo.name} SLO burn rate back under its thresholds in ${ctx.environment}`,
      },
      component: "slo",
      customDetails: { slo: slo.name, target: slo.target, fastBurn, slowBurn, hour: hourStart.toISOString() },
    });
    burns.push({ slo: slo.name, fastBurn, slowBurn, breach, sent });
  }
  return burns;
}
