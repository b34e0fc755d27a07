/**
 * POST /v1/billing/checkout — subscribe, add a state or change plan, with Stripe: a tenant
 * without a subscription gets a Checkout Session (plan, one add-on per extra state, the
 * metered overage price); a tenant with one has it changed in place, prorated. Either way the
 * account changes only when Stripe's webhook says so. Owners only; 409 in local mode.
 */
import { describeRoute } from "hono-openapi";
import { addOnStates, LOOKUP_KEYS, type PlanId } from "../../../billing/catalog";
import type { Stripe } from "../../../billing/stripe";
import { loadBillingAccount, setStripeCustomer } from "../../../db/billing";
import { withTenant } from "../../../db/client";
import { loadTenantName } from "../../../db/tenants";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { json } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { stripeClient } from "../../services/stripe";
import type { App } from "../index";
import { CheckoutAnswerSchema, SetPlanSchema } from "./schemas";
import { appOrigin, localBilling, requireOwner, stripeUnavailable } from "./shared";

/** The catalog's prices for a plan, by lookup key (made by `npx prep billing sync`). */
async function catalogPrices(stripe: Stripe, plan: PlanId) {
  const keys = [LOOKUP_KEYS.plan(plan), LOOKUP_KEYS.overage(plan), LOOKUP_KEYS.stateAddOn];
  const listed = await stripe.prices.list({ lookup_keys: keys, active: true, limit: keys.length });
  const byKey = new Map(listed.data.map((price) => [price.lookup_key, price.id]));
  const missing = keys.filter((key) => !byKey.has(key));
  if (missing.length > 0) {
    throw new Problem({
      status: 503,
      code: "catalog_not_synced",
      title: "Catalog not in Stripe",
      detail: `Stripe has no active price for ${missing.join(", ")}. An operator must run npx prep billing sync.`,
    });
  }
  const price = (key: string) => byKey.get(key) as string;
  return {
    plan: price(LOOKUP_KEYS.plan(plan)),
    overage: price(LOOKUP_KEYS.overage(plan)),
    stateAddOn: price(LOOKUP_KEYS.stateAddOn),
  };
}

export function registerCheckout(app: App): void {
  app.post(
    "/v1/billing/checkout",
    describeRoute({
      tags: ["Billing"],
      summary: "Subscribe, add a state or change plan (Stripe)",
      requestBody: jsonRequestBody(SetPlanSchema),
      responses: {
        200: jsonResponse("Where to go next", CheckoutAnswerSchema),
        ...problemResponses(401, 403, 409, 415, 422, 503),
      },
    }),
    authenticate,
    requireScope("billing:read"),
    requireOwner,
    ...json(SetPlanSchema),
    async (c) => {
      const stripe = stripeClient(c.env);
      if (!stripe) throw localBilling();
      const body = c.req.valid("json");
      const services = c.get("services");
      const tenantId = c.get("principal").tenantId;
      const { account, name } = await withTenant(services.db(), tenantId, async (tx) => ({
        account: await loadBillingAccount(tx, tenantId),
        name: await loadTenantName(tx, tenantId),
      }));
      if (!account) throw new Error("the signed-in tenant vanished");
      const states = [...new Set(body.states)];
      const metadata = { tenant_id: tenantId, states: states.join(",") };
      const addOns = addOnStates(body.plan, states).length;
      try {
        const prices = await catalogPrices(stripe, body.plan);
        if (account.stripeSubscriptionId && account.status !== "canceled") {
          const current = await stripe.subscriptions.retrieve(account.stripeSubscriptionId);
          const items: Stripe.SubscriptionUpdateParams.Item[] = [];
          const want = new Map<string, { price: string; quantity?: number }>([
            ["plan", { price: prices.plan, quantity: 1 }],
            ["overage", { price: prices.overage }],
          ]);
          if (addOns > 0) want.set("addOn", { price: prices.stateAddOn, quantity: addOns });
          for (const item of current.items.data) {
            const key = item.price.lookup_key ?? "";
            const role =
              key === LOOKUP_KEYS.stateAddOn ? "addOn" : key.endsWith("_monthly") ? "plan" : "overage";
            const wanted = want.get(role);
            want.delete(role);
            items.push(wanted ? { id: item.id, ...wanted } : { id: item.id, deleted: true });
          }
          for (const wanted of want.values()) items.push(wanted);
          await stripe.subscriptions.update(account.stripeSubscriptionId, {
            items,
            metadata,
            proration_behavior: "create_prorations",
          });
          return c.json({ url: null, kind: "updated" as const });
        }
        let customer = account.stripeCustomerId;
        if (!customer) {
          const created = await stripe.customers.create(
            { name: name ?? tenantId, metadata: { tenant_id: tenantId } },
            { idempotencyKey: `prep-customer-${tenantId}` },
          );
          customer = created.id;
          const id = customer;
          await withTenant(services.db(), tenantId, (tx) => setStripeCustomer(tx, tenantId, id));
        }
        const origin = appOrigin(c);
        const session = await stripe.checkout.sessions.create({
          mode: "subscription",
          customer,
          client_reference_id: tenantId,
          line_items: [
            { price: prices.plan, quantity: 1 },
            ...(addOns > 0 ? [{ price: prices.stateAddOn, quantity: addOns }] : []),
            { price: prices.overage },
          ],
          subscription_data: { metadata },
          success_url: `${origin}/billing?checkout=success`,
          cancel_url: `${origin}/billing?checkout=canceled`,
        });
        return c.json({ url: session.url, kind: "checkout" as const });
      } catch (error) {
        throw error instanceof Problem ? error : stripeUnavailable(error);
      }
    },
  );
}
