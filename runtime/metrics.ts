/**
 * Operational metrics: one data point per API request (and per check a tenant object meters),
 * behind one small interface with three implementations:
 *
 * - Workers Analytics Engine (`METRICS` binding, staging and production): `writeDataPoint`
 *   with the tenant as the sampling index, queried later through the SQL API
 *   (pipeline/slo-source.ts) and Grafana (grafana/dashboards/).
 * - Local (no binding: `npm start`, tests): a structured log line, plus hourly totals kept in
 *   this isolate so the hourly SLO job has something to read under `npm start`.
 * - A test double (`recordingMetrics`) that keeps the points it was given.
 *
 * Writing is never on a request's critical path: `deferMetric` schedules it after the
 * response (waitUntil) and swallows a failing sink's error, which only costs the point.
 */

/** blob1 of every point; the dashboards filter on it (grafana/dashboards.test.ts checks they use only these). */
export const METRIC_KINDS = ["request", "metered_check", "drift_alert"] as const;
export type MetricKind = (typeof METRIC_KINDS)[number];

/** What one request or evaluation tells us. Blob and double positions are the dataset's schema. */
export interface MetricPoint {
  /**
   * `request` for the Worker's API requests, `metered_check` for a check a tenant object
   * recorded, `drift_alert` for an alert a tenant object raised (a verdict changed).
   */
  kind: MetricKind;
  /** The route pattern (`/v1/facilities/:id`), never the raw path: bounded cardinality. */
  route: string;
  method: string;
  status: number;
  latencyMs: number;
  /** Tenant id, or "" for unauthenticated and platform requests. */
  tenant: string;
  /** The two-letter state a check concerned, or "". */
  state: string;
  /** The tenant's plan, or "" when unknown. */
  plan: string;
  /** Cloudflare location (colo) that served the request, or "". */
  region: string;
}

export interface Metrics {
  write(point: MetricPoint): void | Promise<void>;
}

/** The subset of Analytics Engine's binding that Prep uses. */
export interface AnalyticsEngineLike {
  writeDataPoint(event: { indexes?: string[]; blobs?: string[]; doubles?: number[] }): void;
}

export const statusClass = (status: number) => `${Math.floor(status / 100)}xx`;

/**
 * The Analytics Engine layout, shared with the SQL in pipeline/slo-source.ts and the
 * dashboards: blob1 kind, blob2 route, blob3 method, blob4 status class, blob5 tenant,
 * blob6 state, blob7 plan, blob8 region; double1 latency (ms), double2 status.
 */
export function analyticsEngineMetrics(dataset: AnalyticsEngineLike): Metrics {
  return {
    write: (p) =>
      dataset.writeDataPoint({
        // Sampling is per index: a tenant's points are sampled together, so per-tenant counts
        // stay right under heavy load; platform requests share the empty index.
        indexes: [p.tenant],
        blobs: [p.kind, p.route, p.method, statusClass(p.status), p.tenant, p.state, p.plan, p.region],
        doubles: [p.latencyMs, p.status],
      }),
  };
}

/** Hourly totals the local implementation keeps (what the SLO job reads under `npm start`). */
export interface HourTotals {
  requests: number;
  serverErrors: number;
  checks: number;
  /** Checks slower than the latency SLO's threshold. */
  slowChecks: number;
}

/** Routes that are "checks" for the latency SLO: the check endpoints of the API. */
export const CHECK_ROUTES = ["/v1/checks", "/v1/facilities/:id/checks"] as const;
/** The latency SLO's threshold: a check's p99 under this means 99 % of checks are faster. */
export const CHECK_LATENCY_THRESHOLD_MS = 500;

export const isCheck = (p: Pick<MetricPoint, "kind" | "route" | "method">) =>
  p.kind === "request" && p.method === "POST" && (CHECK_ROUTES as readonly string[]).includes(p.route);

const HOURS_KEPT = 24 * 31;

/**
 * Local metrics: a JSON log line per point (only 5xx points when `errorsOnly`: the test suites
 * send tens of thousands of requests) and in-isolate hourly totals (bounded to 31 days).
 */
export class LocalMetrics implements Metrics {
  private readonly hours = new Map<number, HourTotals>();
  errorsOnly = false;

  constructor(
    private readonly log: (line: string) => void = console.log,
    private readonly now: () => number = Date.now,
  ) {}

  write(p: MetricPoint): void {
    if (!this.errorsOnly || p.status >= 500)
      this.log(
        JSON.stringify({ level: "info", message: "metric", ...p, statusClass: statusClass(p.status) }),
      );
    if (p.kind !== "request") return;
    const hour = Math.floor(this.now() / 3_600_000);
    let totals = this.hours.get(hour);
    if (!totals) {
      totals = { requests: 0, serverErrors: 0, checks: 0, slowChecks: 0 };
      this.hours.set(hour, totals);
      for (const old of this.hours.keys()) if (old <= hour - HOURS_KEPT) this.hours.delete(old);
    }
    totals.requests++;
    if (p.status >= 500) totals.serverErrors++;
    if (isCheck(p)) {
      totals.checks++;
      if (p.latencyMs > CHECK_LATENCY_THRESHOLD_MS) totals.slowChecks++;
    }
  }

  /** Totals of the points written in [from, to) (whole hours). */
  totals(from: Date, to: Date): HourTotals {
    const sum: HourTotals = { requests: 0, serverErrors: 0, checks: 0, slowChecks: 0 };
    for (const [hour, t] of this.hours) {
      const start = hour * 3_600_000;
      if (start < from.getTime() || start >= to.getTime()) continue;
      sum.requests += t.requests;
      sum.serverErrors += t.serverErrors;
      sum.checks += t.checks;
      sum.slowChecks += t.slowChecks;
    }
    return sum;
  }
}

/** This isolate's local metrics (`npm start` and tests run one Worker). */
export const localMetrics = new LocalMetrics();

/** The Analytics Engine dataset when bound, else the local implementation. */
export function metricsFor(env: {
  METRICS?: AnalyticsEngineLike | undefined;
  METRICS_LOG?: string | undefined;
}): Metrics {
  if (env.METRICS) return analyticsEngineMetrics(env.METRICS);
  localMetrics.errorsOnly = env.METRICS_LOG === "errors";
  return localMetrics;
}

/** A test double: keeps every point it is given. */
export function recordingMetrics(): Metrics & { points: MetricPoint[] } {
  const points: MetricPoint[] = [];
  return { points, write: (p) => void points.push(p) };
}

/**
 * Writes `point` after the response: the work is handed to `waitUntil` and starts on a later
 * macrotask, and a sink that throws or rejects is logged, never propagated.
 */
export function deferMetric(
  metrics: Metrics,
  point: MetricPoint,
  waitUntil: (work: Promise<unknown>) => void,
): void {
  waitUntil(
    new Promise<void>((resolve) => setTimeout(resolve, 0))
      .then(() => metrics.write(point))
      .catch((error: unknown) =>
        console.error(JSON.stringify({ level: "warn", message: "metric not written", error: String(error) })),
      ),
  );
}

/**
 * Writes `point` now, swallowing a failing sink. For the tenant object's per-check points:
 * Analytics Engine's `writeDataPoint` does not wait on the network, and a timer per check
 * there measurably slowed the outbox's delivery (durable-objects/storage.test.ts).
 */
export function writeMetricSafely(metrics: Metrics, point: MetricPoint): void {
  try {
    const writing = metrics.write(point);
    if (writing) writing.catch(() => undefined);
  } catch {
    // A broken sink costs the point, never the check.
  }
}
