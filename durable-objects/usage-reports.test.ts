/**
 * Usage to Stripe's Meter from the tenant object, exactly once: closed hours become one meter
 * event per (tenant, hour, state) with a deterministic identifier; a crash after Stripe took
 * the events and before the object recorded it sends the same identifiers again, and Stripe
 * (the loopback server, test/stripe-server.ts, keeps the first per identifier as Stripe does)
 * counts each once; a tenant without a subscription is never reported.
 */
import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripe } from "../billing/stripe";
import { subscribedTenant as subscribedTenantIn } from "../test/billing";
import { checkInput } from "../test/check-records";
import { newTenant } from "../test/helpers";
import { TenantMeters } from "../workers/services/tenant-meters";
import type { TenantObject } from "./tenant-object";
import { HOUR_MS, meterIdentifier, type UsageSender } from "./usage-reports";

const mutableEnv = env as unknown as Record<string, string | undefined>;
const SECRET_KEY = "sk_test_prepMeters";

beforeAll(() => {
  mutableEnv.STRIPE_SECRET_KEY = SECRET_KEY;
});
afterAll(() => {
  delete mutableEnv.STRIPE_SECRET_KEY;
});

const jobNames = (stub: DurableObjectStub<TenantObject>) =>
  runInDurableObject(stub, (_instance, state) =>
    state.storage.sql
      .exec<{ name: string }>("SELECT name FROM jobs ORDER BY name")
      .toArray()
      .map((row) => row.name),
  );

/**
 * A retry is due at wall-clock time, before the hour has closed; a test moves the report to
 * after the hour (the alarm's due time is the object's "now").
 */
const reportAfterTheHour = (stub: DurableObjectStub<TenantObject>) =>
  runInDurableObject(stub, async (_instance, state) => {
    const due = Date.now() - (Date.now() % HOUR_MS) + HOUR_MS + 120_000;
    state.storage.sql.exec(
      "INSERT INTO jobs (name, due_ms) VALUES ('report_usage', ?) ON CONFLICT (name) DO UPDATE SET due_ms = excluded.due_ms",
      due,
    );
    await state.storage.setAlarm(due);
  });

interface MeterEvent {
  identifier: string;
  timestamp: number;
  payload: { stripe_customer_id: string; value: string };
}

async function meterEvents(customer: string): Promise<MeterEvent[]> {
  const response = await fetch(`${env.STRIPE_API_BASE}/__fake/meter_events?customer=${customer}`);
  return (await response.json()) as MeterEvent[];
}

/** A tenant subscribed through Stripe: its customer exists in Stripe, its account names it. */
const subscribedTenant = () =>
  subscribedTenantIn(
    createStripe({ secretKey: SECRET_KEY, apiBase: env.STRIPE_API_BASE }),
    "Metered Kitchens",
    {
      plan: "growth",
      states: ["CA", "TX"],
      stripeSubscriptionId: "sub_metered",
    },
  );

describe("usage reports to Stripe's Meter", () => {
  it("reports each closed hour and state once, and neither loses nor doubles an event across a crash mid-flush", async () => {
    const { tenantId, customer } = await subscribedTenant();
    const meters = TenantMeters.of(env, tenantId);
    const stub = meters.shard(0);
    const states = ["CA", "TX", "CA", "CA", "TX"];
    for (const state of states)
      expect((await meters.record(checkInput(tenantId, { state }))).kind).toBe("recorded");
    await runDurableObjectAlarm(stub); // the outbox's flush to Postgres, due first
    expect(await jobNames(stub)).toEqual(["report_usage"]);

    // The first report run crashes after Stripe accepted the first event, before the object
    // recorded anything; the second dies after Stripe took them all.
    let real: UsageSender | undefined;
    await runInDurableObject(stub, (instance: TenantObject) => {
      real = instance.sendUsage;
      let runs = 0;
      instance.sendUsage = async (db, tenant, objectId, hours) => {
        runs++;
        await (real as UsageSender)(db, tenant, objectId, runs === 1 ? hours.slice(0, 1) : hours);
        throw new Error(runs === 1 ? "crash after the first event" : "crash after Stripe took every event");
      };
    });
    // The alarm fires at the report's due time (an hour after the checks): the hour has closed.
    await runDurableObjectAlarm(stub);
    expect(await meterEvents(customer)).toHaveLength(1);
    await reportAfterTheHour(stub);
    await runDurableObjectAlarm(stub);
    expect(await meterEvents(customer)).toHaveLength(2);

    // The object dies for real; a new instance (the production sender) reports again.
    await abortAllDurableObjects();
    const restarted = meters.shard(0);
    await reportAfterTheHour(restarted);
    await runDurableObjectAlarm(restarted);

    const events = await meterEvents(customer);
    const byState = Object.fromEntries(
      events.map((e) => [e.identifier.split(":")[2], Number(e.payload.value)]),
    );
    expect(byState).toEqual({ CA: 3, TX: 2 });
    const objectId = (await runInDurableObject(restarted, (_instance, state) =>
      state.id.toString(),
    )) as string;
    const hourMs = events[0] ? events[0].timestamp * 1000 : 0;
    expect(events.map((e) => e.identifier).sort()).toEqual(
      ["CA", "TX"].map((state) => meterIdentifier(tenantId, objectId, { hourMs, state, count: 0 })).sort(),
    );
    expect(
      await runInDurableObject(restarted, (instance: TenantObject) =>
        instance.usageReported({ fromMs: hourMs, toMs: hourMs + HOUR_MS }),
      ),
    ).toEqual({ reported: 5, unbilled: 0 });

    // Nothing is pending: another run sends nothing, and the job is done.
    expect(await jobNames(restarted)).toEqual([]);
    await reportAfterTheHour(restarted);
    await runDurableObjectAlarm(restarted);
    expect(await meterEvents(customer)).toHaveLength(2);
  });

  it("never reports a tenant without a Stripe subscription (trial, local plans)", async () => {
    const { tenantId } = await newTenant("Trial Meters", undefined, "trial");
    const meters = TenantMeters.of(env, tenantId);
    for (const state of ["NY", "NY"]) await meters.record(checkInput(tenantId, { state }));
    await runDurableObjectAlarm(meters.shard(0)); // the outbox's flush to Postgres, due first
    const before = (
      (await (await fetch(`${env.STRIPE_API_BASE}/__fake/requests`)).json()) as { path: string }[]
    ).filter((r) => r.path === "/v1/billing/meter_events").length;
    await runDurableObjectAlarm(meters.shard(0));
    const hourMs = Date.now() - (Date.now() % HOUR_MS);
    expect(
      await runInDurableObject(meters.shard(0), (instance: TenantObject) =>
        instance.usageReported({ fromMs: hourMs - HOUR_MS, toMs: hourMs + HOUR_MS }),
      ),
    ).toEqual({ reported: 0, unbilled: 2 });
    const after = (
      (await (await fetch(`${env.STRIPE_API_BASE}/__fake/requests`)).json()) as { path: string }[]
    ).filter((r) => r.path === "/v1/billing/meter_events").length;
    expect(after).toBe(before);
  });
});
