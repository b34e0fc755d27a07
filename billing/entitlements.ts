/**
 * What a tenant may do, derived from its billing account and the catalog — the one place a
 * gated capability asks (`entitled`, or `refusal` for the reason). Pure: the caller passes
 * the account (from isolate memory on the hot path) and the time.
 */
import { type Feature, isUsState, PAST_DUE_GRACE_DAYS, PLANS, type PlanId, TRIAL } from "./catalog";

export const SUBSCRIPTION_STATUSES = ["trialing", "active", "past_due", "canceled"] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/** A tenant's billing state, as stored in Postgres (`tenants`) and projected to the edge. */
export interface BillingAccount {
  tenantId: string;
  plan: PlanId;
  status: SubscriptionStatus;
  /** States bought (the plan's included ones first, then add-ons); a trial covers every state. */
  states: string[];
  trialEndsAt: string | null;
  /** When the subscription first became past_due (the grace period runs from here). */
  pastDueSince: string | null;
  /** The subscription's current period from Stripe; null in local mode (calendar months). */
  periodStart: string | null;
  periodEnd: string | null;
  stripeCustomerId: string | null;
  stripeSubscriptionId: string | null;
}

/** Something a tenant may be entitled to: a feature, running checks, or checks in a state. */
export type Entitlement = Feature | "checks" | `state:${string}`;

export type Refusal =
  | { code: "subscription_required"; detail: string }
  | { code: "state_not_in_plan"; state: string; detail: string }
  | { code: "feature_not_in_plan"; feature: Feature; detail: string };

const DAY_MS = 86_400_000;

/** Whether the subscription lets the tenant run checks now (reads never depend on this). */
function subscriptionRefusal(account: BillingAccount, now: number): Refusal | null {
  switch (account.status) {
    case "active":
      return null;
    case "trialing":
      if (!account.trialEndsAt || Date.parse(account.trialEndsAt) > now) return null;
      return {
        code: "subscription_required",
        detail: `The free trial ended on ${account.trialEndsAt.slice(0, 10)}. Choose a plan on the Billing page to keep running checks; your data stays readable.`,
      };
    case "past_due": {
      const since = account.pastDueSince ? Date.parse(account.pastDueSince) : now;
      if (now < since + PAST_DUE_GRACE_DAYS * DAY_MS) return null;
      return {
        code: "subscription_required",
        detail: `Payment has been past due since ${new Date(since).toISOString().slice(0, 10)}, beyond the ${PAST_DUE_GRACE_DAYS}-day grace period. Update the payment method on the Billing page; your data stays readable.`,
      };
    }
    case "canceled":
      return {
        code: "subscription_required",
        detail:
          "The subscription is canceled. Subscribe on the Billing page to run checks again; your data stays readable.",
      };
  }
}

/** Whether the tenant, as it stands, may run checks in every state (a trial or such a plan). */
export function coversEveryState(account: BillingAccount): boolean {
  return account.status === "trialing" || PLANS[account.plan].includedStates === "all";
}

/** Why the tenant may not have `what` now, or null when it may. */
export function refusal(
  account: BillingAccount,
  what: Entitlement,
  now: number = Date.now(),
): Refusal | null {
  const lapsed = subscriptionRefusal(account, now);
  if (lapsed) return lapsed;
  if (what === "checks") return null;
  if (what.startsWith("state:")) {
    const state = what.slice("state:".length).toUpperCase();
    if (coversEveryState(account) || account.states.includes(state)) return null;
    const known = isUsState(state);
    return {
      code: "state_not_in_plan",
      state,
      detail: known
        ? `${state} is not in this tenant's plan. Add the ${state} state add-on on the Billing page to check facilities there.`
        : `"${state}" is not a state Prep sells; facilities must be in a US state.`,
    };
  }
  const feature = what as Feature;
  if (account.status === "trialing") return null;
  if (PLANS[account.plan].features.includes(feature)) return null;
  return {
    code: "feature_not_in_plan",
    feature,
    detail: `${feature} is not part of the ${PLANS[account.plan].name} plan. Upgrade on the Billing page.`,
  };
}

/** The one question every gated capability asks. */
export function entitled(account: BillingAccount, what: Entitlement, now: number = Date.now()): boolean {
  return refusal(account, what, now) === null;
}

/** How many locations the tenant may store; null = no limit. */
export function locationLimit(account: BillingAccount): number | null {
  return account.status === "trialing" ? TRIAL.maxLocations : PLANS[account.plan].maxLocations;
}

/** Checks included in the current period. */
export function includedChecks(account: BillingAccount): number {
  return account.status === "trialing" ? TRIAL.includedChecks : PLANS[account.plan].includedChecks;
}

/**
 * The billing period containing `now`: Stripe's when it is known and current, otherwise the
 * calendar month (UTC), which is how local mode bills.
 */
export function currentPeriod(
  account: BillingAccount,
  now: number = Date.now(),
): { from: string; to: string } {
  if (account.periodStart && account.periodEnd) {
    const from = Date.parse(account.periodStart);
    const to = Date.parse(account.periodEnd);
    if (from <= now && now < to) return { from: account.periodStart, to: account.periodEnd };
  }
  const date = new Date(now);
  const from = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1);
  const to = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
