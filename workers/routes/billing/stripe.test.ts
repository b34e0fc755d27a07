/**
 * Billing with Stripe, end to end through the official SDK against the loopback server that
 * speaks Stripe's wire format (test/stripe-server.ts): the catalog synced idempotently;
 * Checkout, an in-place upgrade and the portal; the webhook lifecycle created → upgraded →
 * payment failed → recovered → canceled, with duplicated and reordered deliveries applied
 * exactly once and in Stripe's current order; signatures; Stripe down; local mode makes no
 * Stripe call at all.
 */
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createStripe, STRIPE_API_VERSION, Stripe } from "../../../billing/stripe";
import { syncCatalog } from "../../../billing/sync";
import { withTenant } from "../../../db/client";
import { drainUntil, has } from "../../../test/analytics";
import { sfRestaurant } from "../../../test/fixtures";
import { call, expectProblem, workerDb } from "../../../test/helpers";
import { mailFor } from "../../../test/mail";
import { asUser, mailApi, signUp, type TestSession } from "../../../test/sessions";

const mutableEnv = env as unknown as Record<string, string | undefined>;
const SECRET_KEY = "sk_test_prepLoopback";
const stripe = () => createStripe({ secretKey: SECRET_KEY, apiBase: env.STRIPE_API_BASE });

async function fake<T>(path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${env.STRIPE_API_BASE}/__fake/${path}`, {
    method: body === undefined ? "GET" : "POST",
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
  expect(response.status).toBeLessThan(300);
  return response.status === 204 ? (undefined as T) : ((await response.json()) as T);
}

let eventCounter = 0;
function event(type: string, object: unknown) {
  return {
    id: `evt_test_${Date.now()}_${++eventCounter}`,
    object: "event",
    api_version: STRIPE_API_VERSION,
    created: Math.floor(Date.now() / 1000),
    type,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
  };
}

/** Delivers an event as Stripe does: the raw JSON body, signed with the endpoint's secret. */
async function deliver(payloadObject: unknown, options: { secret?: string; tamper?: boolean } = {}) {
  const payload = JSON.stringify(payloadObject);
  const header = await stripe().webhooks.generateTestHeaderStringAsync({
    payload,
    secret: options.secret ?? (env.STRIPE_WEBHOOK_SECRET as string),
    cryptoProvider: Stripe.createSubtleCryptoProvider(),
  });
  return call("/v1/billing/stripe/webhook", {
    method: "POST",
    headers: { "stripe-signature": header, "content-type": "application/json" },
    body: options.tamper ? payload.replace("evt_", "evt_x") : payload,
  });
}

async function outcome(response: Response) {
  expect(response.status).toBe(200);
  return ((await response.json()) as { outcome: string }).outcome;
}

const invoice = (subscription: string) => ({
  id: `in_${++eventCounter}`,
  object: "invoice",
  parent: { type: "subscription_details", subscription_details: { subscription, metadata: {} } },
});

const billing = async (owner: TestSession) =>
  (await (await asUser(owner, "/v1/billing")).json()) as Record<string, unknown>;
const checkIn = (owner: TestSession, state: "CA" | "TX") =>
  asUser(owner, "/v1/checks", {
    method: "POST",
    json: {
      facility:
        state === "CA"
          ? sfRestaurant()
          : sfRestaurant({
              address: { line1: "500 Congress Ave", city: "Austin", state: "TX", postalCode: "78701" },
            }),
    },
  });

async function tenantRows(tenantId: string) {
  const handle = workerDb();
  try {
    return await withTenant(handle.db, tenantId, async (tx) => {
      const events = await tx.execute(sql`SELECT count(*)::int AS n FROM billing_events`);
      const changes = await tx.execute(
        sql`SELECT count(*)::int AS n FROM audit_log WHERE action = 'billing.changed'`,
      );
      return { events: (events.rows[0] as { n: number }).n, changes: (changes.rows[0] as { n: number }).n };
    });
  } finally {
    await handle.close();
  }
}

beforeAll(async () => {
  mutableEnv.STRIPE_SECRET_KEY = SECRET_KEY;
  await syncCatalog(stripe());
});
afterAll(() => {
  delete mutableEnv.STRIPE_SECRET_KEY;
});

describe("the catalog in Stripe", () => {
  it("is synced idempotently: a second run changes nothing", async () => {
    const report = await syncCatalog(stripe());
    expect(report.meter).toBe("unchanged");
    expect(report.portal).toBe("unchanged");
    expect(new Set(Object.values(report.prices))).toEqual(new Set(["unchanged"]));
    expect(new Set(Object.values(report.products))).toEqual(new Set(["unchanged"]));
    const prices = await stripe().prices.list({ lookup_keys: ["prep_growth_checks_overage"], active: true });
    expect(prices.data[0]).toMatchObject({
      billing_scheme: "tiered",
      tiers: [{ up_to: 25_000 }, { up_to: null }],
    });
    const requests = await fake<{ stripeVersion: string }[]>("requests");
    expect(new Set(requests.map((r) => r.stripeVersion))).toEqual(new Set([STRIPE_API_VERSION]));
  });
});

describe("the subscription lifecycle through webhooks", () => {
  it("created → upgraded → payment failed → recovered → canceled, with duplicated and reordered deliveries", async () => {
    const owner = await signUp("Lifecycle Kitchens");
    expect(await billing(owner)).toMatchObject({ status: "trialing", mode: "stripe" });

    // Subscribe: Checkout with the plan, no add-on, the metered overage.
    const checkout = await asUser(owner, "/v1/billing/checkout", {
      method: "POST",
      json: { plan: "starter", states: ["CA"] },
    });
    expect(checkout.status).toBe(200);
    const { url, kind } = (await checkout.json()) as { url: string; kind: string };
    expect(kind).toBe("checkout");
    expect(url).toMatch(/^https:\/\/checkout\.stripe\.com\/c\/pay\/cs_test_/);
    const completed = await fake<{ session: unknown; subscription: { id: string } }>(
      `checkout/${url.split("/").pop()}/complete`,
      {},
    );
    const subscriptionId = completed.subscription.id;
    const created = event("customer.subscription.created", completed.subscription);
    expect(await outcome(await deliver(event("checkout.session.completed", completed.session)))).toBe(
      "applied",
    );
    expect(await outcome(await deliver(created))).toBe("applied");
    expect(await outcome(await deliver(created))).toBe("duplicate");
    expect(await billing(owner)).toMatchObject({
      status: "active",
      plan: { id: "starter" },
      states: ["CA"],
      addOns: [],
    });
    expect((await checkIn(owner, "CA")).status).toBe(200);
    await expectProblem(await checkIn(owner, "TX"), 403, "state_not_in_plan");

    // Upgrade in place: Growth, four states (one add-on). Nothing changes until Stripe says so.
    const upgrade = await asUser(owner, "/v1/billing/checkout", {
      method: "POST",
      json: { plan: "growth", states: ["CA", "TX", "NY", "FL"] },
    });
    expect(await upgrade.json()).toEqual({ url: null, kind: "updated" });
    expect(await billing(owner)).toMatchObject({ plan: { id: "starter" } });
    const upgraded = await stripe().subscriptions.retrieve(subscriptionId);
    const updated = event("customer.subscription.updated", upgraded);
    expect(await outcome(await deliver(updated))).toBe("applied");
    expect(await billing(owner)).toMatchObject({
      status: "active",
      plan: { id: "growth" },
      states: ["CA", "TX", "NY", "FL"],
      addOns: [{ state: "FL" }],
      estimate: { subscriptionCents: 29_900 + 4_900 },
    });
    expect((await checkIn(owner, "TX")).status).toBe(200);

    // Payment fails: past due, still checking within the grace period.
    await fake(`subscriptions/${subscriptionId}`, { status: "past_due" });
    const failed = event("invoice.payment_failed", invoice(subscriptionId));
    expect(await outcome(await deliver(failed))).toBe("applied");
    const pastDue = await billing(owner);
    expect(pastDue).toMatchObject({ status: "past_due", checksAllowed: true });
    expect(typeof pastDue.pastDueSince).toBe("string");
    expect((await checkIn(owner, "CA")).status).toBe(200);

    // A stale event arrives late (the Starter subscription as it was at creation): the
    // subscription is fetched again, so it changes nothing.
    expect(await outcome(await deliver(event("customer.subscription.updated", completed.subscription)))).toBe(
      "applied",
    );
    expect(await billing(owner)).toMatchObject({
      status: "past_due",
      plan: { id: "growth" },
      pastDueSince: pastDue.pastDueSince,
    });

    // Recovered.
    await fake(`subscriptions/${subscriptionId}`, { status: "active" });
    expect(await outcome(await deliver(event("invoice.paid", invoice(subscriptionId))))).toBe("applied");
    expect(await billing(owner)).toMatchObject({ status: "active", pastDueSince: null });

    // Canceled: checks answer 402, the tenant's own data stays readable.
    await fake(`subscriptions/${subscriptionId}`, { status: "canceled" });
    const deleted = event(
      "customer.subscription.deleted",
      await stripe().subscriptions.retrieve(subscriptionId),
    );
    expect(await outcome(await deliver(deleted))).toBe("applied");
    expect(await outcome(await deliver(failed))).toBe("duplicate");
    expect(await outcome(await deliver(updated))).toBe("duplicate");
    expect(await billing(owner)).toMatchObject({ status: "canceled", checksAllowed: false });
    await expectProblem(await checkIn(owner, "CA"), 402, "subscription_required");
    expect((await asUser(owner, "/v1/facilities")).status).toBe(200);

    // Each event applied once: seven distinct events, one row each; duplicates wrote nothing.
    expect(await tenantRows(owner.tenantId)).toEqual({ events: 7, changes: 7 });

    // Product analytics, queued with each change: the conversion, the upgrade with its add-on,
    // the cancellation; duplicated and stale deliveries queued nothing.
    const sent = await drainUntil(
      owner.tenantId,
      (got) =>
        has(got, ["Plan Changed", "Add-on Bought"]) &&
        got.segment.filter((m) => m.event === "Plan Changed").length >= 3,
    );
    const billingEvents = sent.segment
      .filter((m) => m.event === "Plan Changed" || m.event === "Add-on Bought")
      .map((m) => [m.event, m.properties])
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(billingEvents).toEqual([
      ["Add-on Bought", { addOn: "state", state: "FL" }],
      ["Plan Changed", { fromPlan: "growth", toPlan: "canceled" }],
      ["Plan Changed", { fromPlan: "starter", toPlan: "growth" }],
      ["Plan Changed", { fromPlan: "trial", toPlan: "starter" }],
    ]);

    // The owner (no notification settings of their own) is told of each change once, by email:
    // trial → active, starter → growth, active → past due → active → canceled; duplicated and
    // stale deliveries told nobody anything.
    const told = async () =>
      (await mailFor(mailApi(), owner.email)).filter((m) => m.subject.startsWith("Your Prep"));
    for (let i = 0; i < 50 && (await told()).length < 5; i++) await new Promise((r) => setTimeout(r, 100));
    expect((await told()).map((m) => m.subject).sort()).toEqual([
      "Your Prep plan is now growth (was starter)",
      "Your Prep subscription is now active (was in its trial)",
      "Your Prep subscription is now active (was past due)",
      "Your Prep subscription is now canceled (was active)",
      "Your Prep subscription is now past due (was active)",
    ]);
    expect((await told())[0]?.text).toContain("/billing");
    // A whole subscription's life (eight webhooks, the analytics drain, five emails): ~20 s on a
    // busy 2-core runner, so not the default 30 s.
  }, 90_000);

  it("opens the Customer Portal for a subscribed owner", async () => {
    const owner = await signUp("Portal Kitchens");
    await expectProblem(
      await asUser(owner, "/v1/billing/portal", { method: "POST" }),
      409,
      "no_subscription",
    );
    const checkout = await asUser(owner, "/v1/billing/checkout", {
      method: "POST",
      json: { plan: "growth", states: ["NY"] },
    });
    expect(checkout.status).toBe(200);
    const portal = await asUser(owner, "/v1/billing/portal", { method: "POST" });
    expect(portal.status).toBe(200);
    expect(((await portal.json()) as { url: string }).url).toMatch(
      /^https:\/\/billing\.stripe\.com\/p\/session\//,
    );
  });
});

describe("the webhook endpoint", () => {
  it("refuses a bad signature or a tampered body (400) and applies nothing", async () => {
    const someEvent = event("invoice.paid", invoice("sub_nope"));
    await expectProblem(await deliver(someEvent, { secret: "whsec_wrong" }), 400, "invalid_signature");
    await expectProblem(await deliver(someEvent, { tamper: true }), 400, "invalid_signature");
    const unsigned = await call("/v1/billing/stripe/webhook", { method: "POST", json: someEvent });
    await expectProblem(unsigned, 400, "invalid_signature");
  });

  it("answers 503 while Stripe cannot be asked, so Stripe delivers again, and applies the redelivery", async () => {
    const owner = await signUp("Flaky Stripe Kitchens");
    const checkout = await asUser(owner, "/v1/billing/checkout", {
      method: "POST",
      json: { plan: "starter", states: ["TX"] },
    });
    const { url } = (await checkout.json()) as { url: string };
    const { subscription } = await fake<{ subscription: { id: string } }>(
      `checkout/${url.split("/").pop()}/complete`,
      {},
    );
    const created = event("customer.subscription.created", subscription);
    await fake("fail", { path: `/v1/subscriptions/${subscription.id}`, count: 3 });
    await expectProblem(await deliver(created), 503, "stripe_unavailable");
    expect(await outcome(await deliver(created))).toBe("applied");
    expect(await billing(owner)).toMatchObject({ status: "active", states: ["TX"] });
  });

  it("ignores events about nothing Prep sold (200)", async () => {
    expect(await outcome(await deliver(event("customer.created", { id: "cus_x", object: "customer" })))).toBe(
      "ignored",
    );
    expect(await outcome(await deliver(event("invoice.paid", invoice("sub_unknown"))))).toBe("ignored");
  });
});

describe("local mode", () => {
  it("makes no Stripe call: checks metered, plans set on the plan page, Stripe routes refused", async () => {
    delete mutableEnv.STRIPE_SECRET_KEY;
    try {
      const before = (await fake<unknown[]>("requests")).length;
      const owner = await signUp("Local Kitchens");
      expect(await billing(owner)).toMatchObject({ mode: "local", status: "trialing" });
      expect(
        (
          await asUser(owner, "/v1/billing/plan", {
            method: "PUT",
            json: { plan: "starter", states: ["CA"] },
          })
        ).status,
      ).toBe(200);
      expect((await checkIn(owner, "CA")).status).toBe(200);
      expect(await billing(owner)).toMatchObject({ usage: { used: 1 } });
      await expectProblem(
        await asUser(owner, "/v1/billing/checkout", { method: "POST", json: { plan: "growth", states: [] } }),
        409,
        "local_billing",
      );
      await expectProblem(
        await asUser(owner, "/v1/billing/portal", { method: "POST" }),
        409,
        "local_billing",
      );
      await expectProblem(await deliver(event("invoice.paid", invoice("sub_x"))), 404, "not_found");
      expect((await fake<unknown[]>("requests")).length).toBe(before);
    } finally {
      mutableEnv.STRIPE_SECRET_KEY = SECRET_KEY;
    }
  });
});
