/**
 * Billing reconciliation against the loopback Stripe: a tenant whose reported hours match
 * Stripe's meter summary passes; when Stripe loses an event (injected), the tenant is a
 * mismatch and an incident is open; GET /v1/admin/billing reports the metrics.
 */
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripe } from "../billing/stripe";
import { syncCatalog } from "../billing/sync";
import { openIncident } from "../db/incidents";
import type { TenantObject } from "../durable-objects/tenant-object";
import { HOUR_MS } from "../durable-objects/usage-reports";
import { subscribedTenant as subscribedTenantIn } from "../test/billing";
import { checkInput } from "../test/check-records";
import { call, newTenant, workerDb } from "../test/helpers";
import { newAdmin } from "../test/pipeline";
import { workerJobContext } from "../workers/job-context";
import { TenantMeters } from "../workers/services/tenant-meters";
import { reconcileBilling } from "./billing-reconciliation";

const mutableEnv = env as unknown as Record<string, string | undefined>;
const SECRET_KEY = "sk_test_prepReconcile";
const stripe = () => createStripe({ secretKey: SECRET_KEY, apiBase: env.STRIPE_API_BASE });

beforeAll(async () => {
  mutableEnv.STRIPE_SECRET_KEY = SECRET_KEY;
  await syncCatalog(stripe());
});
afterAll(() => {
  delete mutableEnv.STRIPE_SECRET_KEY;
});

/** Moves the object's report job past the hour's end and fires it (the alarm's due time is its "now"). */
async function reportClosedHours(stub: DurableObjectStub<TenantObject>) {
  await runDurableObjectAlarm(stub); // the outbox's flush, due first
  await runInDurableObject(stub, async (_instance, state) => {
    const due = Date.now() - (Date.now() % HOUR_MS) + HOUR_MS + 120_000;
    state.storage.sql.exec(
      "INSERT INTO jobs (name, due_ms) VALUES ('report_usage', ?) ON CONFLICT (name) DO UPDATE SET due_ms = excluded.due_ms",
      due,
    );
    await state.storage.setAlarm(due);
  });
  await runDurableObjectAlarm(stub);
}

const subscribedTenant = () =>
  subscribedTenantIn(stripe(), "Reconciled Kitchens", {
    plan: "starter",
    states: ["CA"],
    stripeSubscriptionId: "sub_reconciled",
    periodStart: new Date(Date.now() - 86_400_000).toISOString(),
    periodEnd: new Date(Date.now() + 29 * 86_400_000).toISOString(),
  });

describe("billing reconciliation", () => {
  it("passes when Stripe's meter matches the objects, and raises an incident on an injected mismatch", async () => {
    const { tenantId, customer } = await subscribedTenant();
    const meters = TenantMeters.of(env, tenantId);
    for (let i = 0; i < 4; i++) await meters.record(checkInput(tenantId, { state: "CA" }));
    await reportClosedHours(meters.shard(0));

    const handle = workerDb();
    try {
      // Three hours later: this hour is closed, reported and inside the compared window.
      const ctx = { ...workerJobContext(env, handle.db), now: () => new Date(Date.now() + 3 * HOUR_MS) };
      const mine = (result: Awaited<ReturnType<typeof reconcileBilling>>) =>
        result.mismatches.filter((m) => m.tenantId === tenantId);
      const clean = await reconcileBilling(ctx);
      expect(clean.checked).toBeGreaterThanOrEqual(1);
      expect(mine(clean)).toEqual([]);

      // Stripe loses the hour's event.
      const events = (await (
        await fetch(`${env.STRIPE_API_BASE}/__fake/meter_events?customer=${customer}`)
      ).json()) as {
        identifier: string;
      }[];
      expect(events).toHaveLength(1);
      await fetch(`${env.STRIPE_API_BASE}/__fake/meter_events/forget`, {
        method: "POST",
        body: JSON.stringify({ identifier: events[0]?.identifier }),
      });
      const broken = await reconcileBilling(ctx);
      expect(mine(broken)).toEqual([
        expect.objectContaining({ tenantId, metered: 4, reported: 4, unbilled: 0, stripe: 0 }),
      ]);
      expect(await openIncident(handle.db, `prep-${env.PREP_ENV}-billing-reconciliation`)).toBe(true);
    } finally {
      await handle.close();
    }
  });
});

describe("billing across meter shards", () => {
  it("reports every shard's hours to Stripe once — home and regional — and reconciles the sum", async () => {
    const { tenantId, customer } = await subscribedTenant();
    const meters = TenantMeters.of(env, tenantId);
    for (let i = 0; i < 3; i++) await meters.record(checkInput(tenantId, { state: "CA" }));
    for (const region of ["oc", "weur", "oc"] as const)
      await meters.record(checkInput(tenantId, { state: "CA" }), region);
    const shards = await meters.all();
    expect(shards.map((shard) => shard.region)).toEqual([null, "weur", "oc"]);
    for (const { stub } of shards) await reportClosedHours(stub);

    // One event per shard for the hour (each its own identifier), summing to every check once.
    const events = (await (
      await fetch(`${env.STRIPE_API_BASE}/__fake/meter_events?customer=${customer}`)
    ).json()) as { identifier: string; payload: { value: string } }[];
    expect(new Set(events.map((event) => event.identifier)).size).toBe(3);
    expect(events.map((event) => Number(event.payload.value)).sort()).toEqual([1, 2, 3]);
    const hourMs = Date.now() - (Date.now() % HOUR_MS);
    expect(await meters.reported({ fromMs: hourMs - HOUR_MS, toMs: hourMs + HOUR_MS })).toEqual({
      reported: 6,
      unbilled: 0,
    });

    const handle = workerDb();
    try {
      const ctx = { ...workerJobContext(env, handle.db), now: () => new Date(Date.now() + 3 * HOUR_MS) };
      const result = await reconcileBilling(ctx);
      expect(result.mismatches.filter((m) => m.tenantId === tenantId)).toEqual([]);
    } finally {
      await handle.close();
    }
  });
});

describe("GET /v1/admin/billing", () => {
  it("reports MRR, ARPU, the add-on attachment rate and leakage to platform admins", async () => {
    await newTenant("Add-on Kitchens", undefined, { plan: "growth", states: ["CA", "TX", "FL", "NY"] });
    const { key } = await newAdmin();
    const response = await call("/v1/admin/billing", { key });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      mode: string;
      tenants: { paying: number };
      mrrCents: number;
      arpuCents: number;
      stateAddOnAttachmentRate: number;
      leakage: { metered: number; reported: number; ratio: number | null };
    };
    expect(body.mode).toBe("stripe");
    expect(body.tenants.paying).toBeGreaterThanOrEqual(1);
    expect(body.mrrCents).toBeGreaterThanOrEqual(29_900 + 4_900);
    expect(body.arpuCents).toBe(Math.round(body.mrrCents / body.tenants.paying));
    expect(body.stateAddOnAttachmentRate).toBeGreaterThan(0);
    expect(body.stateAddOnAttachmentRate).toBeLessThanOrEqual(1);
    expect(body.leakage.metered).toBeGreaterThanOrEqual(0);
    const { key: tenantKey } = await newTenant("Not An Admin");
    expect((await call("/v1/admin/billing", { key: tenantKey })).status).toBe(403);
  });
});
