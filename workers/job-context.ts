/**
 * The data pipeline's job context as the Worker provides it: its database, its tenant
 * objects (told about rule changes), this isolate's dataset registry and, with Stripe keys,
 * what billing reconciliation reaches. Used by the cron
 * handler and the admin endpoints that run a job on demand.
 */
import { type Database, openDatabase } from "../db/client";
import { parsePublicKey } from "../pipeline/bundle";
import { DEFAULT_FETCH_TIMEOUT_MS, type JobContext, logJson } from "../pipeline/context";
import type { OperationalMetricsSource } from "../pipeline/slo";
import { analyticsEngineSource, localSource } from "../pipeline/slo-source";
import { watchersConfig } from "../pipeline/watchers";
import { analyticsSetup } from "../runtime/analytics-outbox";
import { databaseConfig } from "../runtime/database";
import { datasetRegistry } from "../runtime/dataset-registry";
import { localMetrics } from "../runtime/metrics";
import type { Env } from "./env";
import { exportRequest } from "./services/evidence";
import { stripeClient } from "./services/stripe";
import { TenantMeters } from "./services/tenant-meters";

const tenantObject = (env: Env, tenantId: string) => env.TENANT.get(env.TENANT.idFromName(tenantId));

/** Stripe and every tenant's meters, with Stripe keys; undefined in local mode. */
export function billingReach(env: Env): JobContext["billing"] {
  const stripe = stripeClient(env);
  if (!stripe) return undefined;
  return {
    stripe,
    reported: (tenantId, fromMs, toMs) => TenantMeters.of(env, tenantId).reported({ fromMs, toMs }),
    metered: async (tenantId, fromMs, toMs) => {
      const rows = await TenantMeters.of(env, tenantId).usage({ fromMs, toMs, granularity: "hour" });
      return rows.reduce((sum, row) => sum + row.count, 0);
    },
  };
}

export function workerJobContext(env: Env, db: Database): JobContext {
  return {
    db,
    fetch: (input, init) => fetch(input, init),
    now: () => new Date(),
    log: logJson,
    fetchTimeoutMs: DEFAULT_FETCH_TIMEOUT_MS,
    notifyTenant: (tenantId, reason) => tenantObject(env, tenantId).reevaluateAll(reason),
    tenantObjects: {
      watched: (tenantId) => tenantObject(env, tenantId).watchedFacilities(),
      reconcile: (tenantId, changes) => tenantObject(env, tenantId).reconcileFacilities(changes),
      compareRules: (tenantId, input) => tenantObject(env, tenantId).compareRules(input),
      announce: (tenantId, announcement) => tenantObject(env, tenantId).announceRuleChanges(announcement),
    },
    publishedBundles: env.DATASET_BUNDLES
      ? { store: env.DATASET_BUNDLES, publicKey: parsePublicKey(env.DATASET_BUNDLE_PUBLIC_KEY) }
      : undefined,
    invalidateDatasets: () => datasetRegistry.invalidate(),
    incidentWebhookUrl: env.INCIDENT_WEBHOOK_URL || undefined,
    incidentRoutingKey: env.INCIDENT_ROUTING_KEY || undefined,
    environment: env.PREP_ENV,
    billing: billingReach(env),
    operationalMetrics: operationalMetrics(env),
    // Evidence vault: scheduled exports are built (and announced ready) by the tenant object.
    evidence: {
      start: (tenantId, row) => tenantObject(env, tenantId).startExport(exportRequest(row, tenantId)),
    },
    analytics: analyticsSetup(env, (input, init) => fetch(input, init)),
    // Source watchers (ADR 0020): off unless SOURCE_WATCHERS says on or names an origin.
    watchers: watchersConfig(env),
  };
}

/** The Analytics Engine SQL API where it is configured (staging, production), else this isolate's local metrics. */
function operationalMetrics(env: Env): OperationalMetricsSource {
  if (env.METRICS && env.ANALYTICS_ACCOUNT_ID && env.ANALYTICS_API_TOKEN && env.METRICS_DATASET) {
    return analyticsEngineSource({
      fetch: (input, init) => fetch(input, init),
      accountId: env.ANALYTICS_ACCOUNT_ID,
      apiToken: env.ANALYTICS_API_TOKEN,
      dataset: env.METRICS_DATASET,
    });
  }
  return localSource(localMetrics);
}

/** Runs `work` with a job context on a database opened for it (a cron event has no request). */
export async function withWorkerJobContext<T>(env: Env, work: (ctx: JobContext) => Promise<T>): Promise<T> {
  const handle = openDatabase(databaseConfig(env));
  try {
    return await work(workerJobContext(env, handle.db));
  } finally {
    await handle.close();
  }
}
