/**
 * Schemas of /v1/notifications: a signed-in user's notification preferences, and the
 * one-click unsubscribe of notification email.
 */
import * as v from "valibot";
import { DELIVERY_MODES, USER_CHANNELS } from "../../../notifications/contract";
import { EVENT_TYPES } from "../../../notifications/events";
import { FacilityIdSchema } from "../../http/schemas";

const unique = <T>(list: T[]) => new Set(list).size === list.length;

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const HHMM = v.pipe(
  v.string(),
  v.regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a local time HH:MM, e.g. 21:00"),
);

/** SMS quiet hours: local times in the location's time zone; `to` may be the next morning. */
const QuietHoursSchema = v.pipe(
  v.strictObject({ from: HHMM, to: HHMM }),
  v.check((q) => q.from !== q.to, "must begin and end at different times (or be null: no quiet hours)"),
);

/** Every field optional: what is sent replaces the stored (or default) value. */
export const UpdatePreferencesSchema = v.object({
  events: v.optional(
    v.pipe(
      v.array(v.picklist(EVENT_TYPES, `must be one of: ${EVENT_TYPES.join(", ")}`)),
      v.maxLength(EVENT_TYPES.length),
      v.check(unique, "lists an event type twice"),
    ),
  ),
  channels: v.optional(
    v.pipe(
      v.array(v.picklist(USER_CHANNELS, `must be one of: ${USER_CHANNELS.join(", ")}`)),
      v.maxLength(USER_CHANNELS.length),
      v.check(unique, "lists a channel twice"),
    ),
  ),
  facilityIds: v.optional(
    v.nullable(
      v.pipe(v.array(FacilityIdSchema), v.maxLength(1000), v.check(unique, "lists a location twice")),
    ),
  ),
  delivery: v.optional(v.picklist(DELIVERY_MODES, `must be one of: ${DELIVERY_MODES.join(", ")}`)),
  digestHour: v.optional(
    v.pipe(v.number(), v.integer("must be a whole hour"), v.minValue(0), v.maxValue(23)),
  ),
  timeZone: v.optional(
    v.pipe(
      v.string(),
      v.maxLength(64),
      v.check(isTimeZone, "must be an IANA time zone, e.g. America/Chicago"),
    ),
  ),
  urgentImmediately: v.optional(v.boolean()),
  quietHours: v.optional(v.nullable(QuietHoursSchema)),
  urgentBreaksQuietHours: v.optional(v.boolean()),
});

export const PreferencesSchema = v.object({
  events: v.array(v.string()),
  channels: v.array(v.string()),
  facilityIds: v.nullable(v.array(v.string())),
  delivery: v.picklist(DELIVERY_MODES),
  digestHour: v.number(),
  timeZone: v.string(),
  urgentImmediately: v.boolean(),
  quietHours: v.nullable(v.object({ from: v.string(), to: v.string() })),
  urgentBreaksQuietHours: v.boolean(),
  /** What may be chosen, for the settings page. */
  eventTypes: v.array(v.string()),
  channelTypes: v.array(v.string()),
});

export const UnsubscribeQuery = v.object({
  token: v.pipe(v.string(), v.maxLength(512, "is not an unsubscribe token")),
});

export const UnsubscribedSchema = v.object({ unsubscribed: v.literal(true) });

// ---- SMS: the user's phone number (ADR 0021) ----

export const AddPhoneSchema = v.strictObject({
  phone: v.pipe(
    v.string(),
    v.maxLength(16, "is not an E.164 phone number"),
    v.regex(
      /^\+[1-9]\d{6,14}$/,
      "must be an E.164 phone number: +, country code and number, e.g. +14155550123",
    ),
  ),
});

export const VerifyPhoneSchema = v.strictObject({
  code: v.pipe(v.string(), v.regex(/^\d{6}$/, "must be the 6-digit code from the text message")),
});

export const PhoneSchema = v.object({
  phone: v.nullable(v.string()),
  verifiedAt: v.nullable(v.string()),
  pendingPhone: v.nullable(v.string()),
  codeExpiresAt: v.nullable(v.string()),
  /** The latest SMS sent to the user, newest first, with Twilio's reported status. */
  recentDeliveries: v.array(
    v.object({
      id: v.string(),
      eventType: v.string(),
      status: v.string(),
      providerStatus: v.nullable(v.string()),
      lastError: v.nullable(v.string()),
      createdAt: v.string(),
      deliveredAt: v.nullable(v.string()),
    }),
  ),
});
