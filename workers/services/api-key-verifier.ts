/**
 * Verifies API keys from an isolate-memory cache so that, in steady state, authentication
 * does not wait on Postgres.
 *
 * Entries live `KEY_CACHE_TTL_MS` (30 s): a revocation takes effect within that, well inside
 * the promised 60 s. Unknown keys are cached briefly too, so a flood of bad keys cannot turn
 * into a flood of queries. The hash comparison is constant-time.
 */
import { findApiKeyByPrefix, hashApiKey, parseApiKey, type StoredApiKey } from "../../db/api-keys";
import type { Database } from "../../db/client";

export const KEY_CACHE_TTL_MS = 30_000;
const MAX_ENTRIES = 10_000;

export type KeyVerification =
  | { ok: true; key: StoredApiKey }
  | { ok: false; reason: "malformed" | "unknown" | "revoked" | "wrong_mode" };

interface CacheEntry {
  key: StoredApiKey | null;
  expiresAt: number;
}

export interface ApiKeyVerifier {
  verify(presented: string, deployMode: "live" | "test", db: () => Database): Promise<KeyVerification>;
  /** Drops cached entries (tests; a revocation made by this isolate). */
  forget(prefix?: string): void;
}

function timingSafeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function createApiKeyVerifier(now: () => number = Date.now): ApiKeyVerifier {
  const cache = new Map<string, CacheEntry>();
  const inflight = new Map<string, Promise<StoredApiKey | null>>();

  async function lookup(prefix: string, db: () => Database): Promise<StoredApiKey | null> {
    const cached = cache.get(prefix);
    if (cached && cached.expiresAt > now()) return cached.key;
    // Concurrent first requests for one key share a single query.
    let pending = inflight.get(prefix);
    if (!pending) {
      pending = findApiKeyByPrefix(db(), prefix).finally(() => inflight.delete(prefix));
      inflight.set(prefix, pending);
    }
    const key = await pending;
    if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(prefix, { key, expiresAt: now() + KEY_CACHE_TTL_MS });
    return key;
  }

  return {
    async verify(presented, deployMode, db) {
      const parsed = parseApiKey(presented);
      if (!parsed) return { ok: false, reason: "malformed" };
      if (parsed.mode !== deployMode) return { ok: false, reason: "wrong_mode" };
      const key = await lookup(parsed.prefix, db);
      if (!key || !timingSafeEqualHex(key.hash, await hashApiKey(presented)))
        return { ok: false, reason: "unknown" };
      if (key.revokedAt) return { ok: false, reason: "revoked" };
      return { ok: true, key };
    },
    forget(prefix) {
      if (prefix) cache.delete(prefix);
      else cache.clear();
    },
  };
}

/** The isolate's verifier. */
export const apiKeyVerifier = createApiKeyVerifier();
