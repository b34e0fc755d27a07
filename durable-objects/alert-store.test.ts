// A principal limited to many locations lists alerts: the object binds at most 100 SQLite
// parameters per statement, so the facility filter must not take one per facility.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { newId } from "../db/ids";
import { newTenant } from "../test/helpers";
import { TenantMeters } from "../workers/services/tenant-meters";

describe("alerts of a manager with many locations", () => {
  it("lists and filters with 150 and 5,000 facility ids", async () => {
    const { tenantId } = await newTenant();
    const stub = TenantMeters.of(env, tenantId).shard(0);
    const many = Array.from({ length: 150 }, () => newId("fac"));
    expect(await stub.listAlerts({ limit: 10, facilityIds: many })).toEqual({ data: [], nextCursor: null });
    const lots = Array.from({ length: 5_000 }, () => newId("fac"));
    expect((await stub.listAlerts({ limit: 10, facilityIds: lots, acknowledged: false })).data).toEqual([]);
  });
});
