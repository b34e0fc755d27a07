/**
 * Where the hourly SLO job reads request and check totals: the Workers Analytics Engine SQL
 * API in staging and production (the dataset runtime/metrics.ts writes), this isolate's local
 * metrics under `npm start`. Counts are weighted by `_sample_interval`, so sampling under
 * heavy load does not skew them.
 */
import {
  CHECK_LATENCY_THRESHOLD_MS,
  CHECK_ROUTES,
  type HourTotals,
  type LocalMetrics,
} from "../runtime/metrics";
import type { OperationalMetricsSource } from "./slo";

export const ANALYTICS_SQL_API = (accountId: string) =>
  `https://api.cloudflare.com/client/v4/accounts/${accountId}/analytics_engine/sql`;

const sqlTime = (d: Date) => `toDateTime('${d.toISOString().slice(0, 19).replace("T", " ")}')`;
const isCheckSql = `blob3 = 'POST' AND blob2 IN (${CHECK_ROUTES.map((r) => `'${r}'`).join(", ")})`;

/** The query for [from, to): the blob and double positions are runtime/metrics.ts's layout. */
export function totalsQuery(dataset: string, from: Date, to: Date): string {
  if (!/^[A-Za-z0-9_]+$/.test(dataset)) throw new Error(`not a dataset name: ${dataset}`);
  return `SELECT
  SUM(_sample_interval) AS requests,
  SUM(IF(double2 >= 500, _sample_interval, 0)) AS server_errors,
  SUM(IF(${isCheckSql}, _sample_interval, 0)) AS checks,
  SUM(IF(${isCheckSql} AND double1 > ${CHECK_LATENCY_THRESHOLD_MS}, _sample_interval, 0)) AS slow_checks
FROM ${dataset}
WHERE blob1 = 'request' AND timestamp >= ${sqlTime(from)} AND timestamp < ${sqlTime(to)}
FORMAT JSON`;
}

export function analyticsEngineSource(options: {
  fetch: typeof fetch;
  accountId: string;
  apiToken: string;
  dataset: string;
  /** The SQL API's address; tests point it at a loopback server. */
  url?: string;
}): OperationalMetricsSource {
  return {
    async totals(from, to) {
      const response = await options.fetch(options.url ?? ANALYTICS_SQL_API(options.accountId), {
        method: "POST",
        headers: { authorization: `Bearer ${options.apiToken}` },
        body: totalsQuery(options.dataset, from, to),
        signal: AbortSignal.timeout(15_000),
      });
      if (!response.ok) {
        await response.body?.cancel();
        throw new Error(`Analytics Engine SQL API answered HTTP ${response.status}`);
      }
      const body = (await response.json()) as { data?: Record<string, unknown>[] };
      const row = body.data?.[0] ?? {};
      const n = (key: string) => Number(row[key] ?? 0) || 0;
      return {
        requests: n("requests"),
        serverErrors: n("server_errors"),
        checks: n("checks"),
        slowChecks: n("slow_checks"),
      } satisfies HourTotals;
    },
  };
}

/** Under `npm start`: the totals this isolate's local metrics kept. */
export function localSource(local: LocalMetrics): OperationalMetricsSource {
  return { totals: async (from, to) => local.totals(from, to) };
}
