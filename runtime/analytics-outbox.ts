/**
 * The durable queue in front of the analytics destinations (ADR 0018): a Postgres outbox,
 * `analytics_outbox`, written in the transaction that records what happened, and the drain
 * that sends it on.
 *
 * - **Enqueue** (`enqueueProductEvents` in a tenant transaction, `trackProductEvent` with a
 *   transaction of its own): properties are cut to the tracking plan before they are stored;
 *   the row's primary key is the event's `messageId` (the occurrence's key, e.g. the check id),
 *   so enqueuing the same occurrence twice keeps one row; it leaves only as an HMAC of itself. Checks are enqueued by the tenant object's delivery of checks to Postgres
 *   (durable-objects/outbox.ts), never on the check's path.
 * - **Drain** (`drainAnalytics`: the hourly cron, and after a request that enqueued): claims
 *   due rows with a lease (`FOR UPDATE SKIP LOCKED`, so two drains never send the same row at
 *   once), scrubs them (the per-tenant HMAC happens here; the key never reaches the tenant
 *   object), sends each batch to every configured destination, and settles: accepted by all →
 *   deleted; retryable anywhere → kept, due again after `Retry-After` (else backoff); refused
 *   for good, or undelivered for MAX_AGE → dead letter (`dead_at`, RUNBOOK.md). A destination
 *   that already took a message gets it again on a retry; `messageId`/`insert_id` make that
 *   count once.
 * - **Without keys** the one destination is the local log (a structured line per event), so
 *   `npm start` needs none.
 */
import { sql } from "drizzle-orm";
import { asPlatform, type Database, type Tx, withTenant } from "../db/client";
import { analyticsOutbox } from "../db/schema";
import { amplitudeDestination } from "./amplitude";
import {
  type Destination,
  type EventName,
  planProperties,
  type SegmentTrack,
  scrub,
  segmentDestination,
} from "./analytics";

/** One occurrence of a planned event, as its sender describes it. */
export interface TrackedEvent {
  event: EventName;
  tenantId: string;
  /** The acting user (pseudonymised when it leaves); absent when an API key or Prep acts. */
  userId?: string | null | undefined;
  /** Anything; only the plan's properties are kept. */
  properties: Record<string, unknown>;
  /** Stable per occurrence, e.g. `Location Added:fac_…`: the dedup key everywhere. */
  messageId: string;
  /** RFC 3339; default now. */
  occurredAt?: string | undefined;
}

/** Queues events in the caller's tenant transaction: they exist exactly when its work commits. */
export async function enqueueProductEvents(tx: Tx, events: readonly TrackedEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx
    .insert(analyticsOutbox)
    .values(
      events.map((e) => ({
        messageId: e.messageId,
        tenantId: e.tenantId,
        event: e.event,
        userId: e.userId ?? null,
        properties: planProperties(e.event, e.properties),
        occurredAt: e.occurredAt ?? new Date().toISOString(),
      })),
    )
    .onConflictDoNothing();
}

/**
 * Queues one event in a transaction of its own, for a change with no tenant transaction to
 * join (docs/tracking-plan.md); the Worker's `recordProductEvent`
 * (workers/services/analytics.ts) also starts a drain after the response.
 */
export function trackProductEvent(db: Database, event: TrackedEvent): Promise<void> {
  return withTenant(db, event.tenantId, (tx) => enqueueProductEvents(tx, [event]));
}

// ---- Configuration ----

/** The variables and secrets analytics reads (runtime/env.ts). */
export interface AnalyticsEnv {
  SEGMENT_WRITE_KEY?: string | undefined;
  SEGMENT_API_URL?: string | undefined;
  AMPLITUDE_API_KEY?: string | undefined;
  AMPLITUDE_API_URL?: string | undefined;
  ANALYTICS_HMAC_KEY?: string | undefined;
}

export interface AnalyticsSetup {
  destinations: Destination[];
  hmacKey: string;
}

/** Stands in for the HMAC key when nothing leaves (local logging only): it protects nothing. */
const LOCAL_ONLY_KEY = "prep-local-analytics-nothing-leaves";

/** One structured log line per event: the destination when no keys are configured. */
export function logDestination(write: (line: string) => void = (line) => console.log(line)): Destination {
  return {
    name: "log",
    maxBatch: 100,
    async deliver(batch) {
      for (const message of batch)
        write(JSON.stringify({ level: "info", message: "analytics event", destination: "log", ...message }));
      return { kind: "accepted" };
    },
  };
}

/**
 * Segment with `SEGMENT_WRITE_KEY`, Amplitude with `AMPLITUDE_API_KEY` (both may be set),
 * else the local log. A destination without `ANALYTICS_HMAC_KEY` is a configuration error:
 * nothing is sent (events wait in the outbox) rather than pseudonyms under a known key.
 */
export function analyticsSetup(env: AnalyticsEnv, fetcher: typeof fetch): AnalyticsSetup | { error: string } {
  const destinations: Destination[] = [];
  if (env.SEGMENT_WRITE_KEY)
    destinations.push(
      segmentDestination({ fetch: fetcher, writeKey: env.SEGMENT_WRITE_KEY, url: env.SEGMENT_API_URL }),
    );
  if (env.AMPLITUDE_API_KEY)
    destinations.push(
      amplitudeDestination({ fetch: fetcher, apiKey: env.AMPLITUDE_API_KEY, url: env.AMPLITUDE_API_URL }),
    );
  if (destinations.length === 0) return { destinations: [logDestination()], hmacKey: LOCAL_ONLY_KEY };
  if (!env.ANALYTICS_HMAC_KEY || env.ANALYTICS_HMAC_KEY.length < 32)
    return { error: "ANALYTICS_HMAC_KEY (32+ characters) must be set when an analytics destination is" };
  return { destinations, hmacKey: env.ANALYTICS_HMAC_KEY };
}

// ---- Drain ----

/** Rows per claim: Segment's batch size (Amplitude's is larger). */
export const DRAIN_BATCH = 100;
/** How long a claim holds its rows; a drain that dies releases them when it runs out. */
const LEASE_SECONDS = 120;
/** Backoff without Retry-After: 1 min doubling, at most 1 h. */
const backoffMs = (attempts: number) => Math.min(60_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
/**
 * An event still undelivered this long after it was queued becomes a dead letter: Amplitude
 * deduplicates `insert_id` for 7 days, so a much later resend could count twice.
 */
export const MAX_AGE_HOURS = 72;

export interface DrainReport {
  delivered: number;
  retried: number;
  deadLettered: number;
}

type Verdict =
  | { kind: "ok" }
  | { kind: "retry"; afterMs: number | null; reason: string }
  | { kind: "dead"; reason: string };

interface ClaimedRow {
  message_id: string;
  tenant_id: string;
  event: string;
  user_id: string | null;
  properties: Record<string, unknown>;
  occurred_at: string | Date;
  attempts: number;
}

/**
 * Sends due events until the outbox has none, a destination asks to wait, or `maxBatches`
 * claims were made. Safe to run concurrently (leases) and after a crash at any point (an
 * unsettled claim is retried when its lease ends; the destinations deduplicate).
 */
export async function drainAnalytics(options: {
  db: Database;
  setup: AnalyticsSetup;
  maxBatches?: number;
  log?: (event: Record<string, unknown>) => void;
  /** Drain as if at this time (rows due by then); default the database's now. */
  at?: Date;
  /** Only these tenants' rows (an operator draining one tenant; tests). */
  tenantIds?: readonly string[];
  /** No new batch is claimed after this long (ms): the cron shares its run with other jobs. */
  budgetMs?: number;
}): Promise<DrainReport> {
  const report: DrainReport = { delivered: 0, retried: 0, deadLettered: 0 };
  const stopAt = Date.now() + (options.budgetMs ?? Number.POSITIVE_INFINITY);
  const log = options.log ?? ((e) => console.log(JSON.stringify({ level: "info", ...e })));
  for (let round = 0; round < (options.maxBatches ?? 10) && Date.now() < stopAt; round++) {
    const rows = await claim(options.db, options.at ?? null, options.tenantIds ?? null);
    if (rows.length === 0) break;
    const messages: SegmentTrack[] = [];
    /** Sent messageId (an HMAC) → the row's key. */
    const rowOf = new Map<string, string>();
    const unplanned: string[] = [];
    for (const row of rows) {
      const message = await scrub(options.setup.hmacKey, {
        event: row.event,
        tenantId: row.tenant_id,
        userId: row.user_id ?? undefined,
        properties: row.properties,
        timestamp: new Date(row.occurred_at).toISOString(),
        messageId: row.message_id,
      });
      if (message) {
        messages.push(message);
        rowOf.set(message.messageId, row.message_id);
      } else unplanned.push(row.message_id);
    }
    const verdicts = new Map<string, Verdict>();
    for (const id of unplanned)
      verdicts.set(id, { kind: "dead", reason: "event no longer in the tracking plan" });
    for (const destination of options.setup.destinations) {
      const said = await deliverTo(destination, messages);
      for (const [sentId, verdict] of said) {
        const id = rowOf.get(sentId) ?? sentId;
        verdicts.set(id, worse(verdicts.get(id), verdict));
      }
    }
    const settled = await settle(options.db, rows, verdicts);
    report.delivered += settled.delivered;
    report.retried += settled.retried;
    report.deadLettered += settled.deadLettered;
    if (settled.deadLettered > 0)
      log({ level: "error", message: "analytics: events dead-lettered", count: settled.deadLettered });
    // A destination asked to wait: the next drain (after Retry-After) carries on.
    if (settled.retried > 0 || rows.length < DRAIN_BATCH) break;
  }
  return report;
}

const RANK = { ok: 0, retry: 1, dead: 2 } as const;
/** Across destinations: dead beats retry beats accepted; among retries the longest wait wins. */
function worse(a: Verdict | undefined, b: Verdict): Verdict {
  if (!a || RANK[b.kind] > RANK[a.kind]) return b;
  if (a.kind === "retry" && b.kind === "retry")
    return {
      ...a,
      afterMs: Math.max(a.afterMs ?? 0, b.afterMs ?? 0) || null,
      reason: `${a.reason}; ${b.reason}`,
    };
  return a;
}

/**
 * One destination's verdict on every message: batches of its size; a batch that is too
 * large, or refused as a whole, is split until the refused message is alone; once the
 * destination asks to wait, the rest are not sent (they wait too).
 */
async function deliverTo(
  destination: Destination,
  messages: readonly SegmentTrack[],
): Promise<Map<string, Verdict>> {
  const verdicts = new Map<string, Verdict>();
  const queue: SegmentTrack[][] = [];
  for (let i = 0; i < messages.length; i += destination.maxBatch)
    queue.push(messages.slice(i, i + destination.maxBatch));
  const all = (batch: readonly SegmentTrack[], verdict: Verdict) => {
    for (const m of batch) verdicts.set(m.messageId, verdict);
  };
  while (queue.length > 0) {
    const batch = queue.shift() as SegmentTrack[];
    const outcome = await destination.deliver(batch);
    const reason = "reason" in outcome ? `${destination.name}: ${outcome.reason}` : "";
    if (outcome.kind === "accepted") all(batch, { kind: "ok" });
    else if (outcome.kind === "retry") {
      const verdict: Verdict = { kind: "retry", afterMs: outcome.retryAfterMs, reason };
      all(batch, verdict);
      for (const rest of queue.splice(0)) all(rest, verdict);
    } else {
      const refused = new Set(
        outcome.kind === "refused" ? outcome.messageIds : batch.map((m) => m.messageId),
      );
      if (refused.size >= batch.length && batch.length > 1) {
        const half = Math.ceil(batch.length / 2);
        queue.unshift(batch.slice(0, half), batch.slice(half));
        continue;
      }
      const kept = batch.filter((m) => !refused.has(m.messageId));
      for (const m of batch)
        if (refused.has(m.messageId)) verdicts.set(m.messageId, { kind: "dead", reason });
      // What the destination did not object to was not taken either: send it again now.
      if (kept.length > 0) queue.unshift(kept);
    }
  }
  return verdicts;
}

async function claim(
  db: Database,
  at: Date | null,
  tenantIds: readonly string[] | null,
): Promise<ClaimedRow[]> {
  const due = at ? at.toISOString() : null;
  const tenants = tenantIds ? JSON.stringify(tenantIds) : null;
  return asPlatform(db, async (tx) => {
    const result = await tx.execute(sql`
      UPDATE analytics_outbox
      SET leased_until = now() + make_interval(secs => ${LEASE_SECONDS}), attempts = attempts + 1
      WHERE message_id IN (
        SELECT message_id FROM analytics_outbox
        WHERE dead_at IS NULL AND (leased_until IS NULL OR leased_until < now())
          AND next_attempt_at <= coalesce(${due}::timestamptz, now())
          AND (${tenants}::jsonb IS NULL OR tenant_id IN (SELECT jsonb_array_elements_text(${tenants}::jsonb)))
        ORDER BY next_attempt_at, message_id
        LIMIT ${DRAIN_BATCH}
        FOR UPDATE SKIP LOCKED)
      RETURNING message_id, tenant_id, event, user_id, properties, occurred_at, attempts`);
    return result.rows as unknown as ClaimedRow[];
  });
}

async function settle(
  db: Database,
  rows: readonly ClaimedRow[],
  verdicts: Map<string, Verdict>,
): Promise<DrainReport> {
  const report: DrainReport = { delivered: 0, retried: 0, deadLettered: 0 };
  const delivered: string[] = [];
  const retries: { id: string; afterMs: number; reason: string }[] = [];
  const dead: { id: string; reason: string }[] = [];
  for (const row of rows) {
    const verdict = verdicts.get(row.message_id) ?? { kind: "ok" };
    if (verdict.kind === "ok") delivered.push(row.message_id);
    else if (verdict.kind === "dead") dead.push({ id: row.message_id, reason: verdict.reason });
    else
      retries.push({
        id: row.message_id,
        afterMs: verdict.afterMs ?? backoffMs(row.attempts),
        reason: verdict.reason,
      });
  }
  await asPlatform(db, async (tx) => {
    if (delivered.length > 0) {
      await tx.execute(
        sql`DELETE FROM analytics_outbox WHERE message_id IN (SELECT jsonb_array_elements_text(${JSON.stringify(delivered)}::jsonb))`,
      );
    }
    if (retries.length > 0) {
      // Due again after the wait; too old to resend safely → a dead letter.
      const settled = await tx.execute(sql`
        UPDATE analytics_outbox o
        SET leased_until = NULL, last_error = r.reason,
            next_attempt_at = now() + make_interval(secs => r.after_ms / 1000.0),
            dead_at = CASE WHEN o.enqueued_at < now() - make_interval(hours => ${MAX_AGE_HOURS}) THEN now() END
        FROM jsonb_to_recordset(${JSON.stringify(retries.map((r) => ({ id: r.id, after_ms: r.afterMs, reason: r.reason })))}::jsonb)
          AS r(id text, after_ms double precision, reason text)
        WHERE o.message_id = r.id
        RETURNING o.dead_at`);
      for (const row of settled.rows as { dead_at: unknown }[]) {
        if (row.dead_at) report.deadLettered++;
        else report.retried++;
      }
    }
    if (dead.length > 0) {
      await tx.execute(sql`
        UPDATE analytics_outbox o SET leased_until = NULL, dead_at = now(), last_error = d.reason
        FROM jsonb_to_recordset(${JSON.stringify(dead)}::jsonb) AS d(id text, reason text)
        WHERE o.message_id = d.id`);
      report.deadLettered += dead.length;
    }
  });
  report.delivered = delivered.length;
  return report;
}

/** Dead letters back in the queue (after the cause is fixed): all, or those of one event. */
export function requeueDeadAnalytics(db: Database, event?: string): Promise<number> {
  return asPlatform(db, async (tx) => {
    const result = await tx.execute(sql`
      UPDATE analytics_outbox
      SET dead_at = NULL, attempts = 0, next_attempt_at = now(), enqueued_at = now(), last_error = NULL
      WHERE dead_at IS NOT NULL AND (${event ?? null}::text IS NULL OR event = ${event ?? null})
      RETURNING message_id`);
    return result.rows.length;
  });
}

/** The dead letters by event and reason, and the queue's backlog, for the operator (`prep analytics status`). */
export function analyticsOutboxStatus(db: Database): Promise<{
  pending: number;
  oldestPending: string | null;
  dead: { event: string; lastError: string | null; count: number; oldest: string }[];
}> {
  return asPlatform(db, async (tx) => {
    const pending = (
      await tx.execute(
        sql`SELECT count(*)::int AS n, min(enqueued_at) AS oldest FROM analytics_outbox WHERE dead_at IS NULL`,
      )
    ).rows[0] as { n: number; oldest: string | Date | null };
    const dead = (
      await tx.execute(sql`
        SELECT event, last_error, count(*)::int AS n, min(dead_at) AS oldest FROM analytics_outbox
        WHERE dead_at IS NOT NULL GROUP BY event, last_error ORDER BY n DESC LIMIT 50`)
    ).rows as { event: string; last_error: string | null; n: number; oldest: string | Date }[];
    return {
      pending: pending.n,
      oldestPending: pending.oldest ? new Date(pending.oldest).toISOString() : null,
      dead: dead.map((d) => ({
        event: d.event,
        lastError: d.last_error,
        count: d.n,
        oldest: new Date(d.oldest).toISOString(),
      })),
    };
  });
}
