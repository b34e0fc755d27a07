/**
 * The typed bag of services a request works with, built once per request.
 *
 * The database opens lazily (a check in steady state never touches it) and closes when the
 * response is done. Caches that must outlive a request (verified keys, compiled datasets)
 * are isolate-scoped singletons handed in here, bound to the edge store (Workers KV) they
 * fall back on before Postgres.
 */

import type { BillingAccount } from "../../billing/entitlements";
import { type Database, type DatabaseHandle, openDatabase } from "../../db/client";
import type { TenantObject } from "../../durable-objects/tenant-object";
import type { EmitInput, EmitOutcome } from "../../notifications/contract";
import { emitNotification } from "../../notifications/emit";
import { databaseConfig } from "../../runtime/database";
import { type DatasetRegistry, datasetRegistry } from "../../runtime/dataset-registry";
import { kvEdgeStore } from "../../runtime/edge-store";
import { type MailDelivery, type MailMessage, mailDelivery } from "../../runtime/mail/delivery";
import type { Env } from "../env";
import { type ApiKeyVerifier, apiKeyVerifier } from "./api-key-verifier";
import { entitlementsCache } from "./entitlements-cache";
import { TenantMeters } from "./tenant-meters";

export interface Services {
  /** The request's database; opened on first use. */
  db(): Database;
  apiKeys: ApiKeyVerifier;
  datasets: DatasetRegistry;
  /** Tenants' billing accounts from isolate memory (entitlements-cache.ts). */
  billing: {
    account(tenantId: string): Promise<BillingAccount | null>;
    /** After the Worker changed an account: every isolate sees it within 30 s, this one now. */
    publish(account: BillingAccount): Promise<void>;
  };
  tenant(tenantId: string): DurableObjectStub<TenantObject>;
  /** Raises a notification event in the tenant's object (notifications/emit.ts); once per key. */
  notify(tenantId: string, input: EmitInput): Promise<EmitOutcome>;
  /** The tenant's usage meters (one or more shards of its object); checks are recorded here. */
  meters(tenantId: string): TenantMeters;
  /** Email, through the one delivery (runtime/mail/delivery.ts). */
  mail: MailDelivery;
  /**
   * Sends after the response, so how long the mail server takes tells a caller nothing
   * (e.g. whether an address has an account); a failure is logged.
   */
  sendLater(message: MailMessage): void;
  /**
   * Runs `work` after the response; a failure is logged as `<what> failed`. For work whose
   * duration would tell a caller something (whether an address has an account).
   */
  afterResponse(what: string, work: () => Promise<void>): void;
  /** Work that may finish after the response (the request's database stays open for it). */
  background(work: Promise<unknown>): void;
  /** Waits for background work, then closes what the request opened; null when there is neither. */
  dispose(): Promise<void> | null;
}

export function buildServices(env: Env, waitUntil: (work: Promise<unknown>) => void): Services {
  let handle: DatabaseHandle | undefined;
  const pending: Promise<unknown>[] = [];
  const db = () => {
    handle ??= openDatabase(databaseConfig(env));
    return handle.db;
  };
  const edge = kvEdgeStore(env.EDGE_STORE);
  const mail = mailDelivery(env);
  const background = (work: Promise<unknown>) => {
    const settled = work.catch(() => undefined);
    pending.push(settled);
    waitUntil(settled);
  };
  const afterResponse = (what: string, work: () => Promise<void>) =>
    background(
      work().catch((error: unknown) => {
        console.error(
          JSON.stringify({
            level: "error",
            message: `${what} failed`,
            error: error instanceof Error ? error.message : String(error),
          }),
        );
      }),
    );
  return {
    db,
    apiKeys: {
      verify: (presented, deployMode, database) =>
        apiKeyVerifier.verify(presented, deployMode, database, edge),
      forget: (prefix) => apiKeyVerifier.forget(prefix, edge),
    },
    datasets: {
      current: (database, background) => datasetRegistry.current(database, background, edge),
      invalidate: () => datasetRegistry.invalidate(),
      evict: () => datasetRegistry.evict(),
    },
    billing: {
      account: (tenantId) => entitlementsCache.account(tenantId, db, edge, background),
      publish: (account) => entitlementsCache.publish(account, edge),
    },
    tenant: (tenantId) => env.TENANT.get(env.TENANT.idFromName(tenantId)),
    notify: (tenantId, input) => emitNotification(env.TENANT, tenantId, input),
    meters: (tenantId) => TenantMeters.of(env, tenantId),
    mail,
    sendLater: (message) => afterResponse(`sending "${message.subject}"`, () => mail.send(message)),
    afterResponse,
    background,
    dispose: () => {
      if (!handle && pending.length === 0) return null;
      const opened = handle;
      handle = undefined;
      return Promise.all(pending).then(() => opened?.close());
    },
  };
}
