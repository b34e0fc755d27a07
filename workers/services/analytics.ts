/**
 * Product analytics from the Worker: queue an event (runtime/analytics-outbox.ts) and start a
 * drain after the response, so events leave within seconds rather than at the hourly cron.
 * Nothing here runs on the check path: checks are queued by the tenant object's delivery.
 */
import { PLANS } from "../../billing/catalog";
import type { BillingAccount } from "../../billing/entitlements";
import type { Database } from "../../db/client";
import type { Grant } from "../../db/partners";
import {
  analyticsSetup,
  drainAnalytics,
  type TrackedEvent,
  trackProductEvent,
} from "../../runtime/analytics-outbox";
import type { Env } from "../env";
import type { Services } from "./services";

/**
 * When this isolate last started a drain: at most one every few seconds per isolate (a
 * number, not a shared promise: each drain belongs to the request that started it).
 */
let lastDrainMs = 0;
const DRAIN_EVERY_MS = 5_000;

/** Drains the analytics outbox once, with this deployment's destinations; false if misconfigured. */
export async function drainAnalyticsWith(env: Env, db: Database, maxBatches?: number) {
  const setup = analyticsSetup(env, (input, init) => fetch(input, init));
  if ("error" in setup) {
    console.error(JSON.stringify({ level: "error", message: `analytics: ${setup.error}` }));
    return null;
  }
  return drainAnalytics({ db, setup, ...(maxBatches ? { maxBatches } : {}) });
}

/** Whether this isolate should start a drain now (and then not again for a few seconds). */
function drainDue(): boolean {
  const now = Date.now();
  if (now - lastDrainMs < DRAIN_EVERY_MS) return false;
  lastDrainMs = now;
  return true;
}

/** After the response: a drain on the request's database, unless this isolate started one just now. */
export function drainAnalyticsSoon(services: Services, env: Env): void {
  if (!drainDue()) return;
  const db = services.db();
  services.afterResponse("analytics drain", async () => {
    await drainAnalyticsWith(env, db, 2);
  });
}

/**
 * Queues one event after the response (its own transaction), then drains if due: the
 * response never waits on it. The call for features that send an event outside a
 * transaction of theirs (`Signed Up`, `Alert Acknowledged`, and `Export Shared`, `Partner
 * Linked` once they exist). Inside a tenant transaction use `enqueueProductEvents(tx, …)`
 * and then `drainAnalyticsSoon`. A failure is logged, never the request's.
 */
export function recordProductEvent(services: Services, env: Env, event: TrackedEvent): void {
  // Opened now, before the response: the request's handle closes after this work settles.
  const db = services.db();
  services.afterResponse(`analytics event "${event.event}"`, async () => {
    await trackProductEvent(db, event);
    if (drainDue()) await drainAnalyticsWith(env, db, 2);
  });
}

/** The states a tenant pays for beyond its plan's included ones (billing/catalog.ts). */
function addOnStates(account: Pick<BillingAccount, "plan" | "states">): string[] {
  const included = PLANS[account.plan].includedStates;
  return included === "all" ? [] : account.states.slice(included);
}

/**
 * What a billing change means for the roadmap's metrics: `Plan Changed` when the plan
 * changes, a trial converts (fromPlan `trial`) or the subscription ends (toPlan `canceled`),
 * `Add-on Bought` per newly paid state.
 * `occurrence` makes the message ids: Stripe's event id for webhooks, so a redelivered
 * event queues nothing new.
 */
export function billingChangeEvents(
  before: Pick<BillingAccount, "tenantId" | "plan" | "status" | "states">,
  after: Pick<BillingAccount, "plan" | "status" | "states">,
  occurrence: string,
  userId?: string,
): TrackedEvent[] {
  const events: TrackedEvent[] = [];
  const converted =
    before.status === "trialing" && (after.status === "active" || after.status === "past_due");
  const canceled = after.status === "canceled" && before.status !== "canceled";
  if (before.plan !== after.plan || converted || canceled) {
    events.push({
      event: "Plan Changed",
      tenantId: before.tenantId,
      userId,
      properties: {
        fromPlan: converted ? "trial" : before.plan,
        toPlan: canceled ? "canceled" : after.plan,
      },
      messageId: `Plan Changed:${occurrence}`,
    });
  }
  const had = new Set(addOnStates(before));
  for (const state of addOnStates(after)) {
    if (had.has(state)) continue;
    events.push({
      event: "Add-on Bought",
      tenantId: before.tenantId,
      userId,
      properties: { addOn: "state", state },
      messageId: `Add-on Bought:${occurrence}:${state}`,
    });
  }
  return events;
}

/**
 * `Partner Linked` (docs/tracking-plan.md): once per grant, when its owner's consent makes it
 * active (onboarding's invited grant, or a code exchange); the partner's id is its only property.
 */
export function partnerLinkedEvent(
  grant: Pick<Grant, "id" | "tenantId" | "partnerId">,
  userId: string | null,
): TrackedEvent {
  return {
    event: "Partner Linked",
    tenantId: grant.tenantId,
    userId,
    properties: { partner: grant.partnerId },
    messageId: `Partner Linked:${grant.id}`,
  };
}
