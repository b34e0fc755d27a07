/**
 * The scheduled jobs by cron expression (wrangler.toml `[triggers] crons`):
 *
 * - NIGHTLY (02:00 UTC): refresh every dataset from its source (new versions carry their
 *   diff report), tell affected tenants, then check freshness; reconcile billing with
 *   Stripe's meter (billing-reconciliation.ts; nothing to do in local mode).
 * - HOURLY: retry failed refreshes that are due, check the official sources that are due
 *   (watchers.ts: every 12 h per source, failures backed off; off in development), check the freshness SLO (incident
 *   trigger/resolve), record the SLOs' last hour and page on fast or slow burns (slo.ts), and sweep for rule changes tenants have not heard of yet (overrides
 *   approved or expiring, versions activated from the CLI, failed notifications), then
 *   reconcile each tenant object's facilities with Postgres (reconcile-watches.ts), queue
 *   scheduled evidence exports of closed periods and announce ready ones (evidence-schedule.ts),
 *   then drain the product-analytics outbox (runtime/analytics-outbox.ts).
 *
 * Each step is named, and logged as it finishes, so an operator (and the schedule's test)
 * can see which jobs a trigger ran.
 */
import { drainAnalytics } from "../runtime/analytics-outbox";
import { reconcileBilling } from "./billing-reconciliation";
import type { JobContext } from "./context";
import { sweepDrift } from "./drift-sweep";
import { runScheduledExports } from "./evidence-schedule";
import { checkFreshness } from "./freshness";
import { reconcileWatches } from "./reconcile-watches";
import { refreshDatasets } from "./refresh";
import { checkSlos } from "./slo";
import { watchSources } from "./watchers";

export const NIGHTLY_CRON = "0 2 * * *";
export const HOURLY_CRON = "0 * * * *";

type Step = readonly [name: string, run: (ctx: JobContext) => Promise<unknown>];

/** What the scheduler records as having started its runs (no person did). */
export const CRON_ACTOR = "cron";

const refreshAll: Step = [
  "refresh",
  (ctx) => refreshDatasets(ctx, { trigger: "cron", startedBy: CRON_ACTOR }),
];
const retryDue: Step = [
  "retry refreshes",
  (ctx) => refreshDatasets(ctx, { trigger: "retry", startedBy: CRON_ACTOR, dueOnly: true }),
];
const freshness: Step = ["freshness", checkFreshness];
// Source watchers (ADR 0020): the official texts due a check; review items and their incidents.
const watchers: Step = ["source watchers", (ctx) => watchSources(ctx)];
const slos: Step = ["slo burn rates", (ctx) => checkSlos(ctx)];
const driftSweep: Step = ["drift sweep", (ctx) => sweepDrift(ctx, { reason: "drift sweep" })];
const reconcile: Step = ["reconcile watches", (ctx) => reconcileWatches(ctx)];
const billing: Step = ["billing reconciliation", reconcileBilling];
// Evidence vault: queue exports of closed months/quarters; announce the ready ones.
const evidenceSchedule: Step = ["evidence exports", runScheduledExports];

/**
 * Product analytics: whatever requests did not drain (checks, which the tenant objects queue,
 * and retries after an outage): up to 20,000 events or 10 s per run, so the hourly job stays
 * short; a larger backlog takes several runs (ADR 0018, "Revisit if").
 */
const analytics: Step = [
  "analytics",
  async (ctx) => {
    const setup = ctx.analytics;
    if (!setup) return null;
    if ("error" in setup) {
      ctx.log({ level: "error", message: `analytics: ${setup.error}` });
      return null;
    }
    return drainAnalytics({ db: ctx.db, setup, maxBatches: 200, budgetMs: 10_000, log: ctx.log });
  },
];

export const SCHEDULE: Readonly<Record<string, readonly Step[]>> = {
  [NIGHTLY_CRON]: [refreshAll, freshness, billing],
  [HOURLY_CRON]: [retryDue, watchers, freshness, slos, driftSweep, reconcile, evidenceSchedule, analytics],
};

/** Runs the steps configured for `cron`, in order; an unknown expression is logged, never thrown. */
export async function runScheduled(cron: string, ctx: JobContext): Promise<Record<string, unknown> | null> {
  const steps = SCHEDULE[cron];
  if (!steps) {
    ctx.log({ level: "error", message: "no job for cron expression", cron });
    return null;
  }
  const results: Record<string, unknown> = {};
  for (const [name, run] of steps) {
    results[name] = await run(ctx);
    ctx.log({ message: "scheduled job done", cron, job: name });
  }
  return results;
}
