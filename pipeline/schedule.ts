/**
 * The scheduled jobs by cron expression (wrangler.toml `[triggers] crons`):
 *
 * - NIGHTLY (02:00 UTC): refresh every dataset from its source (new versions carry their
 *   diff report), tell affected tenants, then check freshness.
 * - HOURLY: retry failed refreshes that are due, check the freshness SLO (incident
 *   trigger/resolve), and sweep for rule changes tenants have not heard of yet (overrides
 *   approved or expiring, versions activated from the CLI, failed notifications).
 */
import type { JobContext } from "./context";
import { sweepDrift } from "./drift-sweep";
import { checkFreshness } from "./freshness";
import { refreshDatasets } from "./refresh";

export const NIGHTLY_CRON = "0 2 * * *";
export const HOURLY_CRON = "0 * * * *";

export async function runNightly(ctx: JobContext) {
  const refresh = await refreshDatasets(ctx, { trigger: "cron" });
  const freshness = await checkFreshness(ctx);
  return { refresh, freshness };
}

export async function runHourly(ctx: JobContext) {
  const retries = await refreshDatasets(ctx, { trigger: "retry", dueOnly: true });
  const freshness = await checkFreshness(ctx);
  const drift = await sweepDrift(ctx, { reason: "drift sweep" });
  return { retries, freshness, drift };
}

const JOBS: Record<string, (ctx: JobContext) => Promise<unknown>> = {
  [NIGHTLY_CRON]: runNightly,
  [HOURLY_CRON]: runHourly,
};

/** Runs the job configured for `cron`; an unknown expression is logged, never thrown. */
export async function runScheduled(cron: string, ctx: JobContext): Promise<unknown> {
  const job = JOBS[cron];
  if (!job) {
    ctx.log({ level: "error", message: "no job for cron expression", cron });
    return null;
  }
  const result = await job(ctx);
  ctx.log({ message: "scheduled job done", cron });
  return result;
}
