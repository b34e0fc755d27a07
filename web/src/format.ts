/**
 * Display helpers: status labels and dates in the user's locale.
 */
import type { Status } from "./api/types";

export const STATUS_LABEL: Record<Status, string> = {
  compliant: "Compliant",
  at_risk: "At risk",
  non_compliant: "Non-compliant",
};

export const STATUSES = Object.keys(STATUS_LABEL) as Status[];

/** A calendar date (YYYY-MM-DD) or timestamp as a short local date. */
export function formatDate(value: string | null | undefined): string {
  if (!value) return "—";
  const date = value.length === 10 ? new Date(`${value}T12:00:00`) : new Date(value);
  return date.toLocaleDateString(undefined, { year: "numeric", month: "short", day: "numeric" });
}

export function formatDateTime(value: string | null | undefined): string {
  if (!value) return "—";
  return new Date(value).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

/** Today as YYYY-MM-DD in the user's time zone. */
export function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}

/** Whole days from `from` (default today) to a calendar date (YYYY-MM-DD); negative when past. */
export function daysUntil(date: string, from = today()): number {
  return Math.round((Date.parse(date.slice(0, 10)) - Date.parse(from)) / 86_400_000);
}

const RELATIVE_DAYS = 30;
const relativeDays = new Intl.RelativeTimeFormat("en", { numeric: "auto" });

/**
 * When something expires, said as it stands today: "expired 3 days ago (May 1, 2026)",
 * "expires today (…)", "expires in 12 days (…)"; beyond a month, "expired on May 1, 2026".
 * A date is valid through its day, so it has expired from the day after.
 */
export function expiryPhrase(date: string, from = today()): string {
  const days = daysUntil(date, from);
  const verb = days < 0 ? "expired" : "expires";
  if (Math.abs(days) > RELATIVE_DAYS) return `${verb} on ${formatDate(date)}`;
  return `${verb} ${relativeDays.format(days, "day")} (${formatDate(date)})`;
}

/** The last segment of an OCD division id, readable: `place:san_francisco` → "San Francisco". */
export function jurisdictionName(ocdId: string): string {
  const last = ocdId.split("/").at(-1) ?? ocdId;
  const [level, name = ""] = last.split(":");
  const pretty = name.replaceAll("_", " ").replace(/\b\w/g, (ch) => ch.toUpperCase());
  return level === "state" || level === "country" ? pretty.toUpperCase() : pretty;
}
