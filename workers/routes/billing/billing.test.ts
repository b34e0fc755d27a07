/**
 * Entitlements as a customer meets them: checks refused as problems when the plan does not
 * cover a state (403, naming the add-on) or the subscription lapsed (402), reads still
 * working; the location limit on create; GET /v1/billing and local mode's plan page.
 */
import { env } from "cloudflare:workers";
import type * as v from "valibot";
import { describe, expect, it } from "vitest";
import type { SubscriptionStatus } from "../../../billing/entitlements";
import { type BillingChange, updateBillingAccount } from "../../../db/billing";
import { withTenant } from "../../../db/client";
import type { TenantPlan } from "../../../db/tenants";
import { kvEdgeStore } from "../../../runtime/edge-store";
import { sfRestaurant } from "../../../test/fixtures";
import { call, expectProblem, newTenant, workerDb } from "../../../test/helpers";
import { addMember, asUser, signUp } from "../../../test/sessions";
import { entitlementsCache } from "../../services/entitlements-cache";
import type { BillingSchema } from "./schemas";

const austin = (name = "Congress Ave Tacos") =>
  sfRestaurant({
    name,
    address: { line1: "500 Congress Ave", city: "Austin", state: "TX", postalCode: "78701" },
  });

const check = (key: string, facility: unknown) =>
  call("/v1/checks", { method: "POST", key, json: { asOf: "2026-11-25", facility } });

/** Changes the account in Postgres as the CLI or a webhook would, and drops what isolates remember. */
async function setBilling(tenantId: string, change: Partial<BillingChange> & { status: SubscriptionStatus }) {
  const handle = workerDb();
  try {
    await withTenant(handle.db, tenantId, (tx) =>
      updateBillingAccount(tx, tenantId, { plan: "starter", states: ["CA"], ...change }, "test"),
    );
  } finally {
    await handle.close();
  }
  await entitlementsCache.forget(tenantId, kvEdgeStore(env.EDGE_STORE));
}

const STARTER_CA: TenantPlan = { plan: "starter", states: ["CA"] };

describe("entitlements on checks", () => {
  it("answers 403 state_not_in_plan naming the add-on for a state the tenant has not bought", async () => {
    const { key } = await newTenant("Starter Co", undefined, STARTER_CA);
    expect((await check(key, sfRestaurant())).status).toBe(200);
    const refused = await expectProblem(await check(key, austin()), 403, "state_not_in_plan");
    expect(refused).toMatchObject({
      state: "TX",
      addOn: { lookupKey: "prep_state_addon_monthly", name: "State add-on: TX" },
      errors: [{ pointer: "/facility/address/state" }],
    });
    expect(String(refused.detail)).toContain("TX state add-on");
  });

  it("covers every state during a trial, then answers 402 once it ends; reads keep working", async () => {
    const { key, tenantId } = await newTenant("Trial Co", undefined, "trial");
    expect((await check(key, austin())).status).toBe(200);
    const created = await call("/v1/facilities", { method: "POST", key, json: sfRestaurant() });
    expect(created.status).toBe(201);

    await setBilling(tenantId, {
      status: "trialing",
      trialEndsAt: new Date(Date.now() - 1000).toISOString(),
    });
    const refused = await expectProblem(await check(key, sfRestaurant()), 402, "subscription_required");
    expect(refused.billingStatus).toBe("trialing");
    const { id } = (await created.json()) as { id: string };
    await expectProblem(
      await call(`/v1/facilities/${id}/checks`, { method: "POST", key, json: {} }),
      402,
      "subscription_required",
    );
    expect((await call("/v1/facilities", { key })).status).toBe(200);
    expect((await call(`/v1/facilities/${id}`, { key })).status).toBe(200);
    expect((await call("/v1/usage", { key })).status).toBe(200);
    expect((await call("/v1/billing", { key })).status).toBe(200);
  });

  it("keeps past_due working through the grace period, then 402; canceled is 402", async () => {
    const { key, tenantId } = await newTenant("Late Payer Co", undefined, STARTER_CA);
    await setBilling(tenantId, {
      status: "past_due",
      pastDueSince: new Date(Date.now() - 2 * 86_400_000).toISOString(),
    });
    expect((await check(key, sfRestaurant())).status).toBe(200);
    await setBilling(tenantId, {
      status: "past_due",
      pastDueSince: new Date(Date.now() - 8 * 86_400_000).toISOString(),
    });
    await expectProblem(await check(key, sfRestaurant()), 402, "subscription_required");
    await setBilling(tenantId, { status: "canceled" });
    await expectProblem(await check(key, sfRestaurant()), 402, "subscription_required");
    await setBilling(tenantId, { status: "active", pastDueSince: null });
    expect((await check(key, sfRestaurant())).status).toBe(200);
  });

  it("applies the plan's location limit and states on create", async () => {
    const { key } = await newTenant("Three Kitchens Co", undefined, STARTER_CA);
    for (const n of [1, 2, 3]) {
      const created = await call("/v1/facilities", {
        method: "POST",
        key,
        json: sfRestaurant({ name: `K${n}` }),
      });
      expect(created.status).toBe(201);
    }
    const refused = await expectProblem(
      await call("/v1/facilities", { method: "POST", key, json: sfRestaurant({ name: "K4" }) }),
      403,
      "location_limit_reached",
    );
    expect(refused.limit).toBe(3);
    await expectProblem(
      await call("/v1/facilities", { method: "POST", key, json: austin() }),
      403,
      "state_not_in_plan",
    );
  });
});

describe("GET /v1/billing", () => {
  it("reports plan, states, add-ons, the period's usage against what is included, and the estimate", async () => {
    const { key } = await newTenant("Growth Co", undefined, {
      plan: "growth",
      states: ["CA", "TX", "FL", "NY"],
    });
    for (let i = 0; i < 3; i++) expect((await check(key, sfRestaurant())).status).toBe(200);
    const response = await call("/v1/billing", { key });
    expect(response.status).toBe(200);
    const body = (await response.json()) as v.InferOutput<typeof BillingSchema>;
    expect(body).toMatchObject({
      status: "active",
      mode: "local",
      checksAllowed: true,
      plan: { id: "growth", name: "Growth", includedStates: 3 },
      states: ["CA", "TX", "FL", "NY"],
      addOns: [{ state: "NY", name: "State add-on: NY", monthlyCents: 4_900 }],
      usage: { included: 25_000, used: 3, overage: 0 },
      estimate: { subscriptionCents: 29_900 + 4_900, overageCents: 0, totalCents: 34_800 },
    });
    const now = Date.now();
    expect(Date.parse(body.period.from)).toBeLessThanOrEqual(now);
    expect(Date.parse(body.period.to)).toBeGreaterThan(now);
    expect(body.usage.daily.reduce((sum, day) => sum + day.count, 0)).toBe(3);
  });

  it("is for owners, admins and keys with billing:read; never managers, viewers or other keys", async () => {
    const owner = await signUp("Billing Roles Co");
    const trial = await asUser(owner, "/v1/billing");
    expect(trial.status).toBe(200);
    expect(await trial.json()).toMatchObject({
      status: "trialing",
      states: ["*"],
      estimate: { totalCents: 0 },
    });
    expect((await asUser(await addMember(owner, "admin"), "/v1/billing")).status).toBe(200);
    await expectProblem(
      await asUser(await addMember(owner, "manager"), "/v1/billing"),
      403,
      "insufficient_scope",
    );
    await expectProblem(
      await asUser(await addMember(owner, "viewer"), "/v1/billing"),
      403,
      "insufficient_scope",
    );
    const { key } = await newTenant("Narrow Key Co", ["checks:write"]);
    await expectProblem(await call("/v1/billing", { key }), 403, "insufficient_scope");
  });
});

describe("PUT /v1/billing/plan (local mode)", () => {
  it("lets the owner pick a plan and states, applied to the next check at once", async () => {
    const owner = await signUp("Plan Page Co");
    await setBilling(owner.tenantId, { status: "canceled" });
    const changed = await asUser(owner, "/v1/billing/plan", {
      method: "PUT",
      json: { plan: "starter", states: ["tx"] },
    });
    expect(changed.status).toBe(200);
    expect(await changed.json()).toMatchObject({ status: "active", plan: { id: "starter" }, states: ["TX"] });
    expect((await asUser(owner, "/v1/checks", { method: "POST", json: { facility: austin() } })).status).toBe(
      200,
    );
    await expectProblem(
      await asUser(owner, "/v1/checks", { method: "POST", json: { facility: sfRestaurant() } }),
      403,
      "state_not_in_plan",
    );
  });

  it("refuses admins and API keys (owner_only) and unknown plans or states (422)", async () => {
    const owner = await signUp("Plan Guard Co");
    const admin = await addMember(owner, "admin");
    const body = { plan: "growth", states: ["CA"] };
    await expectProblem(
      await asUser(admin, "/v1/billing/plan", { method: "PUT", json: body }),
      403,
      "owner_only",
    );
    const { key } = await newTenant("Key Plan Co");
    await expectProblem(
      await call("/v1/billing/plan", { method: "PUT", key, json: body }),
      403,
      "owner_only",
    );
    await expectProblem(
      await asUser(owner, "/v1/billing/plan", { method: "PUT", json: { plan: "platinum", states: ["ZZ"] } }),
      422,
      "validation_failed",
    );
  });
});
