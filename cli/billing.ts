/**
 * Billing commands: syncing the catalog to Stripe, and the plan a tenant is on, set by the operator (local mode, custom
 * Enterprise terms, or correcting a tenant by hand). The hot path applies a change within
 * 60 s (workers/services/entitlements-cache.ts).
 *
 *   prep plan set --tenant <tenantId> --plan starter|growth|enterprise [--states CA,TX]
 *   prep billing sync
 */
import { isPlanId, PLAN_IDS, type PlanId } from "../billing/catalog";
import { createStripe } from "../billing/stripe";
import { syncCatalog } from "../billing/sync";
import { normalizeStates, updateBillingAccount } from "../db/billing";
import { withTenant } from "../db/client";
import { print, UsageError, withDatabase } from "./shared";

export const BILLING_USAGE = `  prep plan set --tenant <tenantId> --plan ${PLAN_IDS.join("|")} [--states CA,TX]
  prep billing sync                         Stripe's products, prices, meter and portal from the catalog (STRIPE_SECRET_KEY)`;

export function parsePlan(value: string | undefined): PlanId {
  if (!value || !isPlanId(value)) throw new UsageError(`--plan must be one of ${PLAN_IDS.join(", ")}`);
  return value;
}

export function parseStates(value: string | undefined): string[] {
  const listed = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    return normalizeStates(listed);
  } catch (error) {
    throw new UsageError(`--states: ${(error as Error).message}`);
  }
}

export async function planCommand(
  verb: string,
  values: { tenant?: string | undefined; plan?: string | undefined; states?: string | undefined },
): Promise<void> {
  if (verb !== "set") throw new UsageError(`unknown command "plan ${verb}"\n\n${BILLING_USAGE}`);
  const tenantId = values.tenant;
  if (!tenantId) throw new UsageError("plan set needs --tenant <tenantId>");
  const plan = parsePlan(values.plan);
  const states = parseStates(values.states);
  const account = await withDatabase((db) =>
    withTenant(db, tenantId, async (tx) => {
      const current = await tx.execute("select states from tenants");
      if (current.rows.length === 0) throw new UsageError(`no tenant ${tenantId}`);
      const kept = values.states === undefined ? (current.rows[0] as { states: string[] }).states : states;
      return updateBillingAccount(
        tx,
        tenantId,
        { plan, status: "active", states: kept, pastDueSince: null, trialEndsAt: null },
        "cli",
      );
    }),
  );
  print({ ...account, effectiveWithinSeconds: 60 });
}

/**
 * `prep billing sync`: makes Stripe's Products, Prices, Meter and portal configuration match
 * the catalog (billing/sync.ts). Needs STRIPE_SECRET_KEY; STRIPE_API_BASE points it elsewhere.
 */
export async function billingCommand(verb: string): Promise<void> {
  if (verb !== "sync") throw new UsageError(`unknown command "billing ${verb}"\n\n${BILLING_USAGE}`);
  const secretKey = process.env.STRIPE_SECRET_KEY;
  if (!secretKey) {
    throw new UsageError(
      "billing sync needs STRIPE_SECRET_KEY (without it billing runs in local mode: nothing to sync)",
    );
  }
  print(await syncCatalog(createStripe({ secretKey, apiBase: process.env.STRIPE_API_BASE })));
}
