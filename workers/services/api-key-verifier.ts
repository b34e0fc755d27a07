/**
 * Verifies API keys without waiting on Postgres in steady state, and without Postgres at all
 * during an outage.
 *
 * A key is looked up by its public prefix. What Postgres said about a prefix (the stored key,
 * or "no such key") is an observation stamped with the time it was made, kept in isolate
 * memory and shared through the edge store (Workers KV) with every other isolate:
 *
 * 1. an observation younger than `KEY_FRESH_MS` (30 s) is trusted, wherever it came from — so a
 *    revocation takes effect within 30 s, inside the promised 60 s;
 * 2. otherwise Postgres is asked, and the new observation goes to memory and the edge store;
 * 3. if Postgres cannot answer — an error, or no answer within `SLOW_LOOKUP_MS` while there is
 *    an observation to fall back on — the newest observation is served however old
 *    (stale-if-error), and Postgres is not asked again for `OUTAGE_BACKOFF_MS`, so checks keep
 *    working through an outage of hours and a dead or stalled database is not hammered.
 *
 * An expiry is part of the observation and is compared with the clock on every request, so an
 * expired key is refused at once, wherever its observation came from. A revocation — by a
 * person, or because the key's creator left the team or lost the role for its scopes — keeps
 * the 30 s bound (the revoking isolate forgets the prefix at once).
 *
 * Unknown keys are observations too, so a flood of one bad key costs one query per 30 s.
 * Nothing is shared between requests but plain values (workerd forbids awaiting another
 * request's promise): while one request asks Postgres about a prefix, the isolate's other
 * requests for it wait a moment for the observation to appear in memory instead of opening
 * their own connections, so a burst of cold requests for one key is one query, not a herd.
 * The hash comparison is constant-time.
 */
import {
  findApiKeyByPrefix,
  hashApiKey,
  parseApiKey,
  type StoredApiKey,
  timingSafeEqualHex,
} from "../../db/api-keys";
import type { Database } from "../../db/client";
import { EDGE_KEYS, type EdgeStore } from "../../runtime/edge-store";

export const KEY_FRESH_MS = 30_000;
/** After Postgres fails to answer, stale observations are served this long before it is tried again. */
export const OUTAGE_BACKOFF_MS = 5_000;
/** How long a request waits for Postgres when it could answer from an older observation instead. */
export const SLOW_LOOKUP_MS = 1_500;
const MAX_ENTRIES = 10_000;
/** How long a request waits for another request's lookup of the same prefix, and how often it looks. */
const FOLLOWER_WAIT_MS = 2_000;
const FOLLOWER_POLL_MS = 10;

export type KeyVerification =
  | { ok: true; key: StoredApiKey }
  | { ok: false; reason: "malformed" | "unknown" | "revoked" | "wrong_mode" }
  | { ok: false; reason: "expired"; expiresAt: string };

/** What Postgres said about a key prefix, and when (ms since the epoch). */
export interface KeyObservation {
  key: StoredApiKey | null;
  checkedAt: number;
}

export interface ApiKeyVerifier {
  verify(
    presented: string,
    deployMode: "live" | "test",
    db: () => Database,
    store?: EdgeStore,
  ): Promise<KeyVerification>;
  /**
   * Drops what is known of a key, here and in the edge store, so its next use asks Postgres
   * (a revocation made by this isolate takes effect at once). Without a prefix: this
   * isolate's whole cache (tests).
   */
  forget(prefix?: string, store?: EdgeStore): Promise<void>;
}

/** `work`'s result, or a rejection once `ms` have passed (the work itself runs on, unawaited). */
function withinMs<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const newest = (a: KeyObservation | null | undefined, b: KeyObservation | null | undefined) =>
  !a ? b : !b ? a : a.checkedAt >= b.checkedAt ? a : b;

export function createApiKeyVerifier(now: () => number = Date.now): ApiKeyVerifier {
  const cache = new Map<string, KeyObservation>();
  let postgresRetryAt = 0;
  /** Prefixes a request of this isolate is asking Postgres about right now. */
  const asking = new Set<string>();

  /** The observation another request is fetching, once it lands in memory (or undefined). */
  async function observedByAnother(prefix: string): Promise<KeyObservation | undefined> {
    for (let waited = 0; asking.has(prefix) && waited < FOLLOWER_WAIT_MS; waited += FOLLOWER_POLL_MS) {
      await new Promise((resolve) => setTimeout(resolve, FOLLOWER_POLL_MS));
      const seen = cache.get(prefix);
      if (isFresh(seen)) return seen;
    }
    return undefined;
  }

  const isFresh = (observation: KeyObservation | null | undefined): observation is KeyObservation =>
    !!observation && now() - observation.checkedAt < KEY_FRESH_MS;

  function remember(prefix: string, observation: KeyObservation): void {
    if (!cache.has(prefix) && cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
    cache.set(prefix, observation);
  }

  async function lookup(prefix: string, db: () => Database, store: EdgeStore | undefined) {
    const local = cache.get(prefix);
    if (isFresh(local)) return local.key;
    const shared = store ? await store.read<KeyObservation>(EDGE_KEYS.apiKey(prefix)) : null;
    if (isFresh(shared)) {
      remember(prefix, shared);
      return shared.key;
    }
    const fallback = newest(local, shared);
    if (fallback && now() < postgresRetryAt) return fallback.key;
    const seen = asking.has(prefix) ? await observedByAnother(prefix) : undefined;
    if (seen) return seen.key;
    let observation: KeyObservation;
    asking.add(prefix);
    try {
      const query = findApiKeyByPrefix(db(), prefix);
      const key = fallback ? await withinMs(query, SLOW_LOOKUP_MS) : await query;
      observation = { key, checkedAt: now() };
      // In memory before `asking` lets go of the prefix, so a waiting request finds it.
      remember(prefix, observation);
    } catch (error) {
      if (!fallback) throw error;
      postgresRetryAt = now() + OUTAGE_BACKOFF_MS;
      console.error(
        JSON.stringify({
          level: "error",
          message: "key served from a stale observation",
          error: String(error),
        }),
      );
      return fallback.key;
    } finally {
      asking.delete(prefix);
    }
    await store?.write(EDGE_KEYS.apiKey(prefix), observation);
    return observation.key;
  }

  return {
    async verify(presented, deployMode, db, store) {
      const parsed = parseApiKey(presented);
      if (!parsed) return { ok: false, reason: "malformed" };
      if (parsed.mode !== deployMode) return { ok: false, reason: "wrong_mode" };
      const key = await lookup(parsed.prefix, db, store);
      if (!key || !timingSafeEqualHex(key.hash, await hashApiKey(presented)))
        return { ok: false, reason: "unknown" };
      if (key.revokedAt) return { ok: false, reason: "revoked" };
      if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now())
        return { ok: false, reason: "expired", expiresAt: key.expiresAt };
      return { ok: true, key };
    },
    async forget(prefix, store) {
      if (!prefix) return cache.clear();
      cache.delete(prefix);
      await store?.remove(EDGE_KEYS.apiKey(prefix));
    },
  };
}

/** The isolate's verifier. */
export const apiKeyVerifier = createApiKeyVerifier();
