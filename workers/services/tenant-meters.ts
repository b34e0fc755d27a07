/**
 * Worker-side access to a tenant's meters. A normal tenant has one: its TenantObject (its
 * "home"). Two things add meter shards, each a TenantObject of its own:
 *
 * - Hot tenants (beyond one object's ~1,000 requests/s): METER_SHARDS home shards, named
 *   `<tenantId>:meter:<k>` (shard 0 is the tenant's own object), e.g. "1" or "1,ten_01JD…=8".
 *   Raise it, never lower it: shards beyond the count are not read.
 * - Distance (METER_REGIONS = "continent", ADR 0025): a check without an Idempotency-Key is
 *   recorded in a shard of the caller's region (`request.cf.continent` → a location hint,
 *   CONTINENT_REGIONS), named `<tenantId>:meter:<region>:<k>` and created with that hint, so a
 *   client in Sydney never waits on an object in Virginia. A check with a key goes home by the
 *   key's hash whatever the caller's continent: a retry from another continent (a roaming
 *   client, a fleet retrying from another data centre) must meet its first attempt, and only
 *   the key itself is the same on both. A regional shard registers its region with the home
 *   object before its first check is acknowledged, so reads know which regions to merge.
 *
 * Usage, check lookups, billing reconciliation and dead letters read every shard and merge.
 */

import {
  type CheckRecord,
  encodeCheck,
  type MeterCheckInput,
  type RecordCheckInput,
  type RecordCheckOutcome,
  type UsageQuery,
  type UsageRow,
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

/**
 * The regions a tenant's meters may live in, by Cloudflare location hint. The order is fixed:
 * reads follow it. `wnam`, `eeur` and `me` are missing because a continent cannot choose them
 * (North America is one continent; the Middle East is in Asia).
 */
export const METER_REGIONS = ["enam", "weur", "apac", "oc", "sam", "afr"] as const;
export type MeterRegion = (typeof METER_REGIONS)[number];

/**
 * `request.cf.continent` → the location hint its meter shard is created with. North America
 * goes to `enam` (Cloudflare's eastern North American Durable Object region, about equally far
 * from both coasts' colos as anything in between); Antarctica's few callers reach the internet
 * through Oceania's links, so `oc`. docs/tenant-object.md has the map and its distances.
 */
export const CONTINENT_REGIONS: Readonly<Record<string, MeterRegion>> = {
  AF: "afr",
  AN: "oc",
  AS: "apac",
  EU: "weur",
  NA: "enam",
  OC: "oc",
  SA: "sam",
};

/**
 * The region a request's checks are metered in, when regional metering is on
 * (METER_REGIONS = "continent") and Cloudflare says where the caller is; otherwise undefined:
 * home, as without regions (local development and tests have no real `cf`).
 */
export function callerRegion(env: Pick<Env, "METER_REGIONS">, request: Request): MeterRegion | undefined {
  if (env.METER_REGIONS !== "continent") return undefined;
  const continent = (request as { cf?: { continent?: unknown } }).cf?.continent;
  return typeof continent === "string" ? CONTINENT_REGIONS[continent] : undefined;
}

/** One stub per meter shard: the home shards first, then each registered region's, in METER_REGIONS order. */
export interface MeterShard {
  /** null: a home shard. */
  region: MeterRegion | null;
  index: number;
  stub: DurableObjectStub<TenantObject>;
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

  /**
   * A shard's stub. A regional one always carries its location hint — reads too — because an
   * object is placed where the first call to it is made, whichever call that is, and stays.
   */
  shard(index: number, region: MeterRegion | null = null): DurableObjectStub<TenantObject> {
    const id = this.namespace.idFromName(this.shardName(index, region));
    return region === null ? this.namespace.get(id) : this.namespace.get(id, { locationHint: region });
  }

  /**
   * Records one check. With an Idempotency-Key: on the home shard the key hashes to, wherever
   * the caller is (ADR 0025). Without: on the caller's region's shard when there is one, else
   * home, on the shard the check's id hashes to (a retried RPC carries the same id).
   */
  record(input: MeterCheckInput, region?: MeterRegion): Promise<RecordCheckOutcome> {
    const index = shardOf(input.idempotencyKey ?? input.check.id, this.shards);
    // The check's UTF-8 encoding is metering's cost, paid here where the meter is called.
    const sent: RecordCheckInput = { ...input, check: encodeCheck(input.check) };
    if (input.idempotencyKey !== undefined || region === undefined)
      return this.shard(index).recordCheck(sent);
    return this.shard(index, region).recordCheck({ ...sent, meterRegion: region });
  }

  async findCheck(checkId: string): Promise<CheckRecord | null> {
    const found = await this.each((stub) => stub.getCheck(checkId));
    return found.find((record) => record !== null) ?? null;
  }

  /** Every shard's counts, summed per bucket and state. */
  async usage(query: UsageQuery): Promise<UsageRow[]> {
    const perShard = await this.each((stub) => stub.getUsage(query));
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
    const perShard = await this.each((stub) => stub.usageReported(query));
    return perShard.reduce(
      (sum, r) => ({ reported: sum.reported + r.reported, unbilled: sum.unbilled + r.unbilled }),
      {
        reported: 0,
        unbilled: 0,
      },
    );
  }

  /**
   * Every shard that may hold checks: the home shards, and the shards of each region the home
   * object has registered. A region registers before its first check is answered, so a read
   * begun after any answered check sees that check's shard.
   */
  async all(): Promise<MeterShard[]> {
    return [...this.homeShards(), ...this.regionalShards(await this.shard(0).meterRegions())];
  }

  /**
   * Runs `read` on every shard. The home shards are read while the home object is asked for
   * its regions, so a tenant without regional shards pays one round trip, as before them.
   */
  private async each<T>(read: (stub: DurableObjectStub<TenantObject>) => Promise<T>): Promise<T[]> {
    const [regions, fromHome] = await Promise.all([
      this.shard(0).meterRegions(),
      Promise.all(this.homeShards().map(({ stub }) => read(stub))),
    ]);
    const fromRegions = await Promise.all(this.regionalShards(regions).map(({ stub }) => read(stub)));
    return [...fromHome, ...fromRegions];
  }

  private homeShards(): MeterShard[] {
    return Array.from({ length: this.shards }, (_, index) => ({
      region: null,
      index,
      stub: this.shard(index),
    }));
  }

  private regionalShards(registered: readonly string[]): MeterShard[] {
    return METER_REGIONS.filter((region) => registered.includes(region)).flatMap((region) =>
      Array.from({ length: this.shards }, (_, index) => ({ region, index, stub: this.shard(index, region) })),
    );
  }

  private shardName(index: number, region: MeterRegion | null): string {
    if (region !== null) return `${this.tenantId}:meter:${region}:${index}`;
    return index === 0 ? this.tenantId : `${this.tenantId}:meter:${index}`;
  }
}
