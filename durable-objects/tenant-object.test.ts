// TenantObject: exact metering under concurrency and retries, the outbox to Postgres
// surviving a crash mid-flush, sharded meters, and drift from changes, deadlines and rules.

import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import * as v from "valibot";
import { describe, expect, it, vi } from "vitest";
import { type FacilityInput, FacilityInputSchema, type Verdict } from "../compliance";
import { withTenant } from "../db/client";
import { newId } from "../db/ids";
import { datasetRegistry } from "../runtime/dataset-registry";
import { evaluateFacility } from "../runtime/evaluation";
import { checkInput, entryJson, postgresCheckIds } from "../test/check-records";
import { cardFor, sfRestaurant } from "../test/fixtures";
import { call, newTenant, workerDb } from "../test/helpers";
import { TenantMeters } from "../workers/services/tenant-meters";
import type { RecordCheckInput } from "./contract";
import { changedFindings } from "./drift";
import { type CheckDelivery, deliverToPostgres, OUTBOX_BATCH_SIZE } from "./outbox";
import type { TenantObject } from "./tenant-object";

const STATES = ["CA", "NY", "TX", "WA"] as const;
const DAY_MS = 86_400_000;
const today = () => new Date().toISOString().slice(0, 10);
const inDays = (days: number) => new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

/** Runs `jobs` with `concurrency` callers pulling from one queue. */
async function inParallel<T>(jobs: (() => Promise<T>)[], concurrency: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await (jobs[index] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
  return items;
}

/**
 * `checks` recordings with unique keys; every `retryEvery`-th is sent a second time with
 * the same Idempotency-Key and body (a new check id, as the Worker makes on a retry).
 */
async function recordWithRetries(meters: TenantMeters, tenantId: string, checks: number, retryEvery: number) {
  const firsts: RecordCheckInput[] = [];
  const retries: RecordCheckInput[] = [];
  for (let i = 0; i < checks; i++) {
    const key = `idem-${i}-${crypto.randomUUID()}`;
    const first = checkInput(tenantId, {
      state: STATES[i % STATES.length] as string,
      idempotencyKey: key,
      requestHash: `hash-${i}`,
    });
    firsts.push(first);
    if (i % retryEvery === 0)
      retries.push({
        ...checkInput(tenantId, { state: first.check.state, idempotencyKey: key, requestHash: `hash-${i}` }),
      });
  }
  const outcomes = await inParallel(
    shuffle([...firsts, ...retries]).map(
      (input) => () => meters.record(input).then((outcome) => ({ input, outcome })),
    ),
    50,
  );
  return { firsts, retries, outcomes };
}

async function verdictAt(facility: FacilityInput, asOf: string): Promise<Verdict> {
  const handle = workerDb();
  try {
    const evaluation = evaluateFacility(
      facility,
      asOf,
      await datasetRegistry.current(
        () => handle.db,
        () => {},
      ),
    );
    if (!evaluation.covered) throw new Error(evaluation.why);
    return evaluation.verdict;
  } finally {
    await handle.close();
  }
}

const alarmOf = (stub: DurableObjectStub<TenantObject>) =>
  runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());

describe("metering", () => {
  it("counts 2,000 checks from 50 parallel callers exactly once, with 10% retried", async () => {
    const { tenantId, key } = await newTenant();
    const meters = TenantMeters.of(env, tenantId);
    const { firsts, retries, outcomes } = await recordWithRetries(meters, tenantId, 2000, 10);
    expect(retries).toHaveLength(200);

    // Whichever attempt of a key arrived first was recorded; the other replayed that same check.
    const recordedByKey = new Map<string, string>();
    for (const { input, outcome } of outcomes) {
      if (outcome.kind === "recorded") recordedByKey.set(input.idempotencyKey as string, input.check.id);
    }
    expect(recordedByKey.size).toBe(2000);
    const replays = outcomes.filter(({ outcome }) => outcome.kind === "replayed");
    expect(replays).toHaveLength(200);
    for (const { input, outcome } of replays) {
      expect(outcome.kind === "replayed" && outcome.record.id).toBe(
        recordedByKey.get(input.idempotencyKey as string),
      );
    }

    const usage = await call("/v1/usage", { key });
    expect(usage.status).toBe(200);
    const body = (await usage.json()) as { total: number; series: { byState: Record<string, number> }[] };
    expect(body.total).toBe(2000);
    const byState: Record<string, number> = {};
    for (const bucket of body.series)
      for (const [state, n] of Object.entries(bucket.byState)) byState[state] = (byState[state] ?? 0) + n;
    expect(byState).toEqual(
      Object.fromEntries(
        STATES.map((state) => [state, firsts.filter((f) => f.check.state === state).length]),
      ),
    );
  });

  it("refuses the same Idempotency-Key with a different body, without counting it", async () => {
    const { tenantId } = await newTenant();
    const meters = TenantMeters.of(env, tenantId);
    const first = await meters.record(
      checkInput(tenantId, { state: "CA", idempotencyKey: "key-1", requestHash: "body-a" }),
    );
    expect(first.kind).toBe("recorded");
    expect(
      (
        await meters.record(
          checkInput(tenantId, { state: "CA", idempotencyKey: "key-1", requestHash: "body-b" }),
        )
      ).kind,
    ).toBe("idempotency_conflict");
    const now = Date.now();
    const rows = await meters.usage({ fromMs: now - DAY_MS, toMs: now + DAY_MS, granularity: "day" });
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(1);
  });

  it("counts a check whose RPC was retried (same check id) once", async () => {
    const { tenantId } = await newTenant();
    const meters = TenantMeters.of(env, tenantId);
    const input = checkInput(tenantId);
    const [a, b] = await Promise.all([meters.record(input), meters.record(input)]);
    expect([a?.kind, b?.kind].sort()).toEqual(["recorded", "replayed"]);
    expect(await meters.findCheck(input.check.id)).toEqual(JSON.parse(entryJson(input)));
  });

  it("spreads a hot tenant over meter shards without losing or doubling a count", async () => {
    const { tenantId } = await newTenant();
    const sharded = new TenantMeters(env.TENANT, tenantId, 4);
    const { firsts, outcomes } = await recordWithRetries(sharded, tenantId, 400, 5);
    expect(outcomes.filter(({ outcome }) => outcome.kind === "recorded")).toHaveLength(400);
    const now = Date.now();
    const rows = await sharded.usage({ fromMs: now - DAY_MS, toMs: now + DAY_MS, granularity: "hour" });
    expect(rows.reduce((sum, row) => sum + row.count, 0)).toBe(400);
    // Every shard took a share, and any check is found whichever shard holds it.
    const perShard = await Promise.all(
      [0, 1, 2, 3].map((k) =>
        sharded.shard(k).getUsage({ fromMs: now - DAY_MS, toMs: now + DAY_MS, granularity: "day" }),
      ),
    );
    for (const shardRows of perShard)
      expect(shardRows.reduce((sum, row) => sum + row.count, 0)).toBeGreaterThan(40);
    const sample = firsts[123]?.check.id as string;
    const found = await sharded.findCheck(sample);
    expect(
      found?.id ??
        (outcomes.find(({ input }) => input.check.id === sample)?.outcome.kind === "replayed"
          ? sample
          : null),
    ).toBe(sample);
  });
});

describe("outbox to Postgres", () => {
  it("delivers each check to Postgres exactly as the API answered it, non-ASCII text included", async () => {
    const { tenantId, key } = await newTenant();
    // The whole answer: Postgres keeps every finding, not_applicable ones included.
    const response = await call("/v1/checks?include=not_applicable", {
      method: "POST",
      key,
      headers: { "idempotency-key": "outbox-fidelity-1" },
      json: {
        facility: sfRestaurant({
          name: "Café Niño — 東京",
          staff: [{ id: "s-ü", name: "Zoë Æbelø", role: "food_employee", hiredAt: "2026-01-05" }],
        }),
      },
    });
    expect(response.status).toBe(200);
    const answered = (await response.json()) as Record<string, unknown> & { status: string };
    await runDurableObjectAlarm(TenantMeters.of(env, tenantId).shard(0));

    const handle = workerDb();
    try {
      const rows = await withTenant(
        handle.db,
        tenantId,
        async (tx) =>
          (
            await tx.execute(sql`SELECT id, facility_id, idempotency_key, as_of::text AS as_of,
            evaluated_at, status, state, result FROM checks`)
          ).rows,
      );
      expect(rows).toHaveLength(1);
      const row = rows[0] as Record<string, unknown>;
      expect(row.id).toBe(answered.id);
      expect(row.facility_id).toBeNull();
      expect(row.idempotency_key).toBe("outbox-fidelity-1");
      expect(row.as_of).toBe(answered.asOf);
      expect(new Date(row.evaluated_at as string).toISOString()).toBe(answered.evaluatedAt);
      expect(row.status).toBe(answered.status);
      expect(row.state).toBe("CA");
      // The stored result is the verdict; the count of not-applicable findings belongs to answers.
      const { notApplicableCount, ...verdict } = answered;
      expect(row.result).toEqual(verdict);
      expect(notApplicableCount).toBeGreaterThan(0);
      expect(JSON.stringify(row.result)).toContain("Zoë Æbelø");
    } finally {
      await handle.close();
    }
  });

  it("schedules one flush for a burst of checks, and the next flush for the next check after delivery", async () => {
    const { tenantId } = await newTenant();
    const meters = TenantMeters.of(env, tenantId);
    const stub = meters.shard(0);
    const before = Date.now();
    const first = checkInput(tenantId);
    await meters.record(first);
    const flushAt = (await alarmOf(stub)) as number;
    expect(flushAt).toBeGreaterThanOrEqual(before);
    const burst = Array.from({ length: 5 }, () => checkInput(tenantId));
    for (const input of burst) await meters.record(input);
    // Later checks ride on the flush already pending: they never push it back.
    expect(await alarmOf(stub)).toBe(flushAt);

    await runDurableObjectAlarm(stub);
    expect(await postgresCheckIds(tenantId)).toHaveLength(6);
    expect(await alarmOf(stub)).toBeNull();

    const next = checkInput(tenantId);
    await meters.record(next);
    expect(await alarmOf(stub)).not.toBeNull();
    await runDurableObjectAlarm(stub);
    expect(await postgresCheckIds(tenantId)).toContain(next.check.id);
  });

  it("loses and duplicates nothing when the object dies between a Postgres commit and the outbox delete", async () => {
    const { tenantId } = await newTenant();
    const meters = TenantMeters.of(env, tenantId);
    const stub = meters.shard(0);
    const total = OUTBOX_BATCH_SIZE * 2 + 50;
    // Postgres is unreachable while the checks come in, so the whole backlog waits in the outbox.
    let deliver: CheckDelivery = deliverToPostgres;
    await runInDurableObject(stub, (instance: TenantObject) => {
      deliver = instance.deliverChecks;
      instance.deliverChecks = async () => {
        throw new Error("ECONNREFUSED");
      };
    });
    const inputs = Array.from({ length: total }, (_, i) =>
      checkInput(tenantId, { state: STATES[i % STATES.length] as string }),
    );
    await inParallel(
      inputs.map((input) => () => meters.record(input)),
      50,
    );
    // Then two batches reach Postgres and the object "dies" (every later delivery fails) until evicted.
    await runInDurableObject(stub, (instance: TenantObject) => {
      let batches = 0;
      instance.deliverChecks = async (db, tenant, batch) => {
        batches++;
        if (batches > 2) throw new Error("the object is gone");
        await deliver(db, tenant, batch);
        if (batches === 2) throw new Error("crash after Postgres committed the second batch");
      };
    });

    await runDurableObjectAlarm(stub);
    await vi.waitFor(
      async () => expect(await postgresCheckIds(tenantId)).toHaveLength(OUTBOX_BATCH_SIZE * 2),
      { timeout: 10_000 },
    );
    // The failed flush stays scheduled, to be retried by the alarm.
    expect(await alarmOf(stub)).not.toBeNull();

    // The object dies for real: its in-memory state goes, SQLite stays; a new instance takes over.
    await abortAllDurableObjects();
    const restarted = meters.shard(0);
    await runDurableObjectAlarm(restarted);
    await vi.waitFor(async () => expect(await postgresCheckIds(tenantId)).toHaveLength(total), {
      timeout: 10_000,
    });
    const delivered = await postgresCheckIds(tenantId);
    expect(delivered).toHaveLength(total);
    expect(new Set(delivered)).toEqual(new Set(inputs.map((input) => input.check.id)));
    expect(await alarmOf(restarted)).toBeNull();
  });

  it("backs off exponentially while Postgres is unreachable, then delivers everything", async () => {
    const { tenantId } = await newTenant();
    const meters = TenantMeters.of(env, tenantId);
    const stub = meters.shard(0);
    await runInDurableObject(stub, (instance: TenantObject) => {
      instance.deliverChecks = async () => {
        throw new Error("ECONNREFUSED");
      };
    });
    const inputs = Array.from({ length: 30 }, () => checkInput(tenantId));
    for (const input of inputs) await meters.record(input);
    const delays = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const before = Date.now();
      await runDurableObjectAlarm(stub);
      delays.push(((await alarmOf(stub)) as number) - before);
    }
    expect(delays[1]).toBeGreaterThan(delays[0] as number);
    expect(delays[2]).toBeGreaterThan(delays[1] as number);
    expect(await postgresCheckIds(tenantId)).toHaveLength(0);

    await abortAllDurableObjects();
    await runDurableObjectAlarm(meters.shard(0));
    expect((await postgresCheckIds(tenantId)).sort()).toEqual(inputs.map((input) => input.check.id).sort());
  });
});

describe("drift", () => {
  const parse = (overrides: Record<string, unknown> = {}) =>
    v.parse(FacilityInputSchema, sfRestaurant(overrides));
  const staff = sfRestaurant().staff as Record<string, unknown>[];
  /** Everyone holds what they need, so only what a test changes moves the verdict. */
  const trainedStaff = [staff[0], { ...staff[1], credentials: [cardFor("2026-09-10")] }];

  it("reports what changed when a facility's verdict changes, and nothing when it does not", async () => {
    const { tenantId } = await newTenant();
    const stub = TenantMeters.of(env, tenantId).shard(0);
    const facilityId = newId("fac");
    const before = parse();
    const after = parse({ staff: trainedStaff });
    const [verdictBefore, verdictAfter] = [await verdictAt(before, today()), await verdictAt(after, today())];
    expect(verdictAfter.status).not.toBe(verdictBefore.status);

    expect(
      await stub.upsertFacility({ facilityId, facility: before, verdict: verdictBefore, cause: "created" }),
    ).toBeNull();
    expect(
      await stub.upsertFacility({ facilityId, facility: before, verdict: verdictBefore, cause: "check" }),
    ).toBeNull();
    const event = await stub.upsertFacility({
      facilityId,
      facility: after,
      verdict: verdictAfter,
      cause: "updated",
    });
    expect(event).toMatchObject({
      id: expect.stringMatching(/^alr_/),
      facilityId,
      facilityName: before.name,
      cause: "updated",
      previousStatus: verdictBefore.status,
      status: verdictAfter.status,
    });
    expect(event?.changes).toEqual(changedFindings(verdictBefore, verdictAfter));
    const fixed = event?.changes.find((change) => change.subject?.id === "s-1");
    expect(fixed).toMatchObject({ from: "fail", citation: expect.any(String) });
    expect(fixed?.to).not.toBe("fail");
    expect((await stub.listAlerts({ limit: 10 })).data.map((alert) => alert.id)).toEqual([event?.id]);
  });

  it("shows and acknowledges only the alerts of the facilities a limited principal may see", async () => {
    const { tenantId } = await newTenant();
    const stub = TenantMeters.of(env, tenantId).shard(0);
    const before = parse();
    const after = parse({ staff: trainedStaff });
    const [verdictBefore, verdictAfter] = [await verdictAt(before, today()), await verdictAt(after, today())];
    const [mine, theirs] = [newId("fac"), newId("fac")];
    for (const facilityId of [mine, theirs]) {
      await stub.upsertFacility({ facilityId, facility: before, verdict: verdictBefore, cause: "created" });
      await stub.upsertFacility({ facilityId, facility: after, verdict: verdictAfter, cause: "updated" });
    }
    const all = (await stub.listAlerts({ limit: 10 })).data;
    expect(all.map((alert) => alert.facilityId).sort()).toEqual([mine, theirs].sort());
    const visible = (await stub.listAlerts({ limit: 10, facilityIds: [mine] })).data;
    expect(visible.map((alert) => alert.facilityId)).toEqual([mine]);
    expect((await stub.listAlerts({ limit: 10, facilityIds: [] })).data).toEqual([]);
    const theirAlert = all.find((alert) => alert.facilityId === theirs)?.id as string;
    expect(await stub.acknowledgeAlert(theirAlert, "usr_manager", [mine])).toBeNull();
    expect((await stub.acknowledgeAlert(theirAlert, "usr_admin"))?.acknowledgedBy).toBe("usr_admin");
  });

  it("re-evaluates at the earliest deadline by alarm and raises the alert then", async () => {
    const { tenantId } = await newTenant();
    const stub = TenantMeters.of(env, tenantId).shard(0);
    const permit = (sfRestaurant().permits as Record<string, unknown>[])[0];
    const facility = parse({ staff: trainedStaff, permits: [{ ...permit, expiresAt: inDays(20) }] });
    const verdict = await verdictAt(facility, today());
    expect(verdict.reevaluateAt).not.toBeNull();
    await stub.upsertFacility({ facilityId: newId("fac"), facility, verdict, cause: "created" });

    // Fire each deadline's alarm until the permit lapses; each must yield exactly the verdict at its date.
    let current = verdict;
    for (let step = 0; step < 5 && current.reevaluateAt !== null; step++) {
      const deadline = current.reevaluateAt;
      expect(await alarmOf(stub)).toBe(Date.parse(`${deadline}T00:00:00Z`));
      const expected = await verdictAt(facility, deadline);
      const alertsBefore = (await stub.listAlerts({ limit: 100 })).data.length;
      expect(await runDurableObjectAlarm(stub)).toBe(true);
      const alerts = (await stub.listAlerts({ limit: 100 })).data;
      const changes = changedFindings(current, expected);
      if (changes.length === 0 && expected.status === current.status) {
        expect(alerts).toHaveLength(alertsBefore);
      } else {
        expect(alerts).toHaveLength(alertsBefore + 1);
        expect(alerts[0]).toMatchObject({
          cause: "deadline",
          previousStatus: current.status,
          status: expected.status,
          changes,
        });
      }
      current = expected;
      if (alerts[0]?.changes.some((change) => change.subject?.kind === "permit" && change.to === "fail"))
        break;
    }
    const lapsed = (await stub.listAlerts({ limit: 100 })).data.find((alert) =>
      alert.changes.some(
        (change) => change.subject?.kind === "permit" && change.from === "warn" && change.to === "fail",
      ),
    );
    expect(lapsed).toBeDefined();
    expect(lapsed?.status).toBe("non_compliant");
  });

  it("re-evaluates every facility when the rules change", async () => {
    const { tenantId } = await newTenant();
    const stub = TenantMeters.of(env, tenantId).shard(0);
    const facility = parse();
    const current = await verdictAt(facility, today());
    // What the previous rules said: no food handler card rule, so the new hire was fine.
    const stale: Verdict = {
      ...current,
      status: "compliant",
      findings: current.findings.filter((finding) => finding.status !== "fail"),
    };
    expect(changedFindings(stale, current).length).toBeGreaterThan(0);
    const [a, b] = [newId("fac"), newId("fac")];
    await stub.upsertFacility({ facilityId: a, facility, verdict: stale, cause: "created" });
    await stub.upsertFacility({ facilityId: b, facility, verdict: current, cause: "created" });

    expect(await stub.reevaluateAll("dataset us-ca 2026.12 activated")).toEqual({ evaluated: 2, drifted: 1 });
    const [alert] = (await stub.listAlerts({ limit: 10 })).data;
    expect(alert).toMatchObject({
      facilityId: a,
      cause: "rules",
      reason: "dataset us-ca 2026.12 activated",
      status: current.status,
    });
  });

  it("stops watching a removed facility's deadlines", async () => {
    const { tenantId } = await newTenant();
    const stub = TenantMeters.of(env, tenantId).shard(0);
    const facility = parse();
    const facilityId = newId("fac");
    await stub.upsertFacility({
      facilityId,
      facility,
      verdict: await verdictAt(facility, today()),
      cause: "created",
    });
    expect(await alarmOf(stub)).not.toBeNull();
    expect(await stub.removeFacility(facilityId)).toBe(true);
    expect(await alarmOf(stub)).toBeNull();
  });
});
