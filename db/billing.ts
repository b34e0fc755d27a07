/**
 * Tenants' billing accounts in Postgres (the system of record; the hot path reads a
 * projection, workers/services/entitlements-cache.ts): reading one, setting a plan (operator
 * CLI, local mode's plan page, the Stripe webhook), the webhook's applied events, and the
 * platform's view for analytics.
 */
import { eq, sql } from "drizzle-orm";
import { isUsState, type PlanId, TRIAL } from "../billing/catalog";
import type { BillingAccount, SubscriptionStatus } from "../billing/entitlements";
import { recordAudit } from "./audit";
import type { Tx } from "./client";
import { billingEvents, tenants } from "./schema";

const accountColumns = {
  tenantId: tenants.id,
  plan: tenants.plan,
  status: tenants.billingStatus,
  states: tenants.states,
  trialEndsAt: tenants.trialEndsAt,
  pastDueSince: tenants.pastDueSince,
  periodStart: tenants.periodStart,
  periodEnd: tenants.periodEnd,
  stripeCustomerId: tenants.stripeCustomerId,
  stripeSubscriptionId: tenants.stripeSubscriptionId,
};

export async function loadBillingAccount(tx: Tx, tenantId: string): Promise<BillingAccount | null> {
  const [row] = await tx.select(accountColumns).from(tenants).where(eq(tenants.id, tenantId));
  return row ?? null;
}

/**
 * Every tenant's account, for platform analytics and reconciliation (as prep_platform, through
 * the SECURITY DEFINER function `prep_billing_accounts`, migration 0011: billing columns only).
 */
export async function listBillingAccounts(tx: Tx): Promise<BillingAccount[]> {
  const iso = (value: unknown) =>
    value === null || value === undefined ? null : new Date(value as string).toISOString();
  const result = await tx.execute(sql`SELECT * FROM prep_billing_accounts()`);
  return (result.rows as Record<string, unknown>[]).map((row) => ({
    tenantId: row.tenant_id as string,
    plan: row.plan as PlanId,
    status: row.billing_status as SubscriptionStatus,
    states: row.states as string[],
    trialEndsAt: iso(row.trial_ends_at),
    pastDueSince: iso(row.past_due_since),
    periodStart: iso(row.period_start),
    periodEnd: iso(row.period_end),
    stripeCustomerId: (row.stripe_customer_id as string | null) ?? null,
    stripeSubscriptionId: (row.stripe_subscription_id as string | null) ?? null,
  }));
}

/** USPS codes, upper-cased, de-duplicated in order; throws on anything that is not a state. */
export function normalizeStates(states: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of states) {
    const state = raw.trim().toUpperCase();
    if (!isUsState(state)) throw new RangeError(`"${raw}" is not a US state code (e.g. CA, TX)`);
    if (!out.includes(state)) out.push(state);
  }
  return out;
}

/** The billing columns of a new tenant: a trial from now, or a plan set by the operator. */
export function initialBilling(input?: { plan: PlanId; states: readonly string[] }) {
  const now = Date.now();
  if (!input) {
    return {
      plan: "growth" as const,
      billingStatus: "trialing" as const,
      states: [],
      trialEndsAt: new Date(now + TRIAL.days * 86_400_000).toISOString(),
      billingUpdatedAt: new Date(now).toISOString(),
    };
  }
  return {
    plan: input.plan,
    billingStatus: "active" as const,
    states: normalizeStates(input.states),
    billingUpdatedAt: new Date(now).toISOString(),
  };
}

export interface BillingChange {
  plan: PlanId;
  status: SubscriptionStatus;
  states: readonly string[];
  pastDueSince?: string | null;
  trialEndsAt?: string | null;
  periodStart?: string | null;
  periodEnd?: string | null;
  stripeCustomerId?: string | null;
  stripeSubscriptionId?: string | null;
}

/** Applies a change to the tenant's account, with an audit entry; the new account, or null. */
export async function updateBillingAccount(
  tx: Tx,
  tenantId: string,
  change: BillingChange,
  actor: string,
): Promise<BillingAccount | null> {
  const { status, ...rest } = change;
  const [row] = await tx
    .update(tenants)
    .set({
      ...rest,
      billingStatus: status,
      states: normalizeStates(change.states),
      billingUpdatedAt: new Date().toISOString(),
    })
    .where(eq(tenants.id, tenantId))
    .returning(accountColumns);
  if (!row) return null;
  await recordAudit(tx, {
    tenantId,
    actor,
    action: "billing.changed",
    target: tenantId,
    detail: { plan: row.plan, status: row.status, states: row.states },
  });
  return row;
}

/**
 * Claims a webhook event for this tenant, in the caller's transaction: true the first time,
 * false when it was already applied (the caller then changes nothing).
 */
export async function claimBillingEvent(
  tx: Tx,
  event: { id: string; tenantId: string; type: string; created: number },
): Promise<boolean> {
  const inserted = await tx
    .insert(billingEvents)
    .values({
      eventId: event.id,
      tenantId: event.tenantId,
      type: event.type,
      createdAt: new Date(event.created * 1000).toISOString(),
    })
    .onConflictDoNothing()
    .returning({ id: billingEvents.eventId });
  return inserted.length > 0;
}

/**
 * Facilities the tenant stores now (the location limit applies on create). Locks the
 * tenant's row for the rest of the transaction, so two concurrent creates cannot both take
 * the last free location.
 */
export async function countLocations(tx: Tx, tenantId: string): Promise<number> {
  await tx.execute(sql`SELECT 1 FROM tenants WHERE id = ${tenantId} FOR UPDATE`);
  const result = await tx.execute(sql`SELECT count(*)::int AS n FROM facilities`);
  return Number((result.rows[0] as { n: number }).n);
}

/** Remembers the tenant's Stripe customer (made before its first Checkout). */
export async function setStripeCustomer(tx: Tx, tenantId: string, customerId: string): Promise<void> {
  await tx.update(tenants).set({ stripeCustomerId: customerId }).where(eq(tenants.id, tenantId));
}
