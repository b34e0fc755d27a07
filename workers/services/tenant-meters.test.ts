// Regional meter shards (ADR 0025): checks without an Idempotency-Key are metered near the
// caller (request.cf.continent → a location hint), keyed ones at home whatever the continent,
// and every read merges the home object with each registered region — exactly.

import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TenantObject } from "../../durable-objects/tenant-object";
import { checkInput } from "../../test/check-records";
import { sfRestaurant } from "../../test/fixtures";
import { call, expectProblem, newTenant } from "../../test/helpers";
import {
  CONTINENT_REGIONS,
  callerRegion,
  METER_REGIONS,
  type MeterRegion,
  meterShardCount,
  TenantMeters,
} from "./tenant-meters";

const mutableEnv = env as unknown as Record<string, string | undefined>;
const DAY_MS = 86_400_000;
const CONTINENTS = ["AF", "AN", "AS", "EU", "NA", "OC", "SA"] as const;

beforeAll(() => {
  mutableEnv.METER_REGIONS = "continent";
});
afterAll(() => {
  mutableEnv.METER_REGIONS = "off";
});

/** POST /v1/checks from `continent` (none: no `cf`, as in local development). */
function check(key: string, options: { continent?: string; idempotencyKey?: string; name?: string } = {}) {
  return call("/v1/checks", {
    method: "POST",
    key,
    headers: options.idempotencyKey ? { "idempotency-key": options.idempotencyKey } : {},
    json: { facility: sfRestaurant(options.name ? { name: options.name } : {}), asOf: "2026-06-01" },
    ...(options.continent ? { cf: { continent: options.continent } } : {}),
  } as RequestInit & { key: string; json: unknown });
}

const total = (rows: { count: number }[]) => rows.reduce((sum, row) => sum + row.count, 0);
const around = () => ({
  fromMs: Date.now() - DAY_MS,
  toMs: Date.now() + DAY_MS,
  granularity: "day" as const,
});

async function usageTotal(key: string): Promise<number> {
  const response = await call("/v1/usage", { key });
  expect(response.status).toBe(200);
  return ((await response.json()) as { total: number }).total;
}

describe("regional meter shards", () => {
  it("meters each continent's checks in its region and merges them exactly on read", async () => {
    const { tenantId, key } = await newTenant();
    const perContinent = 2;
    const ids: Record<string, string[]> = {};
    for (const continent of CONTINENTS)
      for (let i = 0; i < perContinent; i++) {
        const response = await check(key, { continent });
        expect(response.status).toBe(200);
        ids[continent] = [...(ids[continent] ?? []), ((await response.json()) as { id: string }).id];
      }
    // Without cf (local development, tests): home, as before regions.
    for (let i = 0; i < 2; i++) expect((await check(key)).status).toBe(200);

    expect(await usageTotal(key)).toBe(CONTINENTS.length * perContinent + 2);

    // Each region's shard holds exactly its continents' checks (Antarctica shares Oceania's).
    const meters = TenantMeters.of(env, tenantId);
    expect(total(await meters.shard(0).getUsage(around()))).toBe(2);
    for (const region of METER_REGIONS) {
      const continents = CONTINENTS.filter((continent) => CONTINENT_REGIONS[continent] === region);
      expect(total(await meters.shard(0, region).getUsage(around()))).toBe(continents.length * perContinent);
    }
    expect(await meters.shard(0).meterRegions()).toEqual([...METER_REGIONS].sort());

    // A check metered in Oceania is found by id from anywhere.
    const sydney = ids.OC?.[0] as string;
    const found = await call(`/v1/checks/${sydney}`, { key });
    expect(found.status).toBe(200);
    expect(((await found.json()) as { id: string }).id).toBe(sydney);
  }, 90_000); // 16 checks, the first of them loading the datasets, on a shared machine

  it("meets a retried Idempotency-Key's first attempt whichever continent the retry comes from", async () => {
    const { tenantId, key } = await newTenant();
    const idempotencyKey = `roaming-${crypto.randomUUID()}`;
    const first = await check(key, { continent: "OC", idempotencyKey });
    expect(first.status).toBe(200);
    expect(first.headers.get("idempotent-replayed")).toBeNull();
    const { id } = (await first.json()) as { id: string };

    for (const continent of ["EU", "NA", undefined, "AS"]) {
      const retry = await check(key, { ...(continent ? { continent } : {}), idempotencyKey });
      expect(retry.status).toBe(200);
      expect(retry.headers.get("idempotent-replayed")).toBe("true");
      expect(((await retry.json()) as { id: string }).id).toBe(id);
    }
    // The same key with another body is refused from another continent too, and not counted.
    await expectProblem(
      await check(key, { continent: "SA", idempotencyKey, name: "Another Kitchen" }),
      422,
      "idempotency_key_reused",
    );
    expect(await usageTotal(key)).toBe(1);

    // Keyed checks live at home: no region was registered, none holds the check.
    const meters = TenantMeters.of(env, tenantId);
    expect(await meters.shard(0).getCheck(id)).not.toBeNull();
    expect(await meters.shard(0).meterRegions()).toEqual([]);
    expect(await meters.shard(0, "oc").getCheck(id)).toBeNull();
  });

  it("meters a stored facility's check in the caller's region and still hands its verdict home, where drift lives", async () => {
    const { tenantId, key } = await newTenant();
    const created = await call("/v1/facilities", { method: "POST", key, json: sfRestaurant() });
    expect(created.status).toBe(201);
    const facilityId = ((await created.json()) as { id: string }).id;
    const checked = await call(`/v1/facilities/${facilityId}/checks`, {
      method: "POST",
      key,
      cf: { continent: "OC" },
    } as RequestInit & { key: string });
    expect(checked.status).toBe(200);
    const check = (await checked.json()) as { id: string; evaluatedAt: string };

    const meters = TenantMeters.of(env, tenantId);
    expect(await meters.shard(0, "oc").getCheck(check.id)).not.toBeNull();
    expect(await meters.shard(0).getCheck(check.id)).toBeNull();
    // The home object received this check's verdict (drift and alerts are computed there).
    const latest = await meters.shard(0).getFacilityVerdict(facilityId);
    expect(latest).toMatchObject({ cause: "check", evaluatedAt: check.evaluatedAt });
  });

  it("creates a regional shard with its location hint, and reads a tenant without regions at home only", async () => {
    const { tenantId } = await newTenant();
    const gets: { name: string; locationHint: string | undefined }[] = [];
    const names = new Map<string, string>();
    // The real namespace, watched: which objects are reached, and with which hint.
    const watched = {
      idFromName(name: string) {
        const id = env.TENANT.idFromName(name);
        names.set(id.toString(), name);
        return id;
      },
      get(id: DurableObjectId, options?: DurableObjectNamespaceGetDurableObjectOptions) {
        gets.push({ name: names.get(id.toString()) ?? "?", locationHint: options?.locationHint });
        return env.TENANT.get(id, options);
      },
    } as unknown as DurableObjectNamespace<TenantObject>;
    const meters = new TenantMeters(watched, tenantId, 2);

    expect(total(await meters.usage(around()))).toBe(0);
    expect(gets.map((get) => get.name).sort()).toEqual([tenantId, tenantId, `${tenantId}:meter:1`].sort());

    for (let i = 0; i < 8; i++)
      expect((await meters.record(checkInput(tenantId), "apac")).kind).toBe("recorded");
    gets.length = 0;
    expect(total(await meters.usage(around()))).toBe(8);
    expect(gets.filter((get) => get.name.includes(":meter:apac:"))).toEqual([
      { name: `${tenantId}:meter:apac:0`, locationHint: "apac" },
      { name: `${tenantId}:meter:apac:1`, locationHint: "apac" },
    ]);
    expect(gets.filter((get) => !get.name.includes(":meter:apac:")).every((get) => !get.locationHint)).toBe(
      true,
    );
  });

  it("maps every continent to a region, and meters at home when regions are off or cf is missing", () => {
    for (const continent of CONTINENTS) expect(METER_REGIONS).toContain(CONTINENT_REGIONS[continent]);
    const from = (cf?: { continent: string }) =>
      new Request("https://prep.test/v1/checks", cf ? ({ cf } as RequestInit) : {});
    const on = { METER_REGIONS: "continent" };
    expect(callerRegion(on, from({ continent: "OC" }))).toBe<MeterRegion>("oc");
    expect(callerRegion(on, from({ continent: "EU" }))).toBe<MeterRegion>("weur");
    expect(callerRegion(on, from())).toBeUndefined();
    expect(callerRegion(on, from({ continent: "T1" }))).toBeUndefined();
    expect(callerRegion({ METER_REGIONS: "off" }, from({ continent: "OC" }))).toBeUndefined();
    expect(callerRegion({}, from({ continent: "OC" }))).toBeUndefined();
    // Regional shards follow the hot-tenant count.
    expect(meterShardCount("1,ten_hot=4", "ten_hot")).toBe(4);
  });
});
