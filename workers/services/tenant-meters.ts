/**
 * Worker-side access to a tenant's meters. A normal tenant has one: its TenantObject. A hot
 * tenant (beyond one object's ~1,000 requests/s) gets N meter shards, each a TenantObject
 * named `<tenantId>:meter:<k>` (shard 0 is the tenant's own object). A check goes to the
 * shard its Idempotency-Key (else its id) hashes to, so a retry always meets the first
 * attempt and idempotency stays exact; usage and check lookups read every shard.
 *
 * The count comes from the METER_SHARDS variable: a default and per-tenant overrides,
 * e.g. "1" or "1,ten_01JD…=8". Raise it, never lower it: shards beyond the count are not read.
 */

import type {
  CheckRecord,
  RecordCheckInput,
  RecordCheckOutcome,
  UsageQuery,
  UsageRow,
} from "../../durable-objects/contract";
import type { TenantObject } from "../../durable-objects/tenant-object";
import type { Env } from "../env";

export const MAX_METER_SHARDS = 64;

/** Parses METER_SHARDS for one tenant; anything malformed means 1 shard. */
export function meterShardCount(setting: string | undefined, tenantId: string): number {
  let count = 1;
  for (const entry of (setting ?? "").split(",")) {
    const [left, right] = entry.split("=").map((part) => part.trim());
    const value = Number(right ?? left);
    if (!Number.isInteger(value) || value < 1 || value > MAX_METER_SHARDS) continue;
    if (right === undefined) count = value;
    else if (left === tenantId) return value;
  }
  return count;
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const U64 = 0xffffffffffffffffn;

function fnv1a64(text: string): bigint {
  let hash = FNV_OFFSET;
  for (let i = 0; i < text.length; i++) hash = ((hash ^ BigInt(text.charCodeAt(i))) * FNV_PRIME) & U64;
  return hash;
}

/**
 * Jump consistent hash (Lamping & Veach): growing from n to m shards moves only the keys
 * that must move ((m−n)/m of them), so few idempotency keys change shard on a resize.
 */
export function shardOf(routingKey: string, shards: number): number {
  let key = fnv1a64(routingKey);
  let bucket = -1;
  let next = 0;
  while (next < shards) {
    bucket = next;
    key = (key * 2862933555777941757n + 1n) & U64;
    next = Math.floor((bucket + 1) * (2 ** 31 / (Number(key >> 33n) + 1)));
  }
  return bucket;
}

export class TenantMeters {
  constructor(
    private readonly namespace: DurableObjectNamespace<TenantObject>,
    private readonly tenantId: string,
    readonly shards: number,
  ) {}

  static of(env: Env, tenantId: string): TenantMeters {
    return new TenantMeters(env.TENANT, tenantId, meterShardCount(env.METER_SHARDS, tenantId));
  }

  shard(index: number): DurableObjectStub<TenantObject> {
    return this.namespace.get(this.namespace.idFromName(this.shardName(index)));
  }

  /** Records one check on the shard its Idempotency-Key (else its id) hashes to. */
  record(input: RecordCheckInput): Promise<RecordCheckOutcome> {
    return this.shard(shardOf(input.idempotencyKey ?? input.check.id, this.shards)).recordCheck(input);
  }

  async findCheck(checkId: string): Promise<CheckRecord | null> {
    const found = await Promise.all(this.all().map((stub) => stub.getCheck(checkId)));
    return found.find((record) => record !== null) ?? null;
  }

  /** Every shard's counts, summed per bucket and state. */
  async usage(query: UsageQuery): Promise<UsageRow[]> {
    const perShard = await Promise.all(this.all().map((stub) => stub.getUsage(query)));
    const merged = new Map<string, UsageRow>();
    for (const row of perShard.flat()) {
      const key = `${row.bucketMs}|${row.state}`;
      const existing = merged.get(key);
      if (existing) existing.count += row.count;
      else merged.set(key, { ...row });
    }
    return [...merged.values()];
  }

  /** Every shard's checks reported to Stripe and marked unbilled, summed (billing reconciliation). */
  async reported(query: { fromMs: number; toMs: number }): Promise<{ reported: number; unbilled: number }> {
    const perShard = await Promise.all(this.all().map((stub) => stub.usageReported(query)));
    return perShard.reduce(
      (sum, r) => ({ reported: sum.reported + r.reported, unbilled: sum.unbilled + r.unbilled }),
      {
        reported: 0,
        unbilled: 0,
      },
    );
  }

  private shardName(index: number): string {
    return index === 0 ? this.tenantId : `${this.tenantId}:meter:${index}`;
  }

  private all(): DurableObjectStub<TenantObject>[] {
    return Array.from({ length: this.shards }, (_, index) => this.shard(index));
  }
}
