/**
 * Schemas of the billing routes: the tenant's billing overview (GET /v1/billing).
 */
import * as v from "valibot";
import { FEATURES, PLAN_IDS, US_STATES } from "../../../billing/catalog";
import { SUBSCRIPTION_STATUSES } from "../../../billing/entitlements";

export const BILLING_MODES = ["local", "stripe"] as const;

export const BillingSchema = v.object({
  status: v.picklist(SUBSCRIPTION_STATUSES),
  /** `local`: no Stripe keys; plans are set by the operator CLI or the plan page, nothing is charged. */
  mode: v.picklist(BILLING_MODES),
  /** Whether checks are refused now (trial ended, canceled, or past due beyond the grace period). */
  checksAllowed: v.boolean(),
  plan: v.object({
    id: v.picklist(PLAN_IDS),
    name: v.string(),
    monthlyCents: v.number(),
    includedStates: v.union([v.number(), v.literal("all")]),
    maxLocations: v.nullable(v.number()),
    features: v.array(v.picklist(FEATURES)),
  }),
  /** States the tenant may check in: `["*"]` while every state is covered (trial, Enterprise). */
  states: v.array(v.string()),
  addOns: v.array(v.object({ state: v.string(), name: v.string(), monthlyCents: v.number() })),
  trialEndsAt: v.nullable(v.string()),
  pastDueSince: v.nullable(v.string()),
  period: v.object({ from: v.string(), to: v.string() }),
  usage: v.object({
    included: v.number(),
    used: v.number(),
    overage: v.number(),
    daily: v.array(v.object({ start: v.string(), count: v.number() })),
  }),
  /** The next invoice as the catalog prices it (Stripe's invoice is the bill). */
  estimate: v.object({ subscriptionCents: v.number(), overageCents: v.number(), totalCents: v.number() }),
});

/** Local mode's plan page: the plan and the states bought (included ones first, then add-ons). */
export const SetPlanSchema = v.object({
  plan: v.picklist(PLAN_IDS, `must be one of ${PLAN_IDS.join(", ")}`),
  states: v.pipe(
    v.array(v.pipe(v.string(), v.toUpperCase(), v.picklist(US_STATES, "must be a US state code such as CA"))),
    v.maxLength(US_STATES.length),
  ),
});

export const CheckoutAnswerSchema = v.object({
  /** Where to send the browser (Stripe Checkout); null when an existing subscription was changed in place. */
  url: v.nullable(v.string()),
  /** `checkout`: a new subscription; `updated`: the existing one changed (prorated), applied when Stripe's webhook arrives. */
  kind: v.picklist(["checkout", "updated"]),
});

export const PortalAnswerSchema = v.object({ url: v.string() });

/** GET /v1/admin/billing: the roadmap's monetization metrics from Prep's own data. */
export const AdminBillingSchema = v.object({
  asOf: v.string(),
  mode: v.picklist(BILLING_MODES),
  tenants: v.object({
    total: v.number(),
    byStatus: v.record(v.picklist(SUBSCRIPTION_STATUSES), v.number()),
    paying: v.number(),
  }),
  /** Catalog prices of every paying (active or past due) tenant's plan and add-ons, per month. */
  mrrCents: v.number(),
  arpuCents: v.number(),
  /** Paying tenants with at least one state add-on ÷ paying tenants. */
  stateAddOnAttachmentRate: v.number(),
  /**
   * Stripe-billed tenants, this period's hours that should have been reported: checks metered
   * ÷ checks reported to Stripe (1 = nothing leaked; null = nothing reported yet, or local mode).
   */
  leakage: v.object({ metered: v.number(), reported: v.number(), ratio: v.nullable(v.number()) }),
});
