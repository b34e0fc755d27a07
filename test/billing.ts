// A tenant with an active Stripe subscription for billing tests: a customer in the loopback
// Stripe (test/stripe-server.ts) and the tenant's billing account pointing at it.
import type { Stripe } from "../billing/stripe";
import { type BillingChange, updateBillingAccount } from "../db/billing";
import { withTenant } from "../db/client";
import { newTenant, workerDb } from "./helpers";

export async function subscribedTenant(
  stripe: Stripe,
  name: string,
  account: Omit<BillingChange, "status" | "stripeCustomerId">,
): Promise<{ tenantId: string; customer: string }> {
  const { tenantId } = await newTenant(name, undefined, { plan: account.plan, states: [...account.states] });
  const customer = (await stripe.customers.create({ name, metadata: { tenant_id: tenantId } })).id;
  const handle = workerDb();
  try {
    await withTenant(handle.db, tenantId, (tx) =>
      updateBillingAccount(
        tx,
        tenantId,
        { ...account, status: "active", stripeCustomerId: customer },
        "test",
      ),
    );
  } finally {
    await handle.close();
  }
  return { tenantId, customer };
}
