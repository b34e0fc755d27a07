/**
 * The entitlements cache over time, on a clock the test moves, against the real database: a
 * change made straight in Postgres (as the operator CLI does) is applied within 60 s without
 * a check ever waiting on Postgres once the tenant is known; a cold isolate starts from the
 * edge store; an outage keeps serving what was known.
 */
import { describe, expect, it } from "vitest";
import { updateBillingAccount } from "../../db/billing";
import { type Database, withTenant } from "../../db/client";
import type { EdgeStore } from "../../runtime/edge-store";
import { newTenant, workerDb } from "../../test/helpers";
import { ACCOUNT_FRESH_MS, createEntitlementsCache } from "./entitlements-cache";

function memoryStore(): EdgeStore {
  const values = new Map<string, unknown>();
  return {
    read: async <T>(key: string) => (values.get(key) as T | undefined) ?? null,
    write: async (key, value) => void values.set(key, structuredClone(value)),
    remove: async (key) => void values.delete(key),
  };
}

/** The real database, counting how often it is opened; `down` makes it fail like an outage. */
function countingDb(real: Database) {
  const state = { opened: 0, down: false };
  return {
    state,
    db: () => {
      state.opened++;
      if (state.down) throw new Error("Connection terminated unexpectedly");
      return real;
    },
  };
}

describe("the entitlements cache", () => {
  it("applies a change made in Postgres within 60 s, serving from memory meanwhile", async () => {
    const { tenantId } = await newTenant("Cache Co", undefined, { plan: "starter", states: ["CA"] });
    const handle = workerDb();
    try {
      let now = 1_000_000;
      const cache = createEntitlementsCache(() => now);
      const store = memoryStore();
      const { db, state } = countingDb(handle.db);
      const pending: Promise<unknown>[] = [];
      const background = (work: Promise<unknown>) => void pending.push(work);
      const account = () => cache.account(tenantId, db, store, background);

      expect((await account())?.states).toEqual(["CA"]);
      expect(state.opened).toBe(1);
      await withTenant(handle.db, tenantId, (tx) =>
        updateBillingAccount(tx, tenantId, { plan: "starter", status: "active", states: ["TX"] }, "cli"),
      );
      now += ACCOUNT_FRESH_MS - 1;
      expect((await account())?.states).toEqual(["CA"]);
      expect(state.opened).toBe(1);
      expect(pending).toHaveLength(0);

      now += 2;
      // Stale: still answered from memory, refreshed after the response.
      expect((await account())?.states).toEqual(["CA"]);
      expect(pending).toHaveLength(1);
      await Promise.all(pending);
      expect((await account())?.states).toEqual(["TX"]);
      expect(state.opened).toBe(2);

      // A cold isolate starts from the edge store, without Postgres.
      const cold = createEntitlementsCache(() => now);
      const coldDb = countingDb(handle.db);
      expect((await cold.account(tenantId, coldDb.db, store, background))?.states).toEqual(["TX"]);
      expect(coldDb.state.opened).toBe(0);
    } finally {
      await handle.close();
    }
  });

  it("keeps serving the last observation while Postgres is down", async () => {
    const { tenantId } = await newTenant("Outage Co", undefined, { plan: "growth", states: ["NY"] });
    const handle = workerDb();
    try {
      let now = 5_000_000;
      const cache = createEntitlementsCache(() => now);
      const store = memoryStore();
      const { db, state } = countingDb(handle.db);
      const pending: Promise<unknown>[] = [];
      const background = (work: Promise<unknown>) => void pending.push(work);
      expect((await cache.account(tenantId, db, store, background))?.plan).toBe("growth");
      state.down = true;
      now += 10 * ACCOUNT_FRESH_MS;
      await store.remove(`billing:${tenantId}`);
      expect((await cache.account(tenantId, db, store, background))?.plan).toBe("growth");
      await Promise.all(pending);
      expect((await cache.account(tenantId, db, store, background))?.plan).toBe("growth");
    } finally {
      await handle.close();
    }
  });
});
