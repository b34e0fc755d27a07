/**
 * The nightly billing reconciliation: for each tenant billed through Stripe, this period's
 * checks as the tenant's meters count them against Stripe's meter event summary for the same
 * hours. Two differences raise one incident (PagerDuty, dedup key per deployment), resolved
 * when a later run finds none:
 *
 * - `stripe` ≠ `reported`: Stripe counts other than what the objects sent (an event lost or
 *   refused by Stripe, or sent by something else);
 * - `metered` ≠ `reported + unbilled` for hours that should have been reported by now: checks
 *   answered but never sent (revenue leakage: a report job stuck).
 */
import { METER_EVENT_NAME } from "../billing/catalog";
import { listBillingAccounts } from "../db/billing";
import { asPlatform } from "../db/client";
import { openIncident, setIncident } from "../db/incidents";
import type { JobContext } from "./context";
import { incidentEvent, sendIncidentEvent } from "./pagerduty";

const HOUR_MS = 3_600_000;
/** Hours younger than this may still be waiting for their report (an hour + the report's delay + slack). */
const REPORT_GRACE_MS = 2 * HOUR_MS;

export interface TenantBillingCount {
  tenantId: string;
  from: string;
  to: string;
  metered: number;
  reported: number;
  unbilled: number;
  stripe: number;
}

export interface BillingReconciliation {
  checked: number;
  mismatches: TenantBillingCount[];
  incident: "triggered" | "resolved" | null;
}

const floorHour = (ms: number) => ms - (ms % HOUR_MS);

export async function reconcileBilling(ctx: JobContext): Promise<BillingReconciliation> {
  const billing = ctx.billing;
  if (!billing) return { checked: 0, mismatches: [], incident: null };
  const accounts = (await asPlatform(ctx.db, listBillingAccounts)).filter(
    (a) => a.stripeCustomerId && a.stripeSubscriptionId && a.periodStart,
  );
  let meterId: string | undefined;
  for await (const meter of billing.stripe.billing.meters.list({ status: "active", limit: 100 })) {
    if (meter.event_name === METER_EVENT_NAME) meterId = meter.id;
  }
  const now = ctx.now().getTime();
  const mismatches: TenantBillingCount[] = [];
  let checked = 0;
  for (const account of accounts) {
    if (!meterId) break;
    const fromMs = floorHour(Date.parse(account.periodStart as string));
    const toMs = floorHour(
      Math.min(now - REPORT_GRACE_MS, Date.parse(account.periodEnd ?? new Date(now).toISOString())),
    );
    if (toMs <= fromMs) continue;
    const [counts, metered, summaries] = await Promise.all([
      billing.reported(account.tenantId, fromMs, toMs),
      billing.metered(account.tenantId, fromMs, toMs),
      billing.stripe.billing.meters.listEventSummaries(meterId, {
        customer: account.stripeCustomerId as string,
        start_time: fromMs / 1000,
        end_time: toMs / 1000,
      }),
    ]);
    const stripe = summaries.data.reduce((sum, s) => sum + s.aggregated_value, 0);
    checked++;
    const count = {
      tenantId: account.tenantId,
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs).toISOString(),
      metered,
      ...counts,
      stripe,
    };
    if (stripe !== counts.reported || metered !== counts.reported + counts.unbilled) mismatches.push(count);
  }
  return { checked, mismatches, incident: await raiseOrResolve(ctx, mismatches) };
}

async function raiseOrResolve(ctx: JobContext, mismatches: TenantBillingCount[]) {
  const dedupKey = `prep-${ctx.environment}-billing-reconciliation`;
  const open = await openIncident(ctx.db, dedupKey);
  const breach = mismatches.length > 0;
  if (breach === open) return null;
  const event = incidentEvent({
    action: breach ? "trigger" : "resolve",
    dedupKey,
    routingKey: ctx.incidentRoutingKey ?? "",
    summary: `Billing reconciliation in ${ctx.environment}: ${mismatches.length} tenant(s) whose metered checks differ from Stripe's meter (RUNBOOK.md)`,
    source: `prep-${ctx.environment}`,
    customDetails: { mismatches },
    component: "billing",
  });
  if (ctx.incidentWebhookUrl) await sendIncidentEvent(ctx.fetch, ctx.incidentWebhookUrl, event);
  else ctx.log({ message: "incident (no INCIDENT_WEBHOOK_URL configured)", event });
  const status = breach ? "triggered" : "resolved";
  await setIncident(ctx.db, dedupKey, status, event.payload?.summary ?? "resolved");
  return status;
}
