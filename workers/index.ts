/**
 * The Worker's entry: the HTTP app, the cron handler and the Durable Object classes.
 */
import { createApp } from "./app";
import type { Env } from "./env";
import { scheduled } from "./scheduled";

export { TenantObject } from "../durable-objects/tenant-object";

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled,
} satisfies ExportedHandler<Env>;
