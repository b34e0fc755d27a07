/**
 * The Worker's cron handler: each trigger in wrangler.toml runs its pipeline job
 * (pipeline/schedule.ts) on a database opened for the event.
 */
import { runScheduled } from "../pipeline/schedule";
import type { Env } from "./env";
import { withWorkerJobContext } from "./job-context";

/**
 * Returns the job's promise rather than handing it to `waitUntil`: the runtime waits for it
 * either way (a cron event may run 15 minutes), but a returned promise also marks the event
 * failed when a step throws, and lets a caller (the schedule's test) await the whole run.
 */
export const scheduled: ExportedHandlerScheduledHandler<Env> = async (controller, env) => {
  await withWorkerJobContext(env, (jobs) => runScheduled(controller.cron, jobs));
};
