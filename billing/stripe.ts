/**
 * Stripe through its official SDK (the workerd build in the Worker, the Node build in the
 * CLI), at a pinned API version, and the mapping from Stripe's subscription to Prep's
 * billing account. Requests go to api.stripe.com, or to `apiBase` (tests and local tooling:
 * a loopback server speaking Stripe's wire format) through the SDK's host/port/protocol.
 */
import Stripe from "stripe";
import { LOOKUP_KEYS, type PlanId, planForLookupKey } from "./catalog";
import type { SubscriptionStatus } from "./entitlements";

export { Stripe };

/** Every request and webhook payload uses this version; an upgrade is a reviewed change (docs/billing.md). */
export const STRIPE_API_VERSION = "2026-10-28.endive" as const;

export interface StripeSettings {
  secretKey: string;
  /** e.g. `http://127.0.0.1:4100`; absent = Stripe itself. */
  apiBase?: string | undefined;
}

export function createStripe(settings: StripeSettings): Stripe {
  const base = settings.apiBase ? new URL(settings.apiBase) : null;
  return new Stripe(settings.secretKey, {
    apiVersion: STRIPE_API_VERSION,
    httpClient: Stripe.createFetchHttpClient(),
    maxNetworkRetries: 2,
    timeout: 10_000,
    ...(base
      ? {
          host: base.hostname,
          port: base.port || (base.protocol === "https:" ? "443" : "80"),
          protocol: base.protocol === "https:" ? ("https" as const) : ("http" as const),
        }
      : {}),
  });
}

/** Stripe's subscription statuses in Prep's four; null = leave the account as it is. */
export function prepStatus(status: Stripe.Subscription.Status): SubscriptionStatus | null {
  switch (status) {
    case "trialing":
      return "trialing";
    case "active":
      return "active";
    case "past_due":
    case "unpaid":
      return "past_due";
    case "canceled":
    case "incomplete_expired":
    case "paused":
      return "canceled";
    default:
      // `incomplete`: the first payment has not gone through; nothing was bought yet.
      return null;
  }
}

/** What a subscription says about the tenant's account. */
export interface SubscriptionTerms {
  tenantId: string | null;
  subscriptionId: string;
  customerId: string;
  plan: PlanId | null;
  status: SubscriptionStatus | null;
  states: string[];
  /** State add-ons the subscription is charged for (quantity of the add-on price). */
  addOnQuantity: number;
  periodStart: string | null;
  periodEnd: string | null;
}

const iso = (seconds: number | undefined) => (seconds ? new Date(seconds * 1000).toISOString() : null);

export function subscriptionTerms(subscription: Stripe.Subscription): SubscriptionTerms {
  let plan: PlanId | null = null;
  let addOnQuantity = 0;
  let periodStart: string | null = null;
  let periodEnd: string | null = null;
  for (const item of subscription.items.data) {
    const lookupKey = item.price.lookup_key ?? "";
    const itemPlan = planForLookupKey(lookupKey);
    if (itemPlan) {
      plan = itemPlan;
      periodStart = iso(item.current_period_start);
      periodEnd = iso(item.current_period_end);
    }
    if (lookupKey === LOOKUP_KEYS.stateAddOn) addOnQuantity = item.quantity ?? 0;
  }
  const states = (subscription.metadata.states ?? "")
    .split(",")
    .map((s) => s.trim().toUpperCase())
    .filter(Boolean);
  return {
    tenantId: subscription.metadata.tenant_id ?? null,
    subscriptionId: subscription.id,
    customerId: typeof subscription.customer === "string" ? subscription.customer : subscription.customer.id,
    plan,
    status: prepStatus(subscription.status),
    states,
    addOnQuantity,
    periodStart,
    periodEnd,
  };
}
