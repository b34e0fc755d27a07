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

/** The last segment of an OCD division id, readable: `place:san_francisco` → "San Francisco". */
export function jurisdictionName(ocdId: string): string {
  const last = ocdId.split("/").at(-1) ?? ocdId;
  const [level, name = ""] = last.split(":");
  const pretty = name.replaceAll("_", " ").replace(/\b\w/g, (ch) => ch.toUpperCase());
  return level === "state" || level === "country" ? pretty.toUpperCase() : pretty;
}
