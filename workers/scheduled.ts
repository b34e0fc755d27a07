/**
 * The Worker's cron handler: each trigger in wrangler.toml runs its pipeline job
 * (pipeline/schedule.ts) on a database opened for the event.
 */
import { runScheduled } from "../pipeline/schedule";
import type { Env } from "./env";
import { withWorkerJobContext } from "./job-context";

export const scheduled: ExportedHandlerScheduledHandler<Env> = (controller, env, ctx) => {
  ctx.waitUntil(withWorkerJobContext(env, (jobs) => runScheduled(controller.cron, jobs)));
};
