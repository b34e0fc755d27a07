// Shared valibot building blocks for the facility and dataset schemas: storable text, calendar
// dates and date-times, OCD ids, bounded strings, and the conversion of valibot issues to
// JSON-pointer problems for API users.
//
// **Storable** is the one definition of what a string, a date and a date-time may be: what
// PostgreSQL (text, jsonb, date, timestamptz), SQLite and JSON all accept and give back
// unchanged. Every schema in compliance/schema builds its strings and dates from here, so a
// value that passes validation can never be refused later by the database (which would block
// the tenant's outbox: docs/tenant-object.md, "Dead letters").
import * as v from "valibot";
import { isCalendarDate, toDay } from "../dates";

/** First char code of a high surrogate, of a low one, and the end of the surrogate range. */
const HIGH_SURROGATE = 0xd800;
const LOW_SURROGATE = 0xdc00;
const SURROGATE_END = 0xe000;

/**
 * Text every store accepts as is: no U+0000 (PostgreSQL text and jsonb refuse it) and
 * well-formed UTF-16 (no unpaired surrogate, which has no UTF-8 encoding).
 */
export function isStorableText(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0) return false;
    if (c < HIGH_SURROGATE || c >= SURROGATE_END) continue;
    if (c >= LOW_SURROGATE) return false; // a low surrogate with no high one before it
    const next = text.charCodeAt(i + 1); // NaN past the end
    if (!(next >= LOW_SURROGATE && next < SURROGATE_END)) return false;
    i++;
  }
  return true;
}

const STORABLE_MESSAGE = "must not contain U+0000 or unpaired UTF-16 surrogates";

/** Any string that is storable (see isStorableText); the building block of every string here. */
export function storableString(message = "must be a string") {
  return v.pipe(v.string(message), v.check(isStorableText, STORABLE_MESSAGE));
}

/** "YYYY-MM-DD" that exists on the (proleptic Gregorian) calendar, year 0001–9999. */
export function isStorableDate(text: string): boolean {
  return isCalendarDate(text) && !text.startsWith("0000");
}

/** "YYYY-MM-DD" that is a real calendar date (2025-02-30 is rejected, not rolled over), year 0001–9999. */
export const DateSchema = v.pipe(
  v.string("must be a date string YYYY-MM-DD"),
  v.maxLength(10, "must be a date YYYY-MM-DD"),
  v.check(
    isStorableDate,
    (issue) =>
      `must be a real calendar date YYYY-MM-DD with year 0001–9999, got ${JSON.stringify(issue.input)}`,
  ),
);

const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
/** The instants a date-time may denote: 0001-01-01T00:00:00Z up to the end of 9999 (UTC). */
const FIRST_INSTANT_MS = toDay("0001-01-01") * DAY_MS;
const END_INSTANT_MS = (toDay("9999-12-31") + 1) * DAY_MS;
/** PostgreSQL refuses a UTC offset of 16 hours or more. */
const MAX_OFFSET_MINUTES = 15 * 60 + 59;

/**
 * An RFC 3339 date-time with its offset, every field in range: a real calendar date, hour
 * 00–23, minute and second 00–59 (no leap second: JavaScript and PostgreSQL disagree on it),
 * an offset within ±15:59, and the instant itself within years 0001–9999 in UTC.
 */
export function isStorableDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text);
  if (!m) return false;
  const [, date = "", hh = "", mi = "", ss = "0", sign, oh = "0", om = "0"] = m;
  if (!isStorableDate(date)) return false;
  const [hour, minute, second] = [Number(hh), Number(mi), Number(ss)];
  if (hour > 23 || minute > 59 || second > 59) return false;
  const offsetMinutes = sign === undefined ? 0 : Number(oh) * 60 + Number(om);
  if (Number(om) > 59 || offsetMinutes > MAX_OFFSET_MINUTES) return false;
  const instant =
    toDay(date) * DAY_MS + (hour * 60 + minute - (sign === "-" ? -offsetMinutes : offsetMinutes)) * MINUTE_MS;
  return instant >= FIRST_INSTANT_MS && instant < END_INSTANT_MS;
}

/** RFC 3339 date-time (offset required), storable as a PostgreSQL timestamptz. */
export const DateTimeSchema = v.pipe(
  v.string("must be an RFC 3339 date-time"),
  v.maxLength(40, "must be an RFC 3339 date-time"),
  v.regex(DATE_TIME, "must be an RFC 3339 date-time, e.g. 2026-03-14T09:30:00-07:00"),
  v.check(
    isStorableDateTime,
    "must be a real date-time: calendar date with year 0001–9999, time 00:00:00–23:59:59, offset within ±15:59",
  ),
);

const OCD_PREFIX = "ocd-division/country:us";

/** Open Civic Data division id under the US, e.g. ocd-division/country:us/state:ca/county:los_angeles. */
export const OcdIdSchema = v.pipe(
  v.string("must be an OCD division id"),
  v.maxLength(200, "must be at most 200 characters"),
  v.regex(
    /^ocd-division\/country:us(\/[a-z_]+:[a-z0-9_~.-]+)*$/,
    `must be an OCD division id starting with "${OCD_PREFIX}" (e.g. ${OCD_PREFIX}/state:ca)`,
  ),
);

export function boundedString(max: number, min = 0) {
  return v.pipe(
    storableString(),
    v.minLength(min, min === 1 ? "must not be empty" : `must be at least ${min} characters`),
    v.maxLength(max, `must be at most ${max} characters`),
  );
}

export interface Problem {
  /** RFC 6901 JSON pointer to the offending value ("" = the document root). */
  pointer: string;
  message: string;
}

/** Valibot issues → one problem per issue, each with a JSON pointer built from the issue path. */
export function toProblems(issues: readonly v.BaseIssue<unknown>[], base = ""): Problem[] {
  const out: Problem[] = [];
  for (const issue of issues) {
    let pointer = base;
    for (const item of issue.path ?? []) {
      pointer += `/${String(item.key).replaceAll("~", "~0").replaceAll("/", "~1")}`;
    }
    out.push({ pointer, message: issue.message });
  }
  return out;
}
