/**
 * The Worker's entry: the HTTP app, the cron handler and the Durable Object classes.
 */

import { runScheduled } from "../cron";
import { withWorkerJobContext } from "../cron/context";
import { createApp } from "./app";
import type { Env } from "./env";

export { TenantObject } from "../durable-objects/tenant-object";

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled: (controller, env, ctx) => {
    ctx.waitUntil(withWorkerJobContext(env, (jobs) => runScheduled(controller.cron, jobs)));
  },
} satisfies ExportedHandler<Env>;
