/**
 * Sends the notification queue's due deliveries (notifications.ts) through each channel's
 * sender and records every outcome. The senders are the production ones — a signed
 * Standard Webhooks POST with `fetch`, email through the one mail delivery (runtime/mail/) —
 * and a test may wrap them on the object (`notificationSenders`) to fail on purpose.
 */
import { asPlatform, type Database, type Tx, withTenant } from "../db/client";
import { isOptedOut, recordOptOut } from "../db/sms-opt-outs";
import { listUsers, loadUserAccess } from "../db/users";
import { ADMINS_TARGET, OWNERS_TARGET } from "../notifications/contract";
import { digestMail, notificationMail } from "../notifications/email";
import type { NotificationEvent } from "../notifications/events";
import { smsBody } from "../notifications/sms";
import { sendSms, TWILIO_UNSUBSCRIBED, type TwilioConfig } from "../notifications/twilio";
import { unsubscribeToken } from "../notifications/unsubscribe";
import { checkWebhookUrl, type Resolver } from "../notifications/url-safety";
import { signedHeaders, webhookBody } from "../notifications/webhooks";
import { type MailConfig, mailDelivery } from "../runtime/mail/delivery";
import type { DueDelivery, NotificationStore, SendResult } from "./notifications";

/** A receiver gets this long to answer before the attempt counts as failed. */
export const WEBHOOK_TIMEOUT_MS = 15_000;

export interface NotificationSenders {
  webhook(request: { url: string; headers: Record<string, string>; body: string }): Promise<SendResult>;
  /** One email to `target` (a user id, `owners` or `admins`) about `events` (several: a digest). */
  email(input: { target: string; deliveryId: string; events: NotificationEvent[] }): Promise<SendResult>;
  /** One text to user `target` at their verified `phone` about `event`. */
  sms(input: {
    target: string;
    deliveryId: string;
    phone: string;
    event: NotificationEvent;
  }): Promise<SendResult>;
}

/** POSTs a signed delivery; any 2xx is a success. The URL is re-checked first (DNS rebinding). */
export function webhookSender(prepEnv: string, resolve?: Resolver): NotificationSenders["webhook"] {
  return async ({ url, headers, body }) => {
    const safe = await checkWebhookUrl(url, prepEnv, resolve);
    if (!safe.ok) return { outcome: "failed", error: `refused: the URL ${safe.reason}` };
    try {
      const response = await fetch(safe.url, {
        method: "POST",
        headers,
        body,
        // A redirect could lead anywhere (an internal address): it is an answer, not a hop.
        redirect: "manual",
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      });
      // Read (and drop) the body so the connection is released.
      await response.body?.cancel();
      return response.status >= 200 && response.status < 300
        ? { outcome: "delivered", responseStatus: response.status }
        : { outcome: "failed", responseStatus: response.status, error: `answered ${response.status}` };
    } catch (error) {
      return { outcome: "failed", error: error instanceof Error ? error.message : String(error) };
    }
  };
}

export interface EmailSenderConfig extends MailConfig {
  tenantId: string;
  /** Where links point (the web app, which also serves /v1/notifications/unsubscribe). */
  appOrigin: string;
  /** Signs one-click unsubscribe tokens. */
  unsubscribeSecret: string;
  /** Opens Postgres for this send (who the user is now, their access); closed by the caller. */
  db: () => Database;
  /** Whether a user saved notification preferences (then announcements follow those instead). */
  hasPreferences: (userId: string) => boolean;
}

interface Recipient {
  id: string;
  email: string;
  facilityIds: string[] | null;
}

/** Who `target` is now, read from Postgres at send time. */
async function recipientsOf(tx: Tx, target: string, config: EmailSenderConfig): Promise<Recipient[]> {
  if (target === OWNERS_TARGET || target === ADMINS_TARGET) {
    const members = (await listUsers(tx)).filter((u) =>
      target === OWNERS_TARGET
        ? u.role === "owner"
        : (u.role === "owner" || u.role === "admin") && !config.hasPreferences(u.id),
    );
    return members.map((u) => ({ id: u.id, email: u.email, facilityIds: null }));
  }
  const user = await loadUserAccess(tx, target);
  return user ? [{ id: user.id, email: user.email, facilityIds: user.facilityIds }] : [];
}

/**
 * Email to a user (their address and access read from Postgres at send time, so a removed
 * user or a manager who lost a location gets nothing: `skipped`), to the tenant's owners
 * (operational), or to the owners and admins without preferences of their own (announcements).
 */
export function emailSender(config: EmailSenderConfig): NotificationSenders["email"] {
  const mail = mailDelivery(config);
  return async ({ target, deliveryId, events }) => {
    let recipients: Recipient[];
    try {
      recipients = await withTenant(config.db(), config.tenantId, (tx) => recipientsOf(tx, target, config));
    } catch (error) {
      return { outcome: "failed", error: `could not read the recipient: ${String(error)}` };
    }
    if (recipients.length === 0) return { outcome: "skipped", error: "no such recipient any more" };
    let sent = 0;
    for (const recipient of recipients) {
      const visible = events.filter(
        (e) => !e.facilityId || !recipient.facilityIds || recipient.facilityIds.includes(e.facilityId),
      );
      if (visible.length === 0) continue;
      const unsubscribeUrl =
        target === OWNERS_TARGET
          ? null
          : `${config.appOrigin.replace(/\/$/, "")}/v1/notifications/unsubscribe?token=${await unsubscribeToken(
              config.unsubscribeSecret,
              { tenantId: config.tenantId, userId: recipient.id },
            )}`;
      const context = {
        to: recipient.email,
        appOrigin: config.appOrigin,
        unsubscribeUrl,
        messageId: deliveryId,
      };
      try {
        await mail.send(
          visible.length === 1
            ? notificationMail(visible[0] as NotificationEvent, context)
            : digestMail(visible, context),
        );
        sent++;
      } catch (error) {
        return { outcome: "failed", error: error instanceof Error ? error.message : String(error) };
      }
    }
    return sent > 0
      ? { outcome: "delivered" }
      : { outcome: "skipped", error: "the recipient may no longer see these locations" };
  };
}

export interface SmsSenderConfig {
  /** Null when TWILIO_* are not set: SMS waits (retried) until they are. */
  twilio: TwilioConfig | null;
  tenantId: string;
  appOrigin: string;
  db: () => Database;
}

/**
 * A text through Twilio (notifications/twilio.ts). At send time: the user must still exist
 * and see the location (else `skipped`), and the number must not have replied STOP
 * (db/sms-opt-outs.ts; `skipped`). Twilio's answer decides the rest: accepted → delivered
 * with its message SID (its status callbacks land on this delivery); a permanent error fails
 * it at once (21610 also records the opt-out); anything else is retried on the schedule.
 */
export function smsSender(config: SmsSenderConfig): NotificationSenders["sms"] {
  return async ({ target, deliveryId, phone, event }) => {
    if (!config.twilio)
      return {
        outcome: "failed",
        error: "SMS is not configured (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM)",
      };
    let allowed: { exists: boolean; sees: boolean; stopped: boolean };
    try {
      const user = await withTenant(config.db(), config.tenantId, (tx) => loadUserAccess(tx, target));
      const stopped = await asPlatform(config.db(), (tx) => isOptedOut(tx, phone));
      allowed = {
        exists: user !== null,
        sees: !event.facilityId || !user?.facilityIds || user.facilityIds.includes(event.facilityId),
        stopped,
      };
    } catch (error) {
      return { outcome: "failed", error: `could not read the recipient: ${String(error)}` };
    }
    if (!allowed.exists) return { outcome: "skipped", error: "no such recipient any more" };
    if (!allowed.sees) return { outcome: "skipped", error: "the recipient may no longer see this location" };
    if (allowed.stopped)
      return { outcome: "skipped", error: "the number replied STOP; it gets no SMS until START" };
    const statusCallback = `${config.appOrigin.replace(/\/$/, "")}/v1/notifications/sms/status?tenant=${encodeURIComponent(
      config.tenantId,
    )}&delivery=${encodeURIComponent(deliveryId)}`;
    const sent = await sendSms(config.twilio, {
      to: phone,
      body: smsBody(event, config.appOrigin),
      statusCallback,
    });
    if (sent.ok) return { outcome: "delivered", responseStatus: 201, providerId: sent.sid };
    if (sent.code === TWILIO_UNSUBSCRIBED) {
      try {
        await asPlatform(config.db(), (tx) => recordOptOut(tx, phone, true, "twilio:21610"));
      } catch {
        // Twilio refuses the number anyway; the next inbound START or STOP records it.
      }
    }
    return {
      outcome: "failed",
      error: sent.message,
      permanent: sent.permanent,
      ...(sent.httpStatus === null ? {} : { responseStatus: sent.httpStatus }),
    };
  };
}

/** What SMS delivery asks the object: the user's verified number, and quiet hours. */
export interface SmsPolicy {
  phoneOf(userId: string): string | null;
  holdUntil(delivery: DueDelivery, atMs: number): number | null;
}

/**
 * Sends the deliveries due by `at` (at most one run's worth) and records each outcome;
 * returns the endpoints it disabled. Each outcome is written right after its send, so an
 * eviction mid-run repeats at most the one send in flight.
 */
export async function deliverDue(
  store: NotificationStore,
  senders: NotificationSenders,
  at: number,
  transaction: <T>(work: () => T) => T,
  sms?: SmsPolicy,
): Promise<{ sent: number; disabled: string[] }> {
  const disabled: string[] = [];
  const done = new Set<string>();
  let sent = 0;
  for (const delivery of store.due(at)) {
    if (done.has(delivery.id)) continue;
    const started = Date.now();
    let batch: DueDelivery[] = [delivery];
    let result: SendResult;
    if (delivery.channel === "webhook") {
      const target = store.target(delivery.target, Date.now());
      if (!target) result = { outcome: "skipped", error: "the endpoint is disabled or deleted" };
      else {
        const body = webhookBody(delivery.event);
        result = await senders.webhook({
          url: target.url,
          body,
          headers: signedHeaders({
            messageId: delivery.id,
            body,
            secrets: target.secrets,
            // The attempt's own time, always the wall clock: receivers reject stale timestamps.
            sentAt: new Date(),
          }),
        });
      }
    } else if (delivery.channel === "email") {
      if (delivery.digest) batch = [delivery, ...store.digestCompanions(delivery.target, at, delivery.id)];
      result = await senders.email({
        target: delivery.target,
        deliveryId: delivery.id,
        events: batch.map((d) => d.event),
      });
    } else if (delivery.channel === "sms" && sms) {
      const hold = sms.holdUntil(delivery, at);
      if (hold !== null) {
        // Quiet hours: not an attempt; the alarm comes back when they end.
        transaction(() => store.postpone(delivery.id, hold));
        done.add(delivery.id);
        continue;
      }
      const phone = sms.phoneOf(delivery.target);
      result = phone
        ? await senders.sms({
            target: delivery.target,
            deliveryId: delivery.id,
            phone,
            event: delivery.event,
          })
        : { outcome: "skipped", error: "no verified phone number any more" };
    } else {
      result = { outcome: "skipped", error: `no sender for channel ${delivery.channel}` };
    }
    const durationMs = Date.now() - started;
    transaction(() => {
      for (const each of batch) {
        done.add(each.id);
        const { disabled: endpoint } = store.settle(each, result, at, durationMs);
        if (endpoint) {
          disabled.push(endpoint);
          store.raiseEndpointDisabled(endpoint, at);
        }
      }
    });
    sent++;
  }
  return { sent, disabled };
}
