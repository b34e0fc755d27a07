/**
 * Reports the object's metered checks to Stripe's Meter, exactly once per (tenant, hour,
 * state): once an hour has closed its counter in `usage_hourly` is final, and it is sent as
 * one meter event whose `identifier` is derived from tenant, hour, state and this object
 * (meter shards count separately), so a flush that is retried — after a failure, or after the
 * object died between Stripe's acceptance and the local record of it — sends the same
 * identifiers again and Stripe keeps the first. Only then is the hour marked in
 * `meter_reports`. Hours of a tenant without a Stripe subscription (local mode's operator
 * plans, trials) are marked `unbilled` and never sent.
 */
import { METER_EVENT_NAME } from "../billing/catalog";
import { createStripe } from "../billing/stripe";
import { loadBillingAccount } from "../db/billing";
import { type Database, withTenant } from "../db/client";

export const HOUR_MS = 3_600_000;
/** An hour is reported this long after it closes (checks recorded at its last instant are in). */
export const REPORT_DELAY_MS = 60_000;
/** Hours per flush run (Stripe takes one event per request). */
export const REPORT_BATCH = 100;

export interface HourUsage {
  hourMs: number;
  state: string;
  count: number;
}

export type ReportOutcome = "reported" | "unbilled";

/** Sends one batch of closed hours for a tenant; must be idempotent per identifier. */
export type UsageSender = (
  db: Database,
  tenantId: string,
  objectId: string,
  hours: HourUsage[],
) => Promise<ReportOutcome>;

/** Deterministic: the same hour of the same counter is always the same meter event. */
export function meterIdentifier(tenantId: string, objectId: string, hour: HourUsage): string {
  return `${tenantId}:${new Date(hour.hourMs).toISOString().slice(0, 13)}:${hour.state}:${objectId.slice(0, 16)}`;
}

/** When the hour containing `nowMs` may be reported. */
export const reportDueAfter = (nowMs: number) => nowMs - (nowMs % HOUR_MS) + HOUR_MS + REPORT_DELAY_MS;

/** The production sender: the tenant's Stripe customer from Postgres, one meter event per hour and state. */
export function stripeSender(settings: { secretKey: string; apiBase?: string | undefined }): UsageSender {
  return async (db, tenantId, objectId, hours) => {
    const account = await withTenant(db, tenantId, (tx) => loadBillingAccount(tx, tenantId));
    if (!account?.stripeCustomerId || !account.stripeSubscriptionId) return "unbilled";
    const stripe = createStripe(settings);
    for (const hour of hours) {
      const identifier = meterIdentifier(tenantId, objectId, hour);
      await stripe.billing.meterEvents.create(
        {
          event_name: METER_EVENT_NAME,
          identifier,
          timestamp: Math.floor(hour.hourMs / 1000),
          payload: { stripe_customer_id: account.stripeCustomerId, value: String(hour.count) },
        },
        { idempotencyKey: identifier },
      );
    }
    return "reported";
  };
}

export class UsageReports {
  constructor(private readonly sql: SqlStorage) {}

  /** Closed hours (by `nowMs`) not yet reported, oldest first. */
  pending(nowMs: number, limit = REPORT_BATCH): HourUsage[] {
    return this.sql
      .exec<{ hour_ms: number; state: string; count: number }>(
        `SELECT u.hour_ms, u.state, u.count FROM usage_hourly u
         LEFT JOIN meter_reports r ON r.hour_ms = u.hour_ms AND r.state = u.state
         WHERE r.hour_ms IS NULL AND u.hour_ms + ? + ? <= ?
         ORDER BY u.hour_ms, u.state LIMIT ?`,
        HOUR_MS,
        REPORT_DELAY_MS,
        nowMs,
        limit,
      )
      .toArray()
      .map((row) => ({ hourMs: row.hour_ms, state: row.state, count: row.count }));
  }

  /** Marks hours as sent (or as not billable), after Stripe accepted them. */
  settle(hours: readonly HourUsage[], outcome: ReportOutcome, atMs: number): void {
    for (const hour of hours) {
      this.sql.exec(
        `INSERT INTO meter_reports (hour_ms, state, count, outcome, settled_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (hour_ms, state) DO NOTHING`,
        hour.hourMs,
        hour.state,
        hour.count,
        outcome,
        atMs,
      );
    }
  }

  /** Reported totals per outcome in [fromMs, toMs) (reconciliation and tests). */
  totals(fromMs: number, toMs: number): Record<ReportOutcome, number> {
    const out: Record<ReportOutcome, number> = { reported: 0, unbilled: 0 };
    for (const row of this.sql
      .exec<{ outcome: ReportOutcome; n: number }>(
        "SELECT outcome, sum(count) AS n FROM meter_reports WHERE hour_ms >= ? AND hour_ms < ? GROUP BY outcome",
        fromMs,
        toMs,
      )
      .toArray()) {
      out[row.outcome] = row.n;
    }
    return out;
  }
}
