/**
 * What a job needs, passed in rather than reached for, so the same job runs from the cron
 * trigger, the admin endpoint (both inside the Worker) and the CLI (Node, no Durable Objects).
 */
import type { Database } from "../db/client";
import { openDatabase } from "../db/client";
import type { Env } from "../workers/env";
import { datasetRegistry } from "../workers/services/dataset-registry";
import { databaseConfig } from "../workers/services/services";

export interface JobContext {
  db: Database;
  fetch: typeof fetch;
  now(): Date;
  log(event: Record<string, unknown>): void;
  /** How long a source may take to answer. */
  fetchTimeoutMs: number;
  /**
   * Asks a tenant's Durable Object to re-evaluate its facilities. Absent in the CLI: the
   * Worker's hourly drift sweep then tells the tenants (docs/data-pipeline.md).
   */
  notifyTenant?: ((tenantId: string, reason: string) => Promise<unknown>) | undefined;
  /** Drops this isolate's compiled datasets after an activation. */
  invalidateDatasets(): void;
  /** Where incident events go (PagerDuty Events API v2); absent = log only. */
  incidentWebhookUrl?: string | undefined;
  incidentRoutingKey?: string | undefined;
  /** Names the deployment in incident payloads and dedup keys. */
  environment: string;
}

export const DEFAULT_FETCH_TIMEOUT_MS = 10_000;

export const logJson = (event: Record<string, unknown>) =>
  console.log(JSON.stringify({ level: "info", ...event }));

/** The context inside the Worker: its database, its tenant objects, its registry. */
export function workerJobContext(env: Env, db: Database): JobContext {
  return {
    db,
    fetch: (input, init) => fetch(input, init),
    now: () => new Date(),
    log: logJson,
    fetchTimeoutMs: DEFAULT_FETCH_TIMEOUT_MS,
    notifyTenant: (tenantId, reason) => env.TENANT.get(env.TENANT.idFromName(tenantId)).reevaluateAll(reason),
    invalidateDatasets: () => datasetRegistry.invalidate(),
    incidentWebhookUrl: env.INCIDENT_WEBHOOK_URL || undefined,
    incidentRoutingKey: env.INCIDENT_ROUTING_KEY || undefined,
    environment: env.PREP_ENV,
  };
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
