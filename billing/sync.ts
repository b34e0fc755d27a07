/**
 * Makes Stripe match the catalog, idempotently: the Meter checks are reported to, a Product
 * per plan (and for state add-ons and checks), a Price per plan, add-on and overage found by
 * its `lookup_key` — kept when it matches, replaced (the lookup key transferred to a new
 * price, the old one archived) when the catalog changed — and the Customer Portal's
 * configuration. Running it twice changes nothing the second time. `npx prep billing sync`.
 */
import { LOOKUP_KEYS, METER_EVENT_NAME, PLAN_IDS, PLANS, STATE_ADD_ON } from "./catalog";
import { Stripe } from "./stripe";

export type SyncAction = "created" | "updated" | "replaced" | "unchanged";
export interface SyncReport {
  meter: SyncAction;
  products: Record<string, SyncAction>;
  prices: Record<string, SyncAction>;
  portal: SyncAction;
}

/** Marks the portal configuration this catalog owns. */
const PORTAL_MARK = "prep_catalog";

interface DesiredPrice {
  lookupKey: string;
  product: string;
  params: Stripe.PriceCreateParams;
  matches(price: Stripe.Price): boolean;
}

function desiredPrices(meterId: string): DesiredPrice[] {
  const monthly = (lookupKey: string, product: string, cents: number): DesiredPrice => ({
    lookupKey,
    product,
    params: {
      currency: "usd",
      product,
      unit_amount: cents,
      recurring: { interval: "month", usage_type: "licensed" },
      lookup_key: lookupKey,
    },
    matches: (price) => price.unit_amount === cents && price.recurring?.usage_type === "licensed",
  });
  const out = PLAN_IDS.map((id) => monthly(LOOKUP_KEYS.plan(id), `prep_plan_${id}`, PLANS[id].monthlyCents));
  out.push(monthly(LOOKUP_KEYS.stateAddOn, "prep_state_addon", STATE_ADD_ON.monthlyCents));
  for (const id of PLAN_IDS) {
    const plan = PLANS[id];
    out.push({
      lookupKey: LOOKUP_KEYS.overage(id),
      product: "prep_checks",
      params: {
        currency: "usd",
        product: "prep_checks",
        recurring: { interval: "month", usage_type: "metered", meter: meterId },
        billing_scheme: "tiered",
        tiers_mode: "graduated",
        tiers: [
          { up_to: plan.includedChecks, unit_amount: 0 },
          { up_to: "inf", unit_amount_decimal: Stripe.Decimal.from(plan.overageCentsPerCheck) },
        ],
        lookup_key: LOOKUP_KEYS.overage(id),
        nickname: `${plan.name}: checks beyond ${plan.includedChecks}`,
      },
      matches: (price) =>
        price.recurring?.meter === meterId &&
        price.tiers?.[0]?.up_to === plan.includedChecks &&
        Number(price.tiers?.[1]?.unit_amount_decimal) === Number(plan.overageCentsPerCheck),
    });
  }
  return out;
}

const PRODUCTS: Record<string, string> = {
  ...Object.fromEntries(PLAN_IDS.map((id) => [`prep_plan_${id}`, `Prep ${PLANS[id].name}`])),
  prep_state_addon: `Prep ${STATE_ADD_ON.name}`,
  prep_checks: "Prep checks",
};

async function syncMeter(stripe: Stripe): Promise<{ id: string; action: SyncAction }> {
  for await (const meter of stripe.billing.meters.list({ status: "active", limit: 100 })) {
    if (meter.event_name === METER_EVENT_NAME) return { id: meter.id, action: "unchanged" };
  }
  const meter = await stripe.billing.meters.create({
    display_name: "Prep checks",
    event_name: METER_EVENT_NAME,
    default_aggregation: { formula: "sum" },
    customer_mapping: { type: "by_id", event_payload_key: "stripe_customer_id" },
    value_settings: { event_payload_key: "value" },
  });
  return { id: meter.id, action: "created" };
}

async function syncProduct(stripe: Stripe, id: string, name: string): Promise<SyncAction> {
  try {
    const product = await stripe.products.retrieve(id);
    if (product.name === name && product.active) return "unchanged";
    await stripe.products.update(id, { name, active: true });
    return "updated";
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    await stripe.products.create({ id, name, metadata: { catalog: "prep" } });
    return "created";
  }
}

async function syncPortal(stripe: Stripe): Promise<SyncAction> {
  const features: Stripe.BillingPortal.ConfigurationCreateParams.Features = {
    payment_method_update: { enabled: true },
    invoice_history: { enabled: true },
    subscription_cancel: { enabled: true, mode: "at_period_end" },
  };
  const headline = "Prep: compliance subscriptions";
  for await (const configuration of stripe.billingPortal.configurations.list({ limit: 100 })) {
    if (configuration.metadata?.[PORTAL_MARK] !== "1") continue;
    const current = configuration.features;
    const same =
      configuration.business_profile.headline === headline &&
      current.payment_method_update.enabled &&
      current.invoice_history.enabled &&
      current.subscription_cancel.enabled &&
      current.subscription_cancel.mode === "at_period_end";
    if (same) return "unchanged";
    await stripe.billingPortal.configurations.update(configuration.id, {
      features,
      business_profile: { headline },
    });
    return "updated";
  }
  await stripe.billingPortal.configurations.create({
    features,
    business_profile: { headline },
    metadata: { [PORTAL_MARK]: "1" },
  });
  return "created";
}

export async function syncCatalog(stripe: Stripe): Promise<SyncReport> {
  const meter = await syncMeter(stripe);
  const products: Record<string, SyncAction> = {};
  for (const [id, name] of Object.entries(PRODUCTS)) products[id] = await syncProduct(stripe, id, name);
  const prices: Record<string, SyncAction> = {};
  const desired = desiredPrices(meter.id);
  const existing = new Map<string, Stripe.Price>();
  // Stripe takes at most 10 lookup keys per list request.
  for (let i = 0; i < desired.length; i += 10) {
    const keys = desired.slice(i, i + 10).map((d) => d.lookupKey);
    const listed = await stripe.prices.list({
      lookup_keys: keys,
      active: true,
      limit: 10,
      expand: ["data.tiers"],
    });
    for (const price of listed.data) if (price.lookup_key) existing.set(price.lookup_key, price);
  }
  for (const want of desired) {
    const found = existing.get(want.lookupKey);
    if (found && found.product === want.product && want.matches(found)) {
      prices[want.lookupKey] = "unchanged";
      continue;
    }
    await stripe.prices.create({ ...want.params, transfer_lookup_key: true });
    if (found) await stripe.prices.update(found.id, { active: false });
    prices[want.lookupKey] = found ? "replaced" : "created";
  }
  return { meter: meter.action, products, prices, portal: await syncPortal(stripe) };
}
