/**
 * The catalog: every plan, add-on, overage price and the trial, in one reviewable place.
 * Stripe's Products, Prices and Meter are created from this (`npx prep billing sync`), the
 * hot path's entitlements are derived from it, and the web app shows it. Code elsewhere asks
 * `entitled(tenant, feature)` (entitlements.ts), never a plan's name.
 *
 * Amounts are in US cents; overage is a decimal string of cents per check (Stripe's
 * `unit_amount_decimal`), since a check costs a fraction of a cent.
 */

/** Features a plan may include; each gated capability names exactly one. */
export const FEATURES = [
  "sms_alerts",
  "evidence_exports",
  "webhooks",
  "partner_api",
  "sso",
  "custom_terms",
] as const;
export type Feature = (typeof FEATURES)[number];

/** The states (and DC) a tenant may buy, as USPS codes. */
export const US_STATES = [
  "AL",
  "AK",
  "AZ",
  "AR",
  "CA",
  "CO",
  "CT",
  "DE",
  "DC",
  "FL",
  "GA",
  "HI",
  "ID",
  "IL",
  "IN",
  "IA",
  "KS",
  "KY",
  "LA",
  "ME",
  "MD",
  "MA",
  "MI",
  "MN",
  "MS",
  "MO",
  "MT",
  "NE",
  "NV",
  "NH",
  "NJ",
  "NM",
  "NY",
  "NC",
  "ND",
  "OH",
  "OK",
  "OR",
  "PA",
  "RI",
  "SC",
  "SD",
  "TN",
  "TX",
  "UT",
  "VT",
  "VA",
  "WA",
  "WV",
  "WI",
  "WY",
] as const;
export type UsState = (typeof US_STATES)[number];

export const PLAN_IDS = ["starter", "growth", "enterprise"] as const;
export type PlanId = (typeof PLAN_IDS)[number];

export interface Plan {
  id: PlanId;
  name: string;
  /** Flat monthly price in cents. */
  monthlyCents: number;
  /** States included in the price; each further state is a state add-on. `"all"`: every state. */
  includedStates: number | "all";
  /** Locations (facilities) the tenant may store; null = no limit. */
  maxLocations: number | null;
  /** Checks per billing period included in the price. */
  includedChecks: number;
  /** Cents per check beyond `includedChecks`, as a decimal string. */
  overageCentsPerCheck: string;
  features: readonly Feature[];
}

export const PLANS: Readonly<Record<PlanId, Plan>> = {
  starter: {
    id: "starter",
    name: "Starter",
    monthlyCents: 4_900,
    includedStates: 1,
    maxLocations: 3,
    includedChecks: 2_000,
    overageCentsPerCheck: "0.5",
    features: [],
  },
  growth: {
    id: "growth",
    name: "Growth",
    monthlyCents: 29_900,
    includedStates: 3,
    maxLocations: 25,
    includedChecks: 25_000,
    overageCentsPerCheck: "0.3",
    features: ["sms_alerts", "evidence_exports", "webhooks"],
  },
  enterprise: {
    id: "enterprise",
    name: "Enterprise",
    monthlyCents: 150_000,
    includedStates: "all",
    maxLocations: null,
    includedChecks: 500_000,
    overageCentsPerCheck: "0.1",
    features: FEATURES,
  },
};

/** One price per extra state beyond the plan's included states, per month. */
export const STATE_ADD_ON = { name: "State add-on", monthlyCents: 4_900 } as const;

/** A new tenant without a plan: every state and feature for 14 days. */
export const TRIAL = {
  days: 14,
  maxLocations: 25,
  includedChecks: 5_000,
  features: FEATURES,
} as const;

/** How long a `past_due` subscription keeps checking before it answers 402. */
export const PAST_DUE_GRACE_DAYS = 7;

/**
 * Stripe lookup keys: the catalog's identity in Stripe. Sync creates or updates the object
 * with this key; Checkout and the webhook find prices by them, never by Stripe ids.
 */
export const LOOKUP_KEYS = {
  plan: (plan: PlanId) => `prep_${plan}_monthly`,
  overage: (plan: PlanId) => `prep_${plan}_checks_overage`,
  stateAddOn: "prep_state_addon_monthly",
} as const;

/** The Stripe Meter every tenant's checks are reported to (its `event_name`). */
export const METER_EVENT_NAME = "prep_checks";

export function isPlanId(value: string): value is PlanId {
  return (PLAN_IDS as readonly string[]).includes(value);
}

export function isUsState(value: string): value is UsState {
  return (US_STATES as readonly string[]).includes(value);
}

/** The plan whose base price has this lookup key, if any. */
export function planForLookupKey(lookupKey: string): PlanId | null {
  return PLAN_IDS.find((id) => LOOKUP_KEYS.plan(id) === lookupKey) ?? null;
}

/** The states of `states` beyond what the plan includes, each billed as a state add-on. */
export function addOnStates(plan: PlanId, states: readonly string[]): string[] {
  const included = PLANS[plan].includedStates;
  return included === "all" ? [] : states.slice(included);
}

/** The catalog's monthly price of a plan with these states, in cents (before overage). */
export function monthlyPriceCents(plan: PlanId, states: readonly string[]): number {
  return PLANS[plan].monthlyCents + addOnStates(plan, states).length * STATE_ADD_ON.monthlyCents;
}

/** Overage for `used` checks on a plan, in cents (rounded to whole cents). */
export function overageCents(plan: PlanId, used: number): number {
  const over = Math.max(0, used - PLANS[plan].includedChecks);
  return Math.round(over * Number(PLANS[plan].overageCentsPerCheck));
}
