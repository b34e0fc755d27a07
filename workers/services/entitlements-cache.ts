/**
 * Tenants' billing accounts for the hot path, so that entitlements never cost a check a
 * Postgres round trip: isolate memory, then Workers KV, and Postgres only for a tenant no
 * isolate has seen yet.
 *
 * Each value is an observation of Postgres stamped with the time it was made. One younger
 * than `ACCOUNT_FRESH_MS` (30 s) is served as is; an older one is still served, and the
 * request refreshes it after its response (KV first, then Postgres), so a change made
 * anywhere — the operator CLI straight in Postgres included — is applied within
 * 30 s + one request, inside the promised 60 s. A change the Worker itself makes (webhook,
 * local plan page) is published at once (`publish`). When Postgres cannot answer, the old
 * observation stays in service and Postgres is not asked again for `OUTAGE_BACKOFF_MS`.
 * No promise is shared between requests: a refresh runs in the background of the request
 * that noticed, and others keep serving the value in memory meanwhile.
 */
import type { BillingAccount } from "../../billing/entitlements";
import { loadBillingAccount } from "../../db/billing";
import { type Database, withTenant } from "../../db/client";
import { EDGE_KEYS, type EdgeStore } from "../../runtime/edge-store";

export const ACCOUNT_FRESH_MS = 30_000;
const OUTAGE_BACKOFF_MS = 5_000;
const MAX_ENTRIES = 10_000;

export interface AccountObservation {
  account: BillingAccount | null;
  checkedAt: number;
}

export interface EntitlementsCache {
  /** The tenant's account as last observed (null: no such tenant). */
  account(
    tenantId: string,
    db: () => Database,
    store: EdgeStore,
    background: (work: Promise<unknown>) => void,
  ): Promise<BillingAccount | null>;
  /** After a change the Worker made: this isolate and the edge store see it now. */
  publish(account: BillingAccount, store: EdgeStore): Promise<void>;
  /**
   * Drops what is known of a tenant, here and in the edge store, so its next check asks
   * Postgres; without a tenant, this isolate's whole cache (tests after changes in Postgres).
   */
  forget(tenantId?: string, store?: EdgeStore): Promise<void>;
}

export function createEntitlementsCache(now: () => number = Date.now): EntitlementsCache {
  const cache = new Map<string, AccountObservation>();
  const refreshing = new Set<string>();
  let postgresRetryAt = 0;

  const isFresh = (seen: AccountObservation | null | undefined): seen is AccountObservation =>
    !!seen && now() - seen.checkedAt < ACCOUNT_FRESH_MS;

  function remember(tenantId: string, seen: AccountObservation): void {
    const held = cache.get(tenantId);
    if (held && held.checkedAt > seen.checkedAt) return;
    if (!held && cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(tenantId, seen);
  }

  async function fromPostgres(tenantId: string, db: () => Database, store: EdgeStore) {
    const account = await withTenant(db(), tenantId, (tx) => loadBillingAccount(tx, tenantId));
    const seen = { account, checkedAt: now() };
    remember(tenantId, seen);
    await store.write(EDGE_KEYS.billingAccount(tenantId), seen);
    return seen;
  }

  async function refresh(tenantId: string, db: () => Database, store: EdgeStore): Promise<void> {
    try {
      const shared = await store.read<AccountObservation>(EDGE_KEYS.billingAccount(tenantId));
      if (isFresh(shared)) return remember(tenantId, shared);
      if (now() < postgresRetryAt) return;
      await fromPostgres(tenantId, db, store);
    } catch (error) {
      postgresRetryAt = now() + OUTAGE_BACKOFF_MS;
      console.error(
        JSON.stringify({
          level: "error",
          message: "billing account served stale",
          tenantId,
          error: String(error),
        }),
      );
    } finally {
      refreshing.delete(tenantId);
    }
  }

  function refreshLater(
    tenantId: string,
    db: () => Database,
    store: EdgeStore,
    background: (w: Promise<unknown>) => void,
  ) {
    if (refreshing.has(tenantId)) return;
    refreshing.add(tenantId);
    background(refresh(tenantId, db, store));
  }

  return {
    async account(tenantId, db, store, background) {
      const local = cache.get(tenantId);
      if (local) {
        if (!isFresh(local)) refreshLater(tenantId, db, store, background);
        return local.account;
      }
      const shared = await store.read<AccountObservation>(EDGE_KEYS.billingAccount(tenantId));
      if (shared) {
        remember(tenantId, shared);
        if (!isFresh(shared)) refreshLater(tenantId, db, store, background);
        return shared.account;
      }
      return (await fromPostgres(tenantId, db, store)).account;
    },
    async publish(account, store) {
      const seen = { account, checkedAt: now() };
      cache.set(account.tenantId, seen);
      await store.write(EDGE_KEYS.billingAccount(account.tenantId), seen);
    },
    async forget(tenantId, store) {
      if (!tenantId) return cache.clear();
      cache.delete(tenantId);
      await store?.remove(EDGE_KEYS.billingAccount(tenantId));
    },
  };
}

/** The isolate's cache. */
export const entitlementsCache = createEntitlementsCache();
