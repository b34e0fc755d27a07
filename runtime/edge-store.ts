/**
 * What the hot path keeps in Workers KV so that a check never waits on Postgres, even in a
 * cold isolate or through a database outage: observations of API keys, of tenants' billing
 * accounts (entitlements) and a snapshot of the active datasets. Postgres stays the system of record; every value here is a projection of
 * it, written by whoever last read Postgres, and rebuilt from Postgres by the same path.
 *
 * Reads and writes never throw: KV being unavailable must degrade to "ask Postgres", not to
 * a failed request.
 */

export interface EdgeStore {
  read<T>(key: string): Promise<T | null>;
  write(key: string, value: unknown): Promise<void>;
  remove(key: string): Promise<void>;
}

/** KV keys, in one place so a reader can see everything the store holds. */
export const EDGE_KEYS = {
  apiKey: (prefix: string) => `apikey:${prefix}`,
  billingAccount: (tenantId: string) => `billing:${tenantId}`,
  activeDatasets: "datasets:active",
} as const;

/**
 * How long an edge location may serve a value from its own cache. KV's minimum; freshness
 * is judged by the observation time inside each value, so a cached copy is never trusted
 * beyond what its own timestamp allows.
 */
const KV_CACHE_TTL_SECONDS = 30;

function logFailure(operation: string, key: string, error: unknown): void {
  console.error(
    JSON.stringify({ level: "error", message: `edge store ${operation} failed`, key, error: String(error) }),
  );
}

export function kvEdgeStore(kv: KVNamespace): EdgeStore {
  return {
    async read<T>(key: string) {
      try {
        return await kv.get<T>(key, { type: "json", cacheTtl: KV_CACHE_TTL_SECONDS });
      } catch (error) {
        logFailure("read", key, error);
        return null;
      }
    },
    async write(key, value) {
      try {
        await kv.put(key, JSON.stringify(value));
      } catch (error) {
        logFailure("write", key, error);
      }
    },
    async remove(key) {
      try {
        await kv.delete(key);
      } catch (error) {
        logFailure("remove", key, error);
      }
    },
  };
}
