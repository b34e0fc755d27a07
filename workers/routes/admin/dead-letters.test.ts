// Dead letters for operators: platform admins list a tenant's refused checks (tenant keys are
// refused), requeue or discard them; GET /v1/status counts them across the platform.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { checkInput, POISONS, postgresCheckIds } from "../../../test/check-records";
import { call, newTenant } from "../../../test/helpers";
import { newAdmin } from "../../../test/pipeline";
import { TenantMeters } from "../../services/tenant-meters";

interface Listed {
  data: {
    checkId: string;
    reason: string;
    sqlState: string;
    record: string;
    shard: number;
    deadLetteredAt: string;
  }[];
  nextCursor: string | null;
}
const statusCount = async () =>
  ((await (await call("/v1/status")).json()) as { deadLetters: { total: number; tenants: number } | null })
    .deadLetters;

describe("admin dead letters", () => {
  it("are for platform admins only", async () => {
    const { tenantId, key } = await newTenant();
    const paths = ["/v1/admin/dead-letters", `/v1/admin/tenants/${tenantId}/dead-letters`];
    for (const path of paths) {
      expect((await call(path)).status).toBe(401);
      expect((await call(path, { key })).status).toBe(403);
    }
    const requeue = `/v1/admin/tenants/${tenantId}/dead-letters/chk_X/requeue`;
    expect((await call(requeue, { method: "POST", key })).status).toBe(403);
    const admin = await newAdmin();
    expect((await call("/v1/admin/tenants/nope/dead-letters", { key: admin.key })).status).toBe(422);
    expect((await call(requeue, { method: "POST", key: admin.key })).status).toBe(404);
  });

  it("lists a tenant's refused checks, counts them in /v1/status, requeues and discards", async () => {
    const { tenantId } = await newTenant();
    const admin = await newAdmin();
    const stub = TenantMeters.of(env, tenantId).shard(0);
    const poisons = [POISONS.nul, POISONS.yearZero, POISONS.loneSurrogate].map((mutate) =>
      checkInput(tenantId, { mutate }),
    );
    const good = checkInput(tenantId);
    for (const input of [...poisons, good]) await stub.recordCheck(input);
    const before = await statusCount();
    expect(before).not.toBeNull();
    await runDurableObjectAlarm(stub);
    expect(await postgresCheckIds(tenantId)).toEqual([good.check.id]);

    const path = `/v1/admin/tenants/${tenantId}/dead-letters`;
    const listed = await call(path, { key: admin.key });
    expect(listed.status).toBe(200);
    const body = (await listed.json()) as Listed;
    const ids = poisons.map((p) => p.check.id).sort();
    expect(body.data.map((letter) => letter.checkId)).toEqual(ids);
    expect(body.nextCursor).toBeNull();
    for (const letter of body.data) {
      expect(letter.sqlState).toMatch(/^22/);
      expect(letter.shard).toBe(0);
    }
    // Pages by check id.
    const first = (await (await call(`${path}?limit=2`, { key: admin.key })).json()) as Listed;
    expect(first.data.map((l) => l.checkId)).toEqual(ids.slice(0, 2));
    const second = (await (
      await call(`${path}?limit=2&cursor=${first.nextCursor}`, { key: admin.key })
    ).json()) as Listed;
    expect(second.data.map((l) => l.checkId)).toEqual(ids.slice(2));
    expect(second.nextCursor).toBeNull();

    expect((await statusCount())?.total).toBeGreaterThanOrEqual((before?.total ?? 0) + 3);
    const summary = (await (await call("/v1/admin/dead-letters", { key: admin.key })).json()) as {
      tenants: { tenantId: string; count: number }[];
    };
    expect(summary.tenants.find((t) => t.tenantId === tenantId)?.count).toBe(3);

    // Requeued, a still-bad record is sent again at once (the flush is due now), refused
    // again and comes back with a new time; discarded, it is gone.
    const [again, gone] = ids as [string, string];
    const firstTime = body.data.find((l) => l.checkId === again)?.deadLetteredAt as string;
    const requeued = await call(`${path}/${again}/requeue`, { method: "POST", key: admin.key });
    expect(requeued.status).toBe(200);
    await runDurableObjectAlarm(stub);
    await vi.waitFor(async () => {
      const letters = ((await (await call(path, { key: admin.key })).json()) as Listed).data;
      expect(letters).toHaveLength(3);
      expect(letters.find((l) => l.checkId === again)?.deadLetteredAt).not.toBe(firstTime);
    });
    expect((await call(`${path}/${gone}`, { method: "DELETE", key: admin.key })).status).toBe(204);
    expect((await call(`${path}/${gone}`, { method: "DELETE", key: admin.key })).status).toBe(404);
    const left = ((await (await call(path, { key: admin.key })).json()) as Listed).data;
    expect(left.map((l) => l.checkId)).not.toContain(gone);
    const after = (await (await call("/v1/admin/dead-letters", { key: admin.key })).json()) as {
      tenants: { tenantId: string; count: number }[];
    };
    expect(after.tenants.find((t) => t.tenantId === tenantId)?.count).toBe(2);
  });
});
