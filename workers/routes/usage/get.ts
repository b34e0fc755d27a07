/**
 * GET /v1/usage — billable checks in [from, to), per hour or day and per state, read from
 * the tenant's meters (every meter shard, summed). Scope `usage:read`.
 *
 * Meters count per hour, so `from` is rounded down and `to` up to whole hours; the answer
 * names the range it counted. Defaults: the last 30 days, by day.
 */
import { describeRoute } from "hono-openapi";
import type { UsageGranularity, UsageRow } from "../../../durable-objects/contract";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { validationFailed } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { UsageQuerySchema, UsageSchema } from "./schemas";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const BUCKET_MS: Record<UsageGranularity, number> = { hour: HOUR_MS, day: DAY_MS };
/** Longest range per granularity, so a response stays a few hundred buckets. */
const MAX_RANGE_MS: Record<UsageGranularity, number> = { hour: 31 * DAY_MS, day: 400 * DAY_MS };
const DEFAULT_RANGE_MS = 30 * DAY_MS;

const floorTo = (ms: number, unit: number) => ms - (((ms % unit) + unit) % unit);
const ceilTo = (ms: number, unit: number) => floorTo(ms + unit - 1, unit);

/** Every bucket of the range, empty ones included, with the meters' counts filled in. */
export function usageSeries(
  rows: readonly UsageRow[],
  fromMs: number,
  toMs: number,
  granularity: UsageGranularity,
) {
  const step = BUCKET_MS[granularity];
  const byBucket = new Map<number, UsageRow[]>();
  for (const row of rows) {
    const bucket = byBucket.get(row.bucketMs);
    if (bucket) bucket.push(row);
    else byBucket.set(row.bucketMs, [row]);
  }
  const series = [];
  let total = 0;
  for (let bucket = floorTo(fromMs, step); bucket < toMs; bucket += step) {
    const byState: Record<string, number> = {};
    let count = 0;
    for (const row of byBucket.get(bucket) ?? []) {
      byState[row.state] = row.count;
      count += row.count;
    }
    total += count;
    series.push({ start: new Date(Math.max(bucket, fromMs)).toISOString(), count, byState });
  }
  return { total, series };
}

export function registerUsage(app: App): void {
  app.get(
    "/v1/usage",
    describeRoute({
      tags: ["Usage"],
      summary: "Billable checks per hour or day and per state",
      description:
        "`from` and `to` are dates (00:00 UTC) or RFC 3339 date-times; the range is [from, to) rounded out to whole hours and echoed back. Defaults: the last 30 days by day. At most 31 days by hour or 400 days by day.",
      responses: { 200: jsonResponse("Usage", UsageSchema), ...problemResponses(401, 403, 422) },
    }),
    authenticate,
    requireScope("usage:read"),
    validate("query", UsageQuerySchema),
    async (c) => {
      const query = c.req.valid("query");
      const { granularity } = query;
      const toMs = ceilTo(query.to ?? Date.now(), HOUR_MS);
      const fromMs = floorTo(query.from ?? toMs - DEFAULT_RANGE_MS, HOUR_MS);
      if (toMs - fromMs > MAX_RANGE_MS[granularity]) {
        const days = MAX_RANGE_MS[granularity] / DAY_MS;
        throw validationFailed([
          {
            pointer: "/query/from",
            detail: `must be at most ${days} days before to for granularity=${granularity}`,
          },
        ]);
      }
      const rows = await c.get("services").meters(c.get("principal").tenantId).usage({
        fromMs,
        toMs,
        granularity,
      });
      return c.json({
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
        granularity,
        ...usageSeries(rows, fromMs, toMs, granularity),
      });
    },
  );
}
