/**
 * The key verifier's promises over time, on a clock the test moves: a fresh observation is
 * trusted from memory or the edge store, a stale one is re-checked against Postgres, and when
 * Postgres cannot answer the newest observation is served however old, without asking again
 * on every request. (The real database and KV are exercised by test/postgres-outage.test.ts.)
 */
import { describe, expect, it } from "vitest";
import { hashApiKey, type StoredApiKey } from "../../db/api-keys";
import type { Database } from "../../db/client";
import type { EdgeStore } from "../../runtime/edge-store";
import { createApiKeyVerifier, KEY_FRESH_MS, OUTAGE_BACKOFF_MS, SLOW_LOOKUP_MS } from "./api-key-verifier";

const PRESENTED = "prep_test_AbCdEfGh0123456789abcdefghijklmnopqrstuv";

function memoryStore(): EdgeStore & { values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return {
    values,
    read: async <T>(key: string) => (values.get(key) as T | undefined) ?? null,
    write: async (key, value) => void values.set(key, structuredClone(value)),
    remove: async (key) => void values.delete(key),
  };
}

/** Postgres as the verifier sees it: one row or none, down, or stalled; counts the queries. */
function postgres(row: () => Record<string, unknown> | undefined) {
  const state = { queries: 0, down: false, stalled: false };
  const db = {
    execute: async () => {
      state.queries++;
      if (state.down) throw new Error("Connection terminated unexpectedly");
      if (state.stalled) await new Promise(() => {});
      const found = row();
      return { rows: found ? [found] : [] };
    },
  } as unknown as Database;
  return { state, db: () => db };
}

async function storedRow(revokedAt: string | null = null, expiresAt: string | null = null) {
  const key: StoredApiKey = {
    id: "key_1",
    tenantId: "ten_1",
    hash: await hashApiKey(PRESENTED),
    mode: "test",
    scopes: ["checks:write"],
    revokedAt,
    expiresAt,
  };
  return {
    id: key.id,
    tenant_id: key.tenantId,
    hash: key.hash,
    mode: key.mode,
    scopes: key.scopes,
    revoked_at: revokedAt,
    expires_iso: expiresAt,
  };
}

describe("API key verification over time", () => {
  it("parses before it looks anything up", async () => {
    const pg = postgres(() => undefined);
    const verifier = createApiKeyVerifier();
    expect(await verifier.verify("not a key", "test", pg.db)).toEqual({ ok: false, reason: "malformed" });
    expect(pg.state.queries).toBe(0);
  });

  it("trusts an observation for 30 s, then asks Postgres again (a revocation lands within 30 s)", async () => {
    let clock = 1_000_000;
    let row = await storedRow();
    const pg = postgres(() => row);
    const verifier = createApiKeyVerifier(() => clock);
    expect((await verifier.verify(PRESENTED, "test", pg.db)).ok).toBe(true);
    row = await storedRow("2026-12-01T00:00:00Z");
    clock += KEY_FRESH_MS - 1;
    expect((await verifier.verify(PRESENTED, "test", pg.db)).ok).toBe(true);
    expect(pg.state.queries).toBe(1);
    clock += 1;
    expect(await verifier.verify(PRESENTED, "test", pg.db)).toEqual({ ok: false, reason: "revoked" });
    expect(pg.state.queries).toBe(2);
  });

  it("refuses a key from the moment it expires, even from a fresh observation", async () => {
    const expiresAt = "2026-12-01T00:00:00.000Z";
    let clock = Date.parse(expiresAt) - 1_000;
    const row = await storedRow(null, expiresAt);
    const verifier = createApiKeyVerifier(() => clock);
    const lookup = postgres(() => row);
    expect((await verifier.verify(PRESENTED, "test", lookup.db)).ok).toBe(true);
    clock += 1_000;
    // Still within the observation's 30 s: the expiry is read against the clock, not the cache.
    expect(await verifier.verify(PRESENTED, "test", lookup.db)).toEqual({
      ok: false,
      reason: "expired",
      expiresAt,
    });
    expect(lookup.state.queries).toBe(1);
  });

  it("remembers an unknown key as unknown, so repeating it does not reach Postgres", async () => {
    const pg = postgres(() => undefined);
    const verifier = createApiKeyVerifier(() => 5_000_000);
    for (let i = 0; i < 50; i++) {
      expect(await verifier.verify(PRESENTED, "test", pg.db)).toEqual({ ok: false, reason: "unknown" });
    }
    expect(pg.state.queries).toBe(1);
  });

  it("shares observations between isolates through the edge store", async () => {
    const row = await storedRow();
    const store = memoryStore();
    const first = postgres(() => row);
    await createApiKeyVerifier(() => 10_000).verify(PRESENTED, "test", first.db, store);
    const second = postgres(() => row);
    expect((await createApiKeyVerifier(() => 20_000).verify(PRESENTED, "test", second.db, store)).ok).toBe(
      true,
    );
    expect(second.state.queries).toBe(0);
  });

  it("serves the newest observation through an outage of hours, asking Postgres at most every 5 s", async () => {
    let clock = 0;
    const row = await storedRow();
    const store = memoryStore();
    const pg = postgres(() => row);
    await createApiKeyVerifier(() => clock).verify(PRESENTED, "test", pg.db, store);
    pg.state.down = true;
    pg.state.queries = 0;
    const cold = createApiKeyVerifier(() => clock);
    const hours = 3 * 60 * 60 * 1000;
    for (clock = KEY_FRESH_MS; clock < hours; clock += 1_000) {
      expect((await cold.verify(PRESENTED, "test", pg.db, store)).ok).toBe(true);
    }
    expect(pg.state.queries).toBeLessThanOrEqual(Math.ceil(hours / OUTAGE_BACKOFF_MS));
    expect(pg.state.queries).toBeGreaterThan(0);
  });

  it("does not wait on a stalled Postgres when an older observation can answer", async () => {
    let clock = 0;
    const row = await storedRow();
    const pg = postgres(() => row);
    const verifier = createApiKeyVerifier(() => clock);
    await verifier.verify(PRESENTED, "test", pg.db);
    pg.state.stalled = true;
    clock = KEY_FRESH_MS + 1;
    const started = Date.now();
    expect((await verifier.verify(PRESENTED, "test", pg.db)).ok).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_LOOKUP_MS - 50);
    expect(Date.now() - started).toBeLessThan(SLOW_LOOKUP_MS + 2_000);
    // Within the back-off, Postgres is not asked again.
    expect((await verifier.verify(PRESENTED, "test", pg.db)).ok).toBe(true);
    expect(pg.state.queries).toBe(2);
  });

  it("cannot vouch for a key nobody has observed while Postgres is down: the error reaches the caller", async () => {
    const pg = postgres(() => undefined);
    pg.state.down = true;
    await expect(createApiKeyVerifier().verify(PRESENTED, "test", pg.db, memoryStore())).rejects.toThrow(
      /Connection terminated/,
    );
  });

  it("forgets a revoked key here and in the edge store at once", async () => {
    let row = await storedRow();
    const store = memoryStore();
    const pg = postgres(() => row);
    const verifier = createApiKeyVerifier(() => 100);
    await verifier.verify(PRESENTED, "test", pg.db, store);
    row = await storedRow("2026-12-01T00:00:00Z");
    await verifier.forget("prep_test_AbCdEfGh", store);
    expect(store.values.size).toBe(0);
    expect(await verifier.verify(PRESENTED, "test", pg.db, store)).toEqual({ ok: false, reason: "revoked" });
  });
});
