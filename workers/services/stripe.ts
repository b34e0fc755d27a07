/**
 * The Worker's Stripe: which way this deployment bills (`stripe` with a secret key, else
 * `local`: plans set by the operator CLI and the web app's plan page, usage metered, no
 * Stripe call ever made), the SDK client, and applying a subscription to a tenant's account
 * exactly once per webhook event.
 */
import { PLANS } from "../../billing/catalog";
import type { BillingAccount } from "../../billing/entitlements";
import { createStripe, type Stripe, subscriptionTerms } from "../../billing/stripe";
import { claimBillingEvent, loadBillingAccount, updateBillingAccount } from "../../db/billing";
import { withTenant } from "../../db/client";
import { enqueueProductEvents } from "../../runtime/analytics-outbox";
import type { Env } from "../env";
import { billingChangeEvents, drainAnalyticsSoon } from "./analytics";
import { announceBillingChange } from "./billing";
import type { Services } from "./services";

export type BillingMode = "local" | "stripe";

export function billingMode(env: Pick<Env, "STRIPE_SECRET_KEY">): BillingMode {
  return env.STRIPE_SECRET_KEY ? "stripe" : "local";
}

/** The SDK client, or null in local mode. */
export function stripeClient(env: Pick<Env, "STRIPE_SECRET_KEY" | "STRIPE_API_BASE">): Stripe | null {
  if (!env.STRIPE_SECRET_KEY) return null;
  return createStripe({ secretKey: env.STRIPE_SECRET_KEY, apiBase: env.STRIPE_API_BASE });
}

export type Applied =
  | { kind: "applied"; account: BillingAccount }
  | { kind: "duplicate" }
  | { kind: "ignored"; why: string };

/**
 * Applies what the subscription says now (never what an event's payload said: deliveries
 * arrive out of order) to its tenant, with the event's row in the same transaction, so a
 * redelivered event changes nothing.
 */
export async function applySubscription(
  services: Services,
  event: Pick<Stripe.Event, "id" | "type" | "created">,
  subscription: Stripe.Subscription,
  /** The Worker's env, to start an analytics drain after the response; absent in jobs. */
  env?: Env,
): Promise<Applied> {
  const terms = subscriptionTerms(subscription);
  if (!terms.tenantId) return { kind: "ignored", why: "subscription without metadata.tenant_id" };
  const tenantId = terms.tenantId;
  const result = await withTenant(services.db(), tenantId, async (tx): Promise<Applied> => {
    const current = await loadBillingAccount(tx, tenantId);
    if (!current) return { kind: "ignored", why: "no such tenant" };
    if (
      !(await claimBillingEvent(tx, { id: event.id, tenantId, type: event.type, created: event.created }))
    ) {
      return { kind: "duplicate" };
    }
    // A late event about a subscription the tenant has since replaced says nothing of today.
    const superseded =
      current.stripeSubscriptionId !== null &&
      current.stripeSubscriptionId !== terms.subscriptionId &&
      terms.status !== "active" &&
      terms.status !== "trialing";
    if (superseded || !terms.status || !terms.plan) {
      return { kind: "ignored", why: superseded ? "superseded subscription" : "nothing bought yet" };
    }
    const included = PLANS[terms.plan].includedStates;
    // Never more states than are paid for, whatever the metadata says.
    const states = included === "all" ? [] : terms.states.slice(0, included + terms.addOnQuantity);
    const pastDueSince =
      terms.status !== "past_due"
        ? null
        : current.status === "past_due" && current.pastDueSince
          ? current.pastDueSince
          : new Date(event.created * 1000).toISOString();
    const account = await updateBillingAccount(
      tx,
      tenantId,
      {
        plan: terms.plan,
        status: terms.status,
        states,
        pastDueSince,
        trialEndsAt: terms.status === "trialing" ? current.trialEndsAt : null,
        periodStart: terms.periodStart,
        periodEnd: terms.periodEnd,
        stripeCustomerId: terms.customerId,
        stripeSubscriptionId: terms.subscriptionId,
      },
      "stripe",
    );
    if (!account) return { kind: "ignored", why: "no such tenant" };
    // Product analytics in the same transaction, keyed by Stripe's event id: applied once.
    await enqueueProductEvents(tx, billingChangeEvents(current, account, event.id));
    // Before the commit, keyed by Stripe's event id: a failure here fails the delivery, which
    // Stripe repeats, and the repeat is raised once — never a change nobody hears of.
    await announceBillingChange(services, current, account, `stripe:${event.id}`);
    return { kind: "applied", account };
  });
  if (result.kind === "applied") {
    await services.billing.publish(result.account);
    if (env) drainAnalyticsSoon(services, env);
  }
  return result;
}
