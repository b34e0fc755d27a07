// Bounded object storage: what a check costs the object once delivered (a compressed ledger
// row, well under 1.5 kB), that reads and replays still answer byte for byte, retention by
// age and by bytes, bounded outbox batches and alerts, and that the largest facility the
// schemas accept is stored (split in parts) under workerd's 2 MB row limit.

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import * as v from "valibot";
import { describe, expect, it, vi } from "vitest";
import { type FacilityInput, FacilityInputSchema, LIMITS, type Verdict } from "../compliance";
import { withTenant } from "../db/client";
import { newId } from "../db/ids";
import { datasetRegistry } from "../runtime/dataset-registry";
import { evaluateFacility } from "../runtime/evaluation";
import { entryJson } from "../test/check-records";
import { sfRestaurant } from "../test/fixtures";
import { call, newTenant, workerDb } from "../test/helpers";
import { TenantMeters } from "../workers/services/tenant-meters";
import type { AlertStore } from "./alert-store";
import { ALERT_RETENTION_MS } from "./alert-store";
import {
  type CheckRecord,
  checkResultJson,
  DEFAULT_VIEW,
  encodeCheck,
  type RecordCheckInput,
  serializeCheck,
} from "./contract";
import { IDEMPOTENCY_WINDOW_MS, LEDGER_RETENTION_MS, type Ledger } from "./ledger";
import { type CheckDelivery, deliverToPostgres, OUTBOX_BATCH_BYTES } from "./outbox";
import { RECORD_PART_BYTES } from "./record-store";
import type { TenantObject } from "./tenant-object";

const DAY_MS = 86_400_000;
const ROW_LIMIT_BYTES = 2_000_000;
const today = () => new Date().toISOString().slice(0, 10);

/** The object's private parts, for pruning at a chosen time. */
const internals = (instance: TenantObject) => instance as unknown as { ledger: Ledger; alerts: AlertStore };

async function verdictOf(facility: FacilityInput): Promise<Verdict> {
  const handle = workerDb();
  try {
    const datasets = await datasetRegistry.current(
      () => handle.db,
      () => {},
    );
    const evaluation = evaluateFacility(facility, today(), datasets);
    if (!evaluation.covered) throw new Error(evaluation.why);
    return evaluation.verdict;
  } finally {
    await handle.close();
  }
}

/** A check as runCheck (workers/services/checks.ts) records it, with the response body it answers. */
function checkOf(
  tenantId: string,
  facility: FacilityInput,
  verdict: Verdict,
  facilityId: string | null,
  idempotencyKey?: string,
) {
  const id = newId("chk");
  const evaluatedAt = new Date().toISOString();
  const asOf = today();
  const record: CheckRecord = {
    id,
    tenantId,
    facilityId,
    state: facility.address.state,
    asOf,
    evaluatedAt,
    result: { id, asOf, evaluatedAt, facilityId, ...verdict },
  };
  const { entry, resultJson } = serializeCheck(record, DEFAULT_VIEW);
  const input: RecordCheckInput = {
    check: encodeCheck(entry),
    idempotencyKey,
    requestHash: idempotencyKey && btoa(idempotencyKey.padEnd(32, "#")),
  };
  return { input, resultJson };
}

async function postgresCount(tenantId: string): Promise<number> {
  const handle = workerDb();
  try {
    return await withTenant(handle.db, tenantId, async (tx) =>
      Number(((await tx.execute(sql`SELECT count(*) AS n FROM checks`)).rows[0] as { n: string }).n),
    );
  } finally {
    await handle.close();
  }
}

/**
 * Runs the object's alarm until Postgres holds `expected` checks of the tenant (the alarm may
 * also fire by itself, 1 s after a check, and be mid-flush when the test looks).
 */
async function drain(stub: DurableObjectStub<TenantObject>, tenantId: string, expected: number) {
  await vi.waitFor(
    async () => {
      await runDurableObjectAlarm(stub);
      expect(await postgresCount(tenantId)).toBe(expected);
    },
    { timeout: 60_000, interval: 200 },
  );
}

/** A few kitchens of one tenant: the San Francisco fixture with its own staff. */
function kitchens(count: number): FacilityInput[] {
  const base = sfRestaurant().staff as Record<string, unknown>[];
  return Array.from({ length: count }, (_, k) =>
    v.parse(
      FacilityInputSchema,
      sfRestaurant({
        name: `Kitchen ${k}`,
        staff: [
          ...base,
          ...Array.from({ length: k % 4 }, (_, i) => ({
            id: `k${k}-s${i}`,
            name: `Cook ${k}.${i}`,
            role: "food_employee",
            hiredAt: `2026-0${1 + ((k + i) % 9)}-15`,
          })),
        ],
      }),
    ),
  );
}

describe("storage per check", () => {
  it("keeps 20,000 delivered checks in under 1.5 kB each, answering reads and replays byte for byte", async () => {
    const { tenantId, key } = await newTenant();
    const meters = TenantMeters.of(env, tenantId);
    const stub = meters.shard(0);
    const facilities = kitchens(8);
    const verdicts = await Promise.all(facilities.map(verdictOf));
    const facilityIds = facilities.map(() => newId("fac"));

    const total = 20_000;
    const rounds = 10;
    const samples: ReturnType<typeof checkOf>[] = [];
    const started = Date.now();
    for (let round = 0; round < rounds; round++) {
      const checks = Array.from({ length: total / rounds }, (_, i) => {
        const k = (round * 7 + i) % facilities.length;
        return checkOf(
          tenantId,
          facilities[k] as FacilityInput,
          verdicts[k] as Verdict,
          i % 2 ? (facilityIds[k] as string) : null,
          `idem-${round}-${i}-${crypto.randomUUID()}`,
        );
      });
      // One call into the object per round runs its recordCheck for each check of the round:
      // the same method the Worker's RPC reaches, without 20,000 test-runner round trips.
      const outcomes = await runInDurableObject(stub, async (instance: TenantObject) => {
        const kinds: string[] = [];
        for (const { input } of checks) kinds.push((await instance.recordCheck(input)).kind);
        return kinds;
      });
      expect(outcomes.every((kind) => kind === "recorded")).toBe(true);
      samples.push(...checks.filter((_, i) => i % 400 === 0));
      // The flush the round scheduled (its alarm) delivers it, if the alarm has not fired yet.
      await runDurableObjectAlarm(stub);
    }
    const recordMs = Date.now() - started;
    await drain(stub, tenantId, total);

    const { bytes, perCheck, ledgerBytes } = await runInDurableObject(stub, (instance, state) => {
      const { ledger } = internals(instance);
      ledger.prune(Date.now());
      const bytes = state.storage.sql.databaseSize;
      return { bytes, perCheck: bytes / total, ledgerBytes: ledger.bytes() };
    });
    console.log(
      `storage: ${total} checks delivered in ${recordMs} ms; databaseSize ${bytes} B = ${perCheck.toFixed(0)} B per check (ledger budget counts ${(ledgerBytes / total).toFixed(0)} B per check)`,
    );
    expect(perCheck).toBeLessThan(1_500);

    // Reads and replays answer exactly what was answered when the check was recorded.
    expect(samples.length).toBeGreaterThanOrEqual(50);
    for (const { input, resultJson } of samples) {
      const response = await call(`/v1/checks/${input.check.id}`, { key });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe(resultJson);
      const replay = await stub.recordCheck({ ...input, check: { ...input.check, id: newId("chk") } });
      expect(replay.kind).toBe("replayed");
      expect(replay.kind === "replayed" && checkResultJson(replay.record.result, DEFAULT_VIEW)).toBe(
        resultJson,
      );
    }
  }, 120_000);

  it("prunes by age, and by bytes past the idempotency window, never what is undelivered or replayable", async () => {
    const { tenantId } = await newTenant();
    const stub = TenantMeters.of(env, tenantId).shard(0);
    const [facility] = kitchens(1) as [FacilityInput];
    const verdict = await verdictOf(facility);
    const record = (n: number) =>
      Promise.all(
        Array.from({ length: n }, () =>
          stub.recordCheck(checkOf(tenantId, facility, verdict, null, crypto.randomUUID()).input),
        ),
      );
    await record(300);
    await drain(stub, tenantId, 300);
    // Postgres is unreachable for the next 50: they stay in the outbox.
    let deliver: CheckDelivery = deliverToPostgres;
    await runInDurableObject(stub, (instance: TenantObject) => {
      deliver = instance.deliverChecks;
      instance.deliverChecks = async () => {
        throw new Error("ECONNREFUSED");
      };
    });
    await record(50);

    const now = Date.now();
    const counts = await runInDurableObject(stub, (instance, state) => {
      const { ledger } = internals(instance);
      const rows = () => state.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM checks").one().n;
      const before = { rows: rows(), bytes: ledger.bytes() };
      // Over budget but inside the idempotency window: nothing goes.
      ledger.prune(now, 1);
      const inWindow = rows();
      // Past the window, over a budget of half the ledger: the oldest delivered checks go.
      ledger.prune(now + IDEMPOTENCY_WINDOW_MS + 1, before.bytes / 2);
      const halved = { rows: rows(), bytes: ledger.bytes() };
      // Past retention: every delivered check goes; the undelivered 50 stay, and their dictionary.
      ledger.prune(now + LEDGER_RETENTION_MS + 1);
      const dictionaries = state.storage.sql
        .exec<{ n: number }>("SELECT count(*) AS n FROM ledger_dictionaries")
        .one().n;
      return { before, inWindow, halved, after: rows(), afterBytes: ledger.bytes(), dictionaries };
    });
    expect(counts.before.rows).toBe(350);
    expect(counts.inWindow).toBe(350);
    expect(counts.halved.bytes).toBeLessThanOrEqual(counts.before.bytes / 2);
    expect(counts.halved.rows).toBeGreaterThanOrEqual(50);
    expect(counts.halved.rows).toBeLessThan(350 / 2 + 60);
    expect(counts.after).toBe(50);
    expect(counts.afterBytes).toBeGreaterThan(0);
    expect(counts.dictionaries).toBe(1);
    await runInDurableObject(stub, (instance: TenantObject) => {
      instance.deliverChecks = deliver;
    });
    await drain(stub, tenantId, 350);
  });

  it("delivers each check byte for byte, from memory when just recorded and from storage when not", async () => {
    const { tenantId } = await newTenant();
    const stub = TenantMeters.of(env, tenantId).shard(0);
    const [facility] = kitchens(1);
    if (!facility) throw new Error("no kitchen");
    const verdict = await verdictOf(facility);
    const checks = Array.from({ length: 6 }, () => checkOf(tenantId, facility, verdict, null).input);
    const delivered = new Map<string, string>();
    const decoder = new TextDecoder();
    await runInDurableObject(stub, (instance: TenantObject) => {
      const deliver = instance.deliverChecks;
      instance.deliverChecks = (db, tenant, batch) => {
        for (const check of batch) {
          const json = decoder.decode(check.utf8);
          delivered.set((JSON.parse(json) as { id: string }).id, json);
        }
        return deliver(db, tenant, batch);
      };
    });
    for (const input of checks) await stub.recordCheck(input);
    // As after a restart or an eviction: half the records are only in storage (deflated).
    await runInDurableObject(stub, (instance: TenantObject) => {
      internals(instance).ledger.forgetRecorded(checks.slice(0, 3).map((input) => input.check.id));
    });
    await drain(stub, tenantId, checks.length);
    for (const input of checks) expect(delivered.get(input.check.id)).toBe(entryJson(input));
  });

  it("bounds outbox batches by bytes as well as by count", async () => {
    const { tenantId } = await newTenant();
    const stub = TenantMeters.of(env, tenantId).shard(0);
    // About 300 kB of JSON per check: 1,000 staff, each with findings of their own.
    const facility = v.parse(
      FacilityInputSchema,
      sfRestaurant({
        staff: Array.from({ length: 1_000 }, (_, i) => ({
          id: `s-${i}`,
          name: `Staff member ${i}`,
          role: "food_employee",
          hiredAt: "2026-01-05",
        })),
      }),
    );
    const verdict = await verdictOf(facility);
    const checks = Array.from({ length: 40 }, () => checkOf(tenantId, facility, verdict, null));
    const jsonBytes = checks[0]?.input.check.utf8.byteLength ?? 0;
    expect(jsonBytes).toBeGreaterThan(OUTBOX_BATCH_BYTES / 20);
    const batches: number[][] = [];
    await runInDurableObject(stub, (instance: TenantObject) => {
      const deliver = instance.deliverChecks;
      instance.deliverChecks = (db, tenant, batch) => {
        batches.push(batch.map((check) => check.utf8.byteLength));
        return deliver(db, tenant, batch);
      };
    });
    for (const { input } of checks) await stub.recordCheck(input);
    await drain(stub, tenantId, 40);
    expect(batches.length).toBeGreaterThan(1);
    for (const sizes of batches)
      expect(sizes.length === 1 || sizes.reduce((a, b) => a + b, 0) <= OUTBOX_BATCH_BYTES).toBe(true);
  });
});

describe("the largest facility the schemas accept", () => {
  /** Text that compresses badly: random CJK characters, 3 bytes each in UTF-8. */
  const noise = (length: number) =>
    Array.from({ length }, () => String.fromCharCode(0x4e00 + Math.floor(Math.random() * 20_000))).join("");

  it("is stored under workerd's 2 MB row limit (split in parts) and read back byte for byte", async () => {
    const roles = ["food_employee", "manager", "person_in_charge", "owner"];
    const credentialTypes = [
      "food_handler_card",
      "food_protection_manager",
      "allergen_awareness",
      "local_manager_certificate",
    ];
    const facility = v.parse(
      FacilityInputSchema,
      sfRestaurant({
        name: noise(200),
        address: {
          line1: noise(200),
          city: "San Francisco",
          county: "San Francisco",
          state: "CA",
          postalCode: "94110-1234",
        },
        permits: Array.from({ length: LIMITS.permits }, (_, i) => ({
          type: "health_permit",
          number: noise(100),
          issuer: "ocd-division/country:us/state:ca/place:san_francisco",
          issuedAt: "2020-01-01",
          expiresAt: i % 2 ? "2021-01-01" : today(),
        })),
        staff: Array.from({ length: LIMITS.staff }, (_, i) => ({
          id: `${i}-${noise(95)}`,
          name: noise(200),
          role: roles[i % roles.length],
          hiredAt: "2026-01-01",
          credentials: Array.from({ length: LIMITS.credentialsPerStaff }, (_, j) => ({
            type: credentialTypes[j % credentialTypes.length],
            issuer: "ocd-division/country:us/state:ca",
            issuedAt: "2020-01-01",
            expiresAt: j % 2 ? "2021-01-01" : "2030-01-01",
          })),
        })),
        inspections: Array.from({ length: LIMITS.inspections }, (_, i) => ({
          date: "2025-01-01",
          score: 50 + (i % 50),
          grade: noise(20),
          criticalViolations: i % 7,
        })),
        temperatureLogs: Array.from({ length: LIMITS.temperatureLogs }, (_, i) => ({
          at: "2026-11-30T12:00:00Z",
          item: noise(200),
          mode: i % 2 ? "cold_holding" : "hot_holding",
          tempF: i % 2 ? 60 : 100,
        })),
      }),
    );
    const { tenantId } = await newTenant();
    const stub = TenantMeters.of(env, tenantId).shard(0);
    const { input } = checkOf(tenantId, facility, await verdictOf(facility), null, "largest");
    const jsonBytes = input.check.utf8.byteLength;
    expect(jsonBytes).toBeGreaterThan(5 * ROW_LIMIT_BYTES);

    expect((await stub.recordCheck(input)).kind).toBe("recorded");
    const stored = await runInDurableObject(stub, (instance, state) => {
      const storage = state.storage.sql;
      const row = storage
        .exec<{ inline: number; parts: number | null }>(
          "SELECT length(record) AS inline, parts FROM checks WHERE id = ?",
          input.check.id,
        )
        .one();
      const largestPart = storage
        .exec<{ n: number }>(
          "SELECT max(length(bytes)) AS n FROM record_parts WHERE owner = ?",
          input.check.id,
        )
        .one().n;
      const packed = storage
        .exec<{ n: number }>(
          "SELECT sum(length(bytes)) AS n FROM record_parts WHERE owner = ?",
          input.check.id,
        )
        .one().n;
      // Every value the object stored, in any table, fits in a row (local workerd does not
      // enforce the 2 MB limit, production does: so the sizes are asserted here).
      const largestValue = storage
        .exec<{ n: number }>(
          `SELECT max(n) AS n FROM (
             SELECT max(length(CAST(record AS BLOB))) AS n FROM checks
             UNION ALL SELECT max(length(bytes)) FROM record_parts
             UNION ALL SELECT max(length(bytes)) FROM ledger_dictionaries)`,
        )
        .one().n;
      const same = internals(instance).ledger.text(input.check.id)?.json === entryJson(input);
      return { row, largestPart, packed, largestValue, same };
    });
    console.log(
      `largest facility: ${jsonBytes} B of JSON stored as ${stored.packed} B in ${stored.row.parts} parts of at most ${stored.largestPart} B`,
    );
    expect(stored.row.inline).toBe(0);
    expect(stored.row.parts).toBeGreaterThan(1);
    expect(stored.largestPart).toBeLessThanOrEqual(RECORD_PART_BYTES);
    expect(stored.packed).toBeGreaterThan(ROW_LIMIT_BYTES);
    expect(stored.largestValue).toBeLessThanOrEqual(RECORD_PART_BYTES);
    expect(stored.same).toBe(true);

    // A retry replays it; the outbox delivers it (alone in its batch).
    const replay = await stub.recordCheck({ ...input, check: { ...input.check, id: newId("chk") } });
    expect(replay.kind === "replayed" && replay.record.id).toBe(input.check.id);
    await drain(stub, tenantId, 1);
  }, 120_000);
});

describe("alerts", () => {
  it("forgets alerts acknowledged 90 days ago, and the oldest beyond the cap, acknowledged first", async () => {
    const { tenantId } = await newTenant();
    const stub = TenantMeters.of(env, tenantId).shard(0);
    const now = Date.now();
    const left = await runInDurableObject(stub, (instance) => {
      const { alerts } = internals(instance);
      const ids = Array.from({ length: 6 }, (_, i) => {
        const id = newId("alr", now - (10 - i) * DAY_MS);
        alerts.add({
          id,
          facilityId: "fac_1",
          facilityName: "Kitchen",
          cause: "updated",
          reason: null,
          detectedAt: new Date(now - (10 - i) * DAY_MS).toISOString(),
          previousVerdictAt: new Date(now - 11 * DAY_MS).toISOString(),
          previousStatus: "compliant",
          status: "non_compliant",
          changes: [],
        });
        return id;
      });
      const [old, recent, , , , newest] = ids as [string, string, string, string, string, string];
      alerts.acknowledge(old, "usr_a", new Date(now - ALERT_RETENTION_MS - DAY_MS).toISOString());
      alerts.acknowledge(recent, "usr_a", new Date(now - DAY_MS).toISOString());
      alerts.acknowledge(newest, "usr_a", new Date(now).toISOString());
      const aged = alerts.prune(now, { force: true });
      // Cap 3 of the 5 left: acknowledged alerts go first (even the newest), oldest first.
      const capped = alerts.prune(now, { force: true, maxAlerts: 3 });
      const kept = alerts.list({ limit: 10 }).data.map((alert) => alert.id);
      return { aged, capped, kept, ids };
    });
    expect(left.aged).toBe(1);
    expect(left.capped).toBe(2);
    expect(left.kept).toEqual([left.ids[4], left.ids[3], left.ids[2]]);
  });
});
