/**
 * The cron triggers in wrangler.toml, fired at the Worker's real `scheduled` handler: each
 * expression runs the pipeline jobs the schedule promises, and every environment has the same
 * triggers (a cron that exists only in one environment would silently never run elsewhere).
 */
import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { asPlatform } from "../db/client";
import { workerDb } from "../test/helpers";
import wranglerToml from "../wrangler.toml?raw";
import worker from "./index";

/** `crons = [...]` lines of wrangler.toml, in order: the top level first, then each environment. */
const cronLines = [...wranglerToml.matchAll(/^crons\s*=\s*\[(.*)\]\s*$/gm)].map((match) =>
  [...(match[1] ?? "").matchAll(/"([^"]+)"/g)].map((cron) => cron[1]),
);
const crons = cronLines[0] ?? [];

const EXPECTED_JOBS: Record<string, { jobs: string[]; refreshTrigger: string }> = {
  "0 2 * * *": { jobs: ["refresh", "freshness", "billing reconciliation"], refreshTrigger: "cron" },
  "0 * * * *": {
    jobs: [
      "retry refreshes",
      "source watchers",
      "freshness",
      "slo burn rates",
      "drift sweep",
      "reconcile watches",
      "evidence exports",
      "analytics",
    ],
    refreshTrigger: "retry",
  },
};

async function fire(cron: string): Promise<string[]> {
  const log = vi.spyOn(console, "log");
  const ctx = createExecutionContext();
  // Awaited whole: the handler returns the job's promise (waitUntil would be cut at 30 s here).
  await worker.scheduled(createScheduledController({ cron, scheduledTime: Date.now() }), env, ctx);
  await waitOnExecutionContext(ctx);
  return log.mock.calls
    .map(([line]) => (typeof line === "string" && line.startsWith("{") ? JSON.parse(line) : null))
    .filter((event) => event?.message === "scheduled job done" && event.cron === cron)
    .map((event) => event.job as string);
}

async function refreshRuns(trigger: string, since = new Date(0)): Promise<number> {
  const handle = workerDb();
  try {
    const result = await asPlatform(handle.db, (tx) =>
      tx.execute(
        // Only runs recorded as started by the scheduler count: a run must say who or what started it.
        sql`SELECT count(*)::int AS n FROM refresh_runs WHERE trigger = ${trigger} AND started_by = 'cron' AND started_at >= ${since.toISOString()}`,
      ),
    );
    return (result.rows[0] as { n: number }).n;
  } finally {
    await handle.close();
  }
}

afterEach(() => vi.restoreAllMocks());

describe("cron triggers", () => {
  it("wrangler.toml declares the two schedules, the same in every environment", () => {
    expect([...crons].sort()).toEqual(Object.keys(EXPECTED_JOBS).sort());
    expect(cronLines.length).toBeGreaterThanOrEqual(3);
    for (const line of cronLines) expect(line).toEqual(crons);
  });

  // The whole job runs, over every tenant the suite created before it (the drift sweep alone
  // visits ~160 of them): a minute and a half, not the default 30 s, on a loaded 2-core runner.
  it.each(Object.entries(EXPECTED_JOBS))(
    "%s runs its jobs in order",
    async (cron, expected) => {
      const since = new Date(Date.now() - 1_000);
      expect(await fire(cron)).toEqual(expected.jobs);
      expect(await refreshRuns(expected.refreshTrigger, since)).toBeGreaterThanOrEqual(1);
    },
    90_000,
  );

  it("an expression with no job runs nothing and does not throw", async () => {
    const nightlyRunsBefore = await refreshRuns("cron");
    const log = vi.spyOn(console, "log");
    expect(await fire("*/5 * * * *")).toEqual([]);
    expect(log.mock.calls.some(([line]) => String(line).includes("no job for cron expression"))).toBe(true);
    expect(await refreshRuns("cron")).toBe(nightlyRunsBefore);
  });
});
