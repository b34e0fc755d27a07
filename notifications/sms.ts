/**
 * The SMS channel's pure parts: the text of one notification (short, with a link into the
 * app), quiet hours in the location's time zone, and that zone from a US address. Sending is
 * twilio.ts; the queue and the hold are durable-objects/notification-delivery.ts.
 */
import type { NotificationEvent } from "./events";

/** At most two GSM-7 segments (153 characters each when concatenated). */
export const SMS_MAX_LENGTH = 306;
const FOOTER = " Reply STOP to opt out.";

/** `Prep: <summary> <link> Reply STOP to opt out.`, the summary shortened to fit. */
export function smsBody(event: NotificationEvent, appOrigin: string): string {
  const base = appOrigin.replace(/\/$/, "");
  const link =
    typeof event.data.url === "string" && /^https?:\/\//.test(event.data.url)
      ? event.data.url
      : event.facilityId
        ? `${base}/locations/${encodeURIComponent(event.facilityId)}`
        : `${base}/`;
  const room = SMS_MAX_LENGTH - "Prep: ".length - 1 - link.length - FOOTER.length;
  const summary =
    event.summary.length > room ? `${event.summary.slice(0, Math.max(0, room - 1))}…` : event.summary;
  return `Prep: ${summary} ${link}${FOOTER}`;
}

/** A text message with a verification code. */
export const verificationSms = (code: string) =>
  `Your Prep verification code is ${code}. It expires in 10 minutes. Reply STOP to opt out.`;

// ---- Quiet hours ----

export interface QuietHours {
  /** Local "HH:MM" when quiet hours begin (e.g. 21:00) … */
  from: string;
  /** … and end (e.g. 08:00); may be earlier than `from` (overnight). */
  to: string;
}

export const DEFAULT_QUIET_HOURS: QuietHours = { from: "21:00", to: "08:00" };

const minutesOf = (hhmm: string) => {
  const [h, m] = hhmm.split(":").map(Number);
  return (h as number) * 60 + (m as number);
};

function localMinutes(atMs: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    hour: "numeric",
    minute: "numeric",
    hourCycle: "h23",
    timeZone,
  }).formatToParts(atMs);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get("hour") * 60 + get("minute");
}

export function inQuietHours(quiet: QuietHours, timeZone: string, atMs: number): boolean {
  const from = minutesOf(quiet.from);
  const to = minutesOf(quiet.to);
  if (from === to) return false;
  const now = localMinutes(atMs, timeZone);
  return from < to ? now >= from && now < to : now >= from || now < to;
}

/** When quiet hours in force at `atMs` end (the local clock reads `to`), or null when not in them. */
export function quietHoursEnd(quiet: QuietHours, timeZone: string, atMs: number): number | null {
  if (!inQuietHours(quiet, timeZone, atMs)) return null;
  const delta = (minutesOf(quiet.to) - localMinutes(atMs, timeZone) + 1440) % 1440;
  let end = Math.floor(atMs / 60_000) * 60_000 + delta * 60_000;
  // A daylight-saving change in between moved the local clock by the shift: take it back.
  const shift = ((((localMinutes(end, timeZone) - minutesOf(quiet.to)) % 1440) + 2160) % 1440) - 720;
  end -= shift * 60_000;
  // `to` itself skipped (the clock jumped over it): the first quarter hour after quiet hours.
  for (let i = 0; i < 12 && inQuietHours(quiet, timeZone, end); i++) end += 15 * 60_000;
  return end;
}

/**
 * The IANA zone most of a US state keeps (a location's address has its state, not its
 * zone). States split between zones take their most populous one; the user's own zone is
 * used when the location has no known state.
 */
const STATE_ZONES: Record<string, string> = {
  AL: "America/Chicago",
  AK: "America/Anchorage",
  AZ: "America/Phoenix",
  AR: "America/Chicago",
  CA: "America/Los_Angeles",
  CO: "America/Denver",
  CT: "America/New_York",
  DE: "America/New_York",
  DC: "America/New_York",
  FL: "America/New_York",
  GA: "America/New_York",
  HI: "Pacific/Honolulu",
  ID: "America/Boise",
  IL: "America/Chicago",
  IN: "America/Indiana/Indianapolis",
  IA: "America/Chicago",
  KS: "America/Chicago",
  KY: "America/New_York",
  LA: "America/Chicago",
  ME: "America/New_York",
  MD: "America/New_York",
  MA: "America/New_York",
  MI: "America/Detroit",
  MN: "America/Chicago",
  MS: "America/Chicago",
  MO: "America/Chicago",
  MT: "America/Denver",
  NE: "America/Chicago",
  NV: "America/Los_Angeles",
  NH: "America/New_York",
  NJ: "America/New_York",
  NM: "America/Denver",
  NY: "America/New_York",
  NC: "America/New_York",
  ND: "America/Chicago",
  OH: "America/New_York",
  OK: "America/Chicago",
  OR: "America/Los_Angeles",
  PA: "America/New_York",
  RI: "America/New_York",
  SC: "America/New_York",
  SD: "America/Chicago",
  TN: "America/Chicago",
  TX: "America/Chicago",
  UT: "America/Denver",
  VT: "America/New_York",
  VA: "America/New_York",
  WA: "America/Los_Angeles",
  WV: "America/New_York",
  WI: "America/Chicago",
  WY: "America/Denver",
  PR: "America/Puerto_Rico",
  GU: "Pacific/Guam",
  VI: "America/St_Thomas",
  AS: "Pacific/Pago_Pago",
  MP: "Pacific/Saipan",
};

export const zoneOfState = (state: string | null | undefined): string | null =>
  state ? (STATE_ZONES[state.trim().toUpperCase()] ?? null) : null;
