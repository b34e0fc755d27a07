/**
 * What the Worker (and any emitter) exchanges with the tenant object about notifications:
 * webhook endpoints, deliveries, preferences, emitted events. Plain, structured-clone-able data.
 */
import type { EventType } from "./events";
import type { ReminderStep, RenewalFacts } from "./reminders";
import type { Channel } from "./schedule";
import { DEFAULT_QUIET_HOURS, type QuietHours } from "./sms";

/** Email to the tenant's owners: operational mail (an endpoint disabled), no unsubscribe. */
export const OWNERS_TARGET = "owners";
/**
 * Email to the owners and admins who have saved no notification preferences of their own:
 * announcements (`ANNOUNCEMENT_EVENT_TYPES`), with one-click unsubscribe.
 */
export const ADMINS_TARGET = "admins";

/** An endpoint as the API shows it (never its secrets after creation). */
export interface WebhookEndpoint {
  id: string;
  url: string;
  events: EventType[];
  description: string | null;
  /** False after automatic disabling (persistent failure) or by request. */
  enabled: boolean;
  disabledReason: string | null;
  createdAt: string;
  /** While every delivery since this time failed: when the first one did. */
  failingSince: string | null;
  /** A rotated-out secret still signs until then. */
  previousSecretExpiresAt: string | null;
}

export type DeliveryStatus = "pending" | "delivered" | "failed" | "canceled" | "skipped";

export interface DeliveryAttempt {
  attempt: number;
  at: string;
  ok: boolean;
  /** The receiver's HTTP status, when it answered. */
  responseStatus: number | null;
  error: string | null;
  durationMs: number;
}

export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  channel: Channel;
  /** Endpoint id (webhook), user id (email, sms), `owners` or `admins` (see the targets below). */
  target: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastResponseStatus: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
  /** SMS: Twilio's message SID and its last reported status (queued, sent, delivered, undelivered…). */
  providerMessageId?: string | null;
  providerStatus?: string | null;
  /** Only on a single delivery's page: every attempt, oldest first. */
  attemptLog?: DeliveryAttempt[];
}

export interface DeliveryPage {
  data: Delivery[];
  nextCursor: string | null;
}

export const DELIVERY_MODES = ["immediate", "digest"] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];
export const USER_CHANNELS = ["email", "sms"] as const;
export type UserChannel = (typeof USER_CHANNELS)[number];

/** One user's choices: which events, on which channels, for which locations, when. */
export interface NotificationPreferences {
  events: EventType[];
  channels: UserChannel[];
  /** Only these locations' events; null = every location the user may see. */
  facilityIds: string[] | null;
  delivery: DeliveryMode;
  /** The digest's hour (0–23) in `timeZone`. */
  digestHour: number;
  /** IANA time zone of the digest hour. */
  timeZone: string;
  /** Urgent events (a finding failing, a deadline passed) come at once even in digest mode. */
  urgentImmediately: boolean;
  /** SMS waits while the location's local clock is in these hours; null = any time. */
  quietHours: QuietHours | null;
  /** Urgent events (a finding failing, a deadline passed) are texted even in quiet hours. */
  urgentBreaksQuietHours: boolean;
}

/**
 * What a user has before choosing: no channel, so nothing is sent to them (owners and admins
 * still hear of announcements, `ADMINS_TARGET`); the events are what the settings page offers
 * ticked — failures, deadlines, and the announcements — at once, everywhere.
 */
export const DEFAULT_PREFERENCES: NotificationPreferences = {
  events: [
    "facility.status_changed",
    "finding.failing",
    "deadline.approaching",
    "deadline.passed",
    "rule_change.ahead",
    "export.ready",
  ],
  channels: [],
  facilityIds: null,
  delivery: "immediate",
  digestHour: 8,
  timeZone: "UTC",
  urgentImmediately: true,
  quietHours: DEFAULT_QUIET_HOURS,
  urgentBreaksQuietHours: false,
};

/** A user's phone number for SMS, as the API shows it. */
export interface PhoneNumberState {
  /** The verified E.164 number SMS goes to, or null. */
  phone: string | null;
  verifiedAt: string | null;
  /** A number waiting for its code, or null. */
  pendingPhone: string | null;
  codeExpiresAt: string | null;
}

/** An event another part of Prep raises (`emitNotification`, notifications/emit.ts). */
export interface EmitInput {
  type: EventType;
  /**
   * The emitter's own idempotency key for this occurrence (an export id, a rule change's id
   * and effective date…): emitting twice with one key stores and delivers the event once.
   */
  key: string;
  /** One line: an SMS, an email subject. */
  summary: string;
  /** The webhook body's `data`; JSON only. */
  data: Record<string, unknown>;
  facilityId?: string | null;
  facilityName?: string | null;
  /** When it happened (ISO 8601); default now. */
  timestamp?: string;
}

export interface EmitOutcome {
  eventId: string;
  /** Deliveries queued (0 when nobody subscribes). */
  deliveries: number;
  /** The key was seen before: nothing new was queued. */
  duplicate: boolean;
}

/** A credential or permit whose renewal Prep tracks (GET /v1/renewal-reminders, the Overview). */
export interface RenewalReminder extends Omit<RenewalFacts, "holder"> {
  /** The last reminder step sent in this cycle (null: none yet). */
  lastStep: ReminderStep | null;
  /** The next step and when it is due (null after the owner was told). */
  nextStep: ReminderStep | null;
  nextReminderAt: string | null;
}
