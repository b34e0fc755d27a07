// Nothing that got in can block what comes after: a record Postgres refuses (SQLSTATE class
// 22/23) is isolated by bisecting its batch and set aside as a dead letter; every other check
// flows in the same flush. An outage (no refusal) is retried with backoff, never dead-lettered.

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it, vi } from "vitest";
import { checkInput, entryJson, POISONS, postgresCheckIds } from "../test/check-records";
import { sfRestaurant } from "../test/fixtures";
import { call, newTenant } from "../test/helpers";
import { TenantMeters } from "../workers/services/tenant-meters";
import type { RecordCheckInput } from "./contract";
import { type CheckDelivery, deliverToPostgres, isRefusal, OUTBOX_BATCH_SIZE, sqlStateOf } from "./outbox";
import type { TenantObject } from "./tenant-object";

const alarmOf = (stub: DurableObjectStub<TenantObject>) =>
  runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());

describe("refusal or outage", () => {
  const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });
  it("reads the SQLSTATE through drizzle's wrapper and calls only classes 22 and 23 a refusal", () => {
    const wrapped = (code: string) => new Error("Failed query: INSERT …", { cause: pgError(code) });
    expect(sqlStateOf(wrapped("22P05"))).toBe("22P05");
    for (const code of ["22P05", "22P02", "22008", "22007", "23505", "23502"])
      expect(isRefusal(wrapped(code)), code).toBe(true);
    for (const code of ["08006", "08001", "57P01", "53300", "40001", "42501", "XX000"])
      expect(isRefusal(wrapped(code)), code).toBe(false);
    expect(isRefusal(new Error("ECONNREFUSED"))).toBe(false);
    expect(isRefusal(Object.assign(new Error("connect"), { code: "ECONNRESET" }))).toBe(false);
  });
});

describe("dead letters", () => {
  it("isolates every record Postgres refuses and delivers the rest in the same flush", async () => {
    const { tenantId } = await newTenant();
    const meters = TenantMeters.of(env, tenantId);
    const stub = meters.shard(0);
    const goods: RecordCheckInput[] = [];
    const poisons: RecordCheckInput[] = [];
    // The poisons come first, oldest in the outbox, where they used to block everything after them.
    for (const mutate of Object.values(POISONS)) {
      const poison = checkInput(tenantId, { mutate });
      poisons.push(poison);
      expect((await stub.recordCheck(poison)).kind).toBe("recorded");
      const good = checkInput(tenantId);
      goods.push(good);
      await stub.recordCheck(good);
    }
    let deliveries = 0;
    await runInDurableObject(stub, (instance: TenantObject) => {
      const deliver = instance.deliverChecks;
      instance.deliverChecks = (db, tenant, batch) => {
        deliveries++;
        return deliver(db, tenant, batch);
      };
    });

    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect((await postgresCheckIds(tenantId)).sort()).toEqual(goods.map((g) => g.check.id).sort());
    // Bisection, not one record at a time: 8 records with 4 bad in a single batch.
    expect(deliveries).toBeLessThanOrEqual(15);
    const { data } = await stub.listDeadLetters({ limit: 10 });
    expect(data.map((letter) => letter.checkId).sort()).toEqual(poisons.map((p) => p.check.id).sort());
    for (const letter of data) {
      expect(letter.sqlState).toMatch(/^22/);
      expect(letter.reason).toContain(letter.sqlState as string);
      expect(letter.reason).not.toContain("Failed query");
      expect(Date.parse(letter.deadLetteredAt)).toBeGreaterThan(Date.now() - 60_000);
    }
    const nul = data.find((letter) => letter.checkId === poisons[0]?.check.id);
    expect(nul?.record).toBe(poisons[0] && entryJson(poisons[0]));
    // The outbox is empty: no flush is pending, and the next check goes through on its own flush.
    expect(await alarmOf(stub)).toBeNull();
    const next = checkInput(tenantId);
    await stub.recordCheck(next);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await postgresCheckIds(tenantId)).toContain(next.check.id);
    // The dead-lettered checks stay metered: they were answered and billed.
    const now = Date.now();
    const usage = await stub.getUsage({
      fromMs: now - 86_400_000,
      toMs: now + 86_400_000,
      granularity: "day",
    });
    expect(usage.reduce((sum, row) => sum + row.count, 0)).toBe(goods.length + poisons.length + 1);
  });

  it("finds a poison anywhere in a backlog of several full batches within one alarm", async () => {
    const { tenantId } = await newTenant();
    const stub = TenantMeters.of(env, tenantId).shard(0);
    const total = OUTBOX_BATCH_SIZE * 2 + 37;
    const poisonAt = new Set([0, 137, OUTBOX_BATCH_SIZE - 1, OUTBOX_BATCH_SIZE + 5, total - 1]);
    const inputs = Array.from({ length: total }, (_, i) =>
      checkInput(tenantId, poisonAt.has(i) ? { mutate: POISONS.nul } : {}),
    );
    for (const input of inputs) await stub.recordCheck(input);
    // One alarm: run here, unless recording took longer than the flush delay and the object's
    // own alarm already ran (or is running) it.
    await runDurableObjectAlarm(stub);
    let delivered = new Set<string>();
    // The good checks may reach Postgres before the last poison is set aside: wait for both.
    await vi.waitFor(
      async () => {
        delivered = new Set(await postgresCheckIds(tenantId));
        expect(delivered.size).toBe(total - poisonAt.size);
        expect((await stub.listDeadLetters({ limit: 100 })).data).toHaveLength(poisonAt.size);
      },
      { timeout: 15_000, interval: 200 },
    );
    expect(inputs.filter((input) => !delivered.has(input.check.id))).toEqual(
      inputs.filter((_, i) => poisonAt.has(i)),
    );
    expect(await alarmOf(stub)).toBeNull();
  });

  it("never dead-letters during an outage: keeps everything, backs off, then delivers", async () => {
    const { tenantId } = await newTenant();
    const stub = TenantMeters.of(env, tenantId).shard(0);
    let deliver: CheckDelivery = deliverToPostgres;
    const outages = [
      new Error("Failed query", {
        cause: Object.assign(new Error("terminating connection"), { code: "57P01" }),
      }),
      Object.assign(new Error("connection failure"), { code: "08006" }),
      new Error("Network connection lost."),
    ];
    let attempt = 0;
    await runInDurableObject(stub, (instance: TenantObject) => {
      deliver = instance.deliverChecks;
      instance.deliverChecks = async () => {
        throw outages[attempt++ % outages.length];
      };
    });
    const inputs = Array.from({ length: 5 }, () => checkInput(tenantId));
    for (const input of inputs) await stub.recordCheck(input);
    for (let i = 0; i < outages.length; i++) {
      const before = Date.now();
      await runDurableObjectAlarm(stub);
      expect(((await alarmOf(stub)) as number) - before).toBeGreaterThan(500);
    }
    expect((await stub.listDeadLetters({ limit: 10 })).data).toEqual([]);
    await runInDurableObject(stub, (instance: TenantObject) => {
      instance.deliverChecks = deliver;
    });
    await runDurableObjectAlarm(stub);
    expect((await postgresCheckIds(tenantId)).sort()).toEqual(inputs.map((i) => i.check.id).sort());
  });

  it("lets a facility's next check reach its history past a poison record", async () => {
    const { tenantId, key } = await newTenant();
    const created = await call("/v1/facilities", { method: "POST", key, json: sfRestaurant() });
    expect(created.status).toBe(201);
    const facilityId = ((await created.json()) as { id: string }).id;
    const stub = TenantMeters.of(env, tenantId).shard(0);
    const poison = checkInput(tenantId, { facilityId, mutate: POISONS.nul });
    await stub.recordCheck(poison);

    const checked = await call(`/v1/facilities/${facilityId}/checks`, { method: "POST", key, json: {} });
    expect(checked.status).toBe(200);
    const checkId = ((await checked.json()) as { id: string }).id;
    expect(await runDurableObjectAlarm(stub)).toBe(true);

    const history = await call(`/v1/facilities/${facilityId}/checks`, { key });
    expect(history.status).toBe(200);
    const ids = ((await history.json()) as { data: { id: string }[] }).data.map((check) => check.id);
    expect(ids).toContain(checkId);
    expect(ids).not.toContain(poison.check.id);
    expect((await stub.listDeadLetters({ limit: 10 })).data.map((l) => l.checkId)).toEqual([poison.check.id]);
  });
});
