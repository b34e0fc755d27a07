/**
 * The tenant's notification pipeline, object side (ADR 0015, docs/notifications.md): webhook
 * endpoints and users' preferences, the events raised, and the durable delivery queue with
 * its log.
 *
 * An event is stored once per (type, key) and, in the same SQLite transaction, fanned out to
 * one delivery per (event, channel, target) — the UNIQUE constraint is what makes "never
 * twice for one event and channel" hold whatever retries or replays of the raising happen.
 * The alarm's `deliver_notifications` job sends what is due: a success marks the delivery
 * delivered; a failure moves it along its channel's retry schedule (schedule.ts); a spent
 * schedule fails it, and a webhook endpoint that failed throughout is disabled and its owners
 * are emailed. A provider outage therefore only delays: every delivery stays queued until it
 * is delivered or its schedule is spent.
 *
 * The one window left: the process dies after a provider accepted a send and before the
 * object recorded it. Then the send is repeated with the same identity (webhook-id, email
 * Message-ID: the delivery id), which receivers use to drop the duplicate.
 */
import { newId } from "../db/ids";
import {
  ADMINS_TARGET,
  DEFAULT_PREFERENCES,
  type Delivery,
  type DeliveryAttempt,
  type DeliveryPage,
  type DeliveryStatus,
  type EmitOutcome,
  type NotificationPreferences,
  OWNERS_TARGET,
  type WebhookEndpoint,
} from "../notifications/contract";
import {
  ANNOUNCEMENT_EVENT_TYPES,
  ENDPOINT_DISABLED_EVENT_TYPE,
  type EventType,
  type NotificationEvent,
  URGENT_EVENT_TYPES,
} from "../notifications/events";
import { type Channel, nextAttemptAt } from "../notifications/schedule";
import { quietHoursEnd } from "../notifications/sms";
import { type EndpointSecret, newWebhookSecret, signingSecrets } from "../notifications/webhooks";

/** Deliveries sent per alarm run (the rest are due at once after it). */
export const DELIVERIES_PER_RUN = 50;
/** How long delivered and failed deliveries, their attempts and their events are kept. */
export const DELIVERY_RETENTION_MS = 30 * 86_400_000;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

type EndpointRow = {
  id: string;
  url: string;
  events: string;
  description: string | null;
  secrets: string;
  enabled: number;
  disabled_reason: string | null;
  failing_since_ms: number | null;
  created_ms: number;
};

type DeliveryRow = {
  id: string;
  event_id: string;
  channel: Channel;
  target: string;
  status: DeliveryStatus;
  digest: number;
  attempts: number;
  due_ms: number | null;
  last_status: number | null;
  last_error: string | null;
  created_ms: number;
  delivered_ms: number | null;
  provider_id?: string | null;
  provider_status?: string | null;
  type?: string;
};

function endpointOf(row: EndpointRow, nowMs: number): WebhookEndpoint {
  const secrets = JSON.parse(row.secrets) as EndpointSecret[];
  const previous = secrets
    .filter((s) => s.expiresMs !== null && s.expiresMs > nowMs)
    .map((s) => s.expiresMs as number);
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as EventType[],
    description: row.description,
    enabled: row.enabled === 1,
    disabledReason: row.disabled_reason,
    createdAt: iso(row.created_ms) as string,
    failingSince: iso(row.failing_since_ms),
    previousSecretExpiresAt: previous.length > 0 ? iso(Math.max(...previous)) : null,
  };
}

function deliveryOf(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    eventId: row.event_id,
    eventType: row.type ?? "",
    channel: row.channel,
    target: row.target,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.status === "pending" ? iso(row.due_ms) : null,
    lastResponseStatus: row.last_status,
    lastError: row.last_error,
    createdAt: iso(row.created_ms) as string,
    deliveredAt: iso(row.delivered_ms),
    ...(row.channel === "sms"
      ? { providerMessageId: row.provider_id ?? null, providerStatus: row.provider_status ?? null }
      : {}),
  };
}

/** The first whole hour at or after `fromMs` whose local hour in `timeZone` is `hour`. */
export function nextDigestAt(hour: number, timeZone: string, fromMs: number): number {
  const format = new Intl.DateTimeFormat("en-US", { hour: "numeric", hourCycle: "h23", timeZone });
  const start = Math.ceil(fromMs / 3_600_000) * 3_600_000;
  for (let i = 0; i < 48; i++) {
    const at = start + i * 3_600_000;
    if (Number(format.format(at)) === hour) return at;
  }
  return start; // A zone whose clock skips that hour for two days: send at once rather than never.
}

/** A due delivery with what sending it needs. */
export interface DueDelivery {
  id: string;
  channel: Channel;
  target: string;
  attempts: number;
  digest: boolean;
  event: NotificationEvent;
}

export type SendResult =
  /** `providerId`: the provider's message id (Twilio's SID), matched by its status callbacks. */
  | { outcome: "delivered"; responseStatus?: number; providerId?: string }
  /**
   * Try again later (schedule.ts), or fail for good once the schedule is spent — or at once
   * when `permanent` (the provider said the same request can never succeed).
   */
  | { outcome: "failed"; responseStatus?: number; error: string; permanent?: boolean }
  /** Nobody to send to any more (user removed, no access to the location): never retried. */
  | { outcome: "skipped"; error: string };

/** Pruning scans the finished deliveries: at most this often. */
const PRUNE_INTERVAL_MS = 3_600_000;

export class NotificationStore {
  private prunedAtMs = Number.NEGATIVE_INFINITY;

  /**
   * `zoneOf`: a location's IANA time zone (null when unknown). Digests and SMS quiet hours
   * follow the zone of the location an event is about; the user's own zone otherwise.
   */
  constructor(
    private readonly sql: SqlStorage,
    private readonly zoneOf: (facilityId: string) => string | null,
  ) {}

  /** The zone an event's timing follows for a user: its location's, else the user's own. */
  private zoneFor(event: Pick<NotificationEvent, "facilityId">, prefs: NotificationPreferences): string {
    return (event.facilityId ? this.zoneOf(event.facilityId) : null) ?? prefs.timeZone;
  }

  // ---- Webhook endpoints ----

  createEndpoint(
    input: { url: string; events: EventType[]; description: string | null },
    nowMs: number,
    /** A partner's endpoint mirrored here signs with the partner's one secret (ADR 0023). */
    givenSecret?: string,
  ): { endpoint: WebhookEndpoint; secret: string } {
    const id = newId("whk", nowMs);
    const secret = givenSecret ?? newWebhookSecret();
    const secrets: EndpointSecret[] = [{ secret, expiresMs: null }];
    this.sql.exec(
      "INSERT INTO webhook_endpoints (id, url, events, description, secrets, created_ms) VALUES (?, ?, ?, ?, ?, ?)",
      id,
      input.url,
      JSON.stringify(input.events),
      input.description,
      JSON.stringify(secrets),
      nowMs,
    );
    return { endpoint: this.endpoint(id, nowMs) as WebhookEndpoint, secret };
  }

  private endpointRow(id: string): EndpointRow | undefined {
    return this.sql.exec<EndpointRow>("SELECT * FROM webhook_endpoints WHERE id = ?", id).toArray()[0];
  }

  endpoint(id: string, nowMs: number): WebhookEndpoint | null {
    const row = this.endpointRow(id);
    return row ? endpointOf(row, nowMs) : null;
  }

  endpoints(nowMs: number): WebhookEndpoint[] {
    return this.sql
      .exec<EndpointRow>("SELECT * FROM webhook_endpoints ORDER BY id")
      .toArray()
      .map((row) => endpointOf(row, nowMs));
  }

  updateEndpoint(
    id: string,
    patch: { url?: string; events?: EventType[]; description?: string | null; enabled?: boolean },
    nowMs: number,
  ): WebhookEndpoint | null {
    const row = this.endpointRow(id);
    if (!row) return null;
    const enabled = patch.enabled ?? row.enabled === 1;
    this.sql.exec(
      `UPDATE webhook_endpoints SET url = ?, events = ?, description = ?, enabled = ?,
         disabled_reason = ?, failing_since_ms = ? WHERE id = ?`,
      patch.url ?? row.url,
      patch.events ? JSON.stringify(patch.events) : row.events,
      patch.description === undefined ? row.description : patch.description,
      enabled ? 1 : 0,
      enabled ? null : patch.enabled === false ? "disabled by request" : row.disabled_reason,
      // Re-enabling starts the failure clock afresh.
      patch.enabled === true ? null : row.failing_since_ms,
      id,
    );
    if (!enabled) this.cancelPending(id);
    return this.endpoint(id, nowMs);
  }

  deleteEndpoint(id: string): boolean {
    const deleted = this.sql.exec("DELETE FROM webhook_endpoints WHERE id = ?", id).rowsWritten > 0;
    if (deleted) this.cancelPending(id);
    return deleted;
  }

  private cancelPending(endpointId: string): void {
    this.sql.exec(
      "UPDATE deliveries SET status = 'canceled', due_ms = NULL WHERE channel = 'webhook' AND target = ? AND status = 'pending'",
      endpointId,
    );
  }

  /**
   * A new current secret; the old one keeps signing (every delivery carries both signatures)
   * until `overlapMs` from now, so receivers can switch without missing a message. No older
   * secret outlives the new overlap either: rotating with 0 after a leak leaves only the new one.
   */
  rotateSecret(
    id: string,
    overlapMs: number,
    nowMs: number,
  ): { secret: string; previousSecretExpiresAt: string } | null {
    const row = this.endpointRow(id);
    if (!row) return null;
    const expiresMs = nowMs + overlapMs;
    const kept = (JSON.parse(row.secrets) as EndpointSecret[])
      .filter((s) => s.expiresMs === null || s.expiresMs > nowMs)
      .map((s) => ({ ...s, expiresMs: s.expiresMs === null ? expiresMs : Math.min(s.expiresMs, expiresMs) }))
      .filter((s) => (s.expiresMs as number) > nowMs);
    const secret = newWebhookSecret();
    this.sql.exec(
      "UPDATE webhook_endpoints SET secrets = ? WHERE id = ?",
      JSON.stringify([{ secret, expiresMs: null }, ...kept]),
      id,
    );
    return { secret, previousSecretExpiresAt: iso(expiresMs) as string };
  }

  /** The endpoint's URL and signing secrets at `nowMs`, or null when it is gone or disabled. */
  target(id: string, nowMs: number): { url: string; secrets: string[] } | null {
    const row = this.endpointRow(id);
    if (row?.enabled !== 1) return null;
    return { url: row.url, secrets: signingSecrets(JSON.parse(row.secrets) as EndpointSecret[], nowMs) };
  }

  // ---- Where links point ----

  /**
   * The web app's origin as the Worker last saw it (a request's, or APP_ORIGIN): email sent
   * from the alarm has no request to take it from, and APP_ORIGIN may be unset.
   */
  rememberAppOrigin(origin: string): void {
    this.sql.exec(
      `INSERT INTO meta (key, value) VALUES ('app_origin', ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      origin,
    );
  }

  appOrigin(): string | null {
    return (
      this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'app_origin'").toArray()[0]
        ?.value ?? null
    );
  }

  // ---- Preferences ----

  /** Stored preferences, with defaults for fields added since they were saved (SMS's quiet hours). */
  preferences(userId: string): NotificationPreferences | null {
    const row = this.sql
      .exec<{ prefs: string }>("SELECT prefs FROM notification_prefs WHERE user_id = ?", userId)
      .toArray()[0];
    return row ? { ...DEFAULT_PREFERENCES, ...(JSON.parse(row.prefs) as NotificationPreferences) } : null;
  }

  setPreferences(userId: string, prefs: NotificationPreferences, nowMs: number): void {
    this.sql.exec(
      `INSERT INTO notification_prefs (user_id, prefs, updated_ms) VALUES (?, ?, ?)
       ON CONFLICT (user_id) DO UPDATE SET prefs = excluded.prefs, updated_ms = excluded.updated_ms`,
      userId,
      JSON.stringify(prefs),
      nowMs,
    );
  }

  /**
   * One-click unsubscribe: no more email to the user, and none of what is queued for them. A
   * user with no saved preferences gets the defaults without email saved, which also takes them
   * out of the announcements to owners and admins (`ADMINS_TARGET`).
   */
  unsubscribeEmail(userId: string, nowMs: number): void {
    const prefs = this.preferences(userId) ?? DEFAULT_PREFERENCES;
    this.setPreferences(userId, { ...prefs, channels: prefs.channels.filter((c) => c !== "email") }, nowMs);
    this.sql.exec(
      "UPDATE deliveries SET status = 'canceled', due_ms = NULL WHERE channel = 'email' AND target = ? AND status = 'pending'",
      userId,
    );
  }

  /** Whether the user saved preferences (then they, not the announcement defaults, decide). */
  hasPreferences(userId: string): boolean {
    return this.sql.exec("SELECT 1 FROM notification_prefs WHERE user_id = ?", userId).toArray().length > 0;
  }

  // ---- Events and fan-out ----

  /**
   * Stores `event` once per (type, key) and queues its deliveries: every enabled endpoint
   * subscribed to the type (or only `onlyEndpoint`), every user whose preferences take it.
   * Synchronous: call it inside the transaction that produced the event.
   */
  raise(
    event: NotificationEvent,
    key: string,
    nowMs: number,
    options: {
      onlyEndpoint?: string;
      ownersEmail?: boolean;
      /** Only these users (still by their preferences); webhooks as usual. Renewal reminders' escalation. */
      users?: readonly string[];
    } = {},
  ): EmitOutcome {
    const existing = this.sql
      .exec<{ id: string }>("SELECT id FROM notification_events WHERE type = ? AND key = ?", event.type, key)
      .toArray()[0];
    if (existing) return { eventId: existing.id, deliveries: 0, duplicate: true };
    this.sql.exec(
      "INSERT INTO notification_events (id, type, key, event, created_ms) VALUES (?, ?, ?, ?, ?)",
      event.id,
      event.type,
      key,
      JSON.stringify(event),
      nowMs,
    );
    let queued = 0;
    const queue = (channel: Channel, target: string, dueMs: number, digest = false) => {
      // RETURNING counts rows (rowsWritten would count index writes too).
      queued += this.sql
        .exec(
          `INSERT INTO deliveries (id, event_id, channel, target, status, digest, due_ms, created_ms)
         VALUES (?, ?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (event_id, channel, target) DO NOTHING
         RETURNING id`,
          newId("dlv", nowMs),
          event.id,
          channel,
          target,
          digest ? 1 : 0,
          dueMs,
          nowMs,
        )
        .toArray().length;
    };
    if (options.onlyEndpoint) {
      queue("webhook", options.onlyEndpoint, nowMs);
      return { eventId: event.id, deliveries: queued, duplicate: false };
    }
    if (options.ownersEmail) {
      queue("email", OWNERS_TARGET, nowMs);
      return { eventId: event.id, deliveries: queued, duplicate: false };
    }
    for (const row of this.sql
      .exec<{ id: string; events: string }>("SELECT id, events FROM webhook_endpoints WHERE enabled = 1")
      .toArray()) {
      if ((JSON.parse(row.events) as string[]).includes(event.type)) queue("webhook", row.id, nowMs);
    }
    const urgent = (URGENT_EVENT_TYPES as readonly string[]).includes(event.type);
    for (const row of this.sql
      .exec<{ user_id: string; prefs: string; phone: string | null }>(
        `SELECT p.user_id, p.prefs, s.phone FROM notification_prefs p
         LEFT JOIN sms_phones s ON s.user_id = p.user_id`,
      )
      .toArray()) {
      if (options.users && !options.users.includes(row.user_id)) continue;
      const prefs = JSON.parse(row.prefs) as NotificationPreferences;
      if (!(prefs.events as string[]).includes(event.type)) continue;
      if (event.facilityId && prefs.facilityIds && !prefs.facilityIds.includes(event.facilityId)) continue;
      // SMS: one text per event, as it happens (digests are email's); quiet hours are applied
      // when it is due (holdSms), so retries respect them too. Only to a verified number.
      if (prefs.channels.includes("sms") && row.phone) queue("sms", row.user_id, nowMs);
      if (!prefs.channels.includes("email")) continue;
      const digest = prefs.delivery === "digest" && !(urgent && prefs.urgentImmediately);
      queue(
        "email",
        row.user_id,
        digest ? nextDigestAt(prefs.digestHour, this.zoneFor(event, prefs), nowMs) : nowMs,
        digest,
      );
    }
    if ((ANNOUNCEMENT_EVENT_TYPES as readonly string[]).includes(event.type))
      queue("email", ADMINS_TARGET, nowMs);
    return { eventId: event.id, deliveries: queued, duplicate: false };
  }

  /** Whether any user's preferences or any enabled endpoint take `type` (else raising it reaches nobody). */
  subscribed(type: EventType): boolean {
    const pattern = `%${JSON.stringify(type)}%`;
    return (
      this.sql
        .exec<{ n: number }>(
          `SELECT (SELECT count(*) FROM notification_prefs WHERE prefs LIKE ?)
             + (SELECT count(*) FROM webhook_endpoints WHERE enabled = 1 AND events LIKE ?) AS n`,
          pattern,
          pattern,
        )
        .one().n > 0
    );
  }

  /** Cancels the pending deliveries of `type` events whose key starts with `keyPrefix`. */
  cancelPendingEvents(type: EventType, keyPrefix: string): void {
    this.sql.exec(
      `UPDATE deliveries SET status = 'canceled', due_ms = NULL WHERE status = 'pending' AND event_id IN (
         SELECT id FROM notification_events WHERE type = ? AND substr(key, 1, ?) = ?)`,
      type,
      keyPrefix.length,
      keyPrefix,
    );
  }

  // ---- The queue ----

  /** When the next pending delivery is due, or null. */
  nextDue(): number | null {
    return this.sql
      .exec<{ due: number | null }>("SELECT min(due_ms) AS due FROM deliveries WHERE status = 'pending'")
      .one().due;
  }

  /** Pending deliveries due by `atMs`, oldest due first. */
  due(atMs: number, limit = DELIVERIES_PER_RUN): DueDelivery[] {
    return this.sql
      .exec<DeliveryRow & { event: string }>(
        `SELECT d.*, e.event FROM deliveries d JOIN notification_events e ON e.id = d.event_id
         WHERE d.status = 'pending' AND d.due_ms <= ? ORDER BY d.due_ms, d.id LIMIT ?`,
        atMs,
        limit,
      )
      .toArray()
      .map((row) => ({
        id: row.id,
        channel: row.channel,
        target: row.target,
        attempts: row.attempts,
        digest: row.digest === 1,
        event: JSON.parse(row.event) as NotificationEvent,
      }));
  }

  /** The other digest deliveries of `target` due by `atMs` (sent in one email with the first). */
  digestCompanions(target: string, atMs: number, exceptId: string): DueDelivery[] {
    return this.sql
      .exec<DeliveryRow & { event: string }>(
        `SELECT d.*, e.event FROM deliveries d JOIN notification_events e ON e.id = d.event_id
         WHERE d.status = 'pending' AND d.channel = 'email' AND d.target = ? AND d.digest = 1
           AND d.due_ms <= ? AND d.id <> ? ORDER BY d.id LIMIT 100`,
        target,
        atMs,
        exceptId,
      )
      .toArray()
      .map((row) => ({
        id: row.id,
        channel: row.channel,
        target: row.target,
        attempts: row.attempts,
        digest: true,
        event: JSON.parse(row.event) as NotificationEvent,
      }));
  }

  /**
   * Records one attempt's outcome. A webhook failure whose schedule is spent disables the
   * endpoint if it has failed throughout, and returns the disabled endpoint's id (the caller
   * tells the owners).
   */
  settle(
    delivery: DueDelivery,
    result: SendResult,
    atMs: number,
    durationMs: number,
  ): { disabled: string | null } {
    const attempt = delivery.attempts + 1;
    const responseStatus = "responseStatus" in result ? (result.responseStatus ?? null) : null;
    const error = result.outcome === "delivered" ? null : result.error.slice(0, 500);
    this.sql.exec(
      `INSERT INTO delivery_attempts (delivery_id, attempt, at_ms, ok, response_status, error, duration_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
      delivery.id,
      attempt,
      atMs,
      result.outcome === "delivered" ? 1 : 0,
      responseStatus,
      error,
      durationMs,
    );
    const providerId = result.outcome === "delivered" ? (result.providerId ?? null) : null;
    const update = (status: DeliveryStatus, dueMs: number | null) =>
      this.sql.exec(
        `UPDATE deliveries SET status = ?, attempts = ?, due_ms = ?, last_status = ?, last_error = ?,
           delivered_ms = ?, provider_id = coalesce(?, provider_id) WHERE id = ? AND status = 'pending'`,
        status,
        attempt,
        dueMs,
        responseStatus,
        error,
        status === "delivered" ? atMs : null,
        providerId,
        delivery.id,
      );
    if (result.outcome === "delivered") {
      update("delivered", null);
      if (delivery.channel === "webhook")
        this.sql.exec("UPDATE webhook_endpoints SET failing_since_ms = NULL WHERE id = ?", delivery.target);
      return { disabled: null };
    }
    if (result.outcome === "skipped") {
      update("skipped", null);
      return { disabled: null };
    }
    const next = result.permanent ? null : nextAttemptAt(delivery.channel, attempt, atMs);
    update(next === null ? "failed" : "pending", next);
    if (delivery.channel !== "webhook") return { disabled: null };
    this.sql.exec(
      "UPDATE webhook_endpoints SET failing_since_ms = coalesce(failing_since_ms, ?) WHERE id = ?",
      atMs,
      delivery.target,
    );
    if (next !== null) return { disabled: null };
    const row = this.endpointRow(delivery.target);
    // Failed throughout its schedule (no success since its first failure): stop sending to it.
    if (row?.enabled !== 1 || row.failing_since_ms === null) return { disabled: null };
    this.sql.exec(
      "UPDATE webhook_endpoints SET enabled = 0, disabled_reason = ? WHERE id = ?",
      `every delivery failed since ${iso(row.failing_since_ms)}; last: ${error}`.slice(0, 500),
      row.id,
    );
    this.cancelPending(row.id);
    return { disabled: row.id };
  }

  /** Queues the owners' email saying `endpointId` was disabled. */
  raiseEndpointDisabled(endpointId: string, atMs: number): void {
    const row = this.endpointRow(endpointId);
    if (!row) return;
    this.raise(
      {
        id: newId("evt", atMs),
        type: ENDPOINT_DISABLED_EVENT_TYPE,
        timestamp: iso(atMs) as string,
        facilityId: null,
        facilityName: null,
        summary: `Webhook endpoint ${row.url} was disabled after failing for three days`,
        data: { endpointId: row.id, url: row.url, reason: row.disabled_reason },
      },
      `${endpointId}:${atMs}`,
      atMs,
      { ownersEmail: true },
    );
  }

  // ---- SMS (ADR 0021) ----

  /**
   * When an SMS due at `atMs` may go: null = now; else the end of the recipient's quiet hours
   * in the location's time zone (else the user's own), unless the event is urgent and the
   * user lets urgent events through.
   */
  smsHoldUntil(delivery: DueDelivery, atMs: number): number | null {
    const prefs = this.preferences(delivery.target);
    if (!prefs?.quietHours) return null;
    const urgent = (URGENT_EVENT_TYPES as readonly string[]).includes(delivery.event.type);
    if (urgent && prefs.urgentBreaksQuietHours) return null;
    return quietHoursEnd(prefs.quietHours, this.zoneFor(delivery.event, prefs), atMs);
  }

  /** Moves a pending delivery to `dueMs` without counting an attempt (quiet hours). */
  postpone(id: string, dueMs: number): void {
    this.sql.exec("UPDATE deliveries SET due_ms = ? WHERE id = ? AND status = 'pending'", dueMs, id);
  }

  /** No more SMS to the user: what is queued for them is canceled (number removed, SMS turned off). */
  cancelSms(userId: string): void {
    this.sql.exec(
      "UPDATE deliveries SET status = 'canceled', due_ms = NULL WHERE channel = 'sms' AND target = ? AND status = 'pending'",
      userId,
    );
  }

  /**
   * Records Twilio's status callback on the delivery that sent `messageSid`. `failed` and
   * `undelivered` (the carrier gave up) mark the delivery failed with Twilio's error code;
   * false when no SMS delivery `deliveryId` sent that message.
   */
  recordSmsStatus(deliveryId: string, messageSid: string, status: string, errorCode: string | null): boolean {
    const failed = status === "failed" || status === "undelivered";
    return (
      this.sql.exec(
        `UPDATE deliveries SET provider_status = ?,
           status = CASE WHEN ? THEN 'failed' ELSE status END,
           last_error = CASE WHEN ? THEN ? ELSE last_error END
         WHERE id = ? AND channel = 'sms' AND provider_id = ?`,
        status.slice(0, 40),
        failed ? 1 : 0,
        failed ? 1 : 0,
        `Twilio reported ${status.slice(0, 40)}${errorCode ? ` (error ${errorCode.slice(0, 10)})` : ""}`,
        deliveryId,
        messageSid,
      ).rowsWritten > 0
    );
  }

  // ---- The log ----

  /** Deliveries to one target (newest first), `limit` after `cursor` (a delivery id). */
  deliveries(channel: Channel, target: string, limit: number, cursor?: string): DeliveryPage {
    const rows = this.sql
      .exec<DeliveryRow>(
        `SELECT d.*, e.type FROM deliveries d JOIN notification_events e ON e.id = d.event_id
         WHERE d.channel = ? AND d.target = ? AND d.id < ? ORDER BY d.id DESC LIMIT ?`,
        channel,
        target,
        cursor ?? "\uffff",
        limit + 1,
      )
      .toArray();
    const data = rows.slice(0, limit).map(deliveryOf);
    return { data, nextCursor: rows.length > limit ? (data.at(-1)?.id ?? null) : null };
  }

  /** One delivery with its attempts, if it went to `target` on `channel`. */
  delivery(channel: Channel, target: string, id: string): Delivery | null {
    const row = this.sql
      .exec<DeliveryRow>(
        `SELECT d.*, e.type FROM deliveries d JOIN notification_events e ON e.id = d.event_id
         WHERE d.id = ? AND d.channel = ? AND d.target = ?`,
        id,
        channel,
        target,
      )
      .toArray()[0];
    if (!row) return null;
    const attemptLog = this.sql
      .exec<{
        attempt: number;
        at_ms: number;
        ok: number;
        response_status: number | null;
        error: string | null;
        duration_ms: number;
      }>("SELECT * FROM delivery_attempts WHERE delivery_id = ? ORDER BY attempt", id)
      .toArray()
      .map(
        (a): DeliveryAttempt => ({
          attempt: a.attempt,
          at: iso(a.at_ms) as string,
          ok: a.ok === 1,
          responseStatus: a.response_status,
          error: a.error,
          durationMs: a.duration_ms,
        }),
      );
    return { ...deliveryOf(row), attemptLog };
  }

  /**
   * Sends a delivery again now (replay from the log): same delivery, same `webhook-id`, so a
   * receiver that already processed it can tell. Null when there is no such delivery.
   */
  replay(channel: Channel, target: string, id: string, nowMs: number): Delivery | null {
    const changed = this.sql.exec(
      "UPDATE deliveries SET status = 'pending', due_ms = ?, delivered_ms = NULL WHERE id = ? AND channel = ? AND target = ?",
      nowMs,
      id,
      channel,
      target,
    ).rowsWritten;
    return changed > 0 ? this.delivery(channel, target, id) : null;
  }

  /** Forgets finished deliveries, their attempts and events older than DELIVERY_RETENTION_MS (at most hourly). */
  prune(nowMs: number): void {
    if (nowMs - this.prunedAtMs < PRUNE_INTERVAL_MS) return;
    this.prunedAtMs = nowMs;
    const before = nowMs - DELIVERY_RETENTION_MS;
    this.sql.exec(
      `DELETE FROM delivery_attempts WHERE delivery_id IN (
         SELECT id FROM deliveries WHERE status <> 'pending' AND created_ms < ?)`,
      before,
    );
    this.sql.exec("DELETE FROM deliveries WHERE status <> 'pending' AND created_ms < ?", before);
    this.sql.exec(
      `DELETE FROM notification_events WHERE created_ms < ?
         AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.event_id = notification_events.id)`,
      before,
    );
  }
}
