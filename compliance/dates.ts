// Calendar arithmetic on "day numbers" (days since 1970-01-01, UTC). Evaluation parses every
// date once into an integer so rules compare numbers, never strings or Date objects.

const MS_PER_DAY = 86_400_000;

/** Day number for a valid "YYYY-MM-DD" (or the date part of an RFC 3339 datetime); NaN when not a real date. */
export function toDay(text: string): number {
  if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return Number.NaN;
  const y = digits(text, 0, 4);
  const m = digits(text, 5, 7);
  const d = digits(text, 8, 10);
  if (y < 0 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return Number.NaN;
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}

// Char-code parsing: no regex and no allocation on the hot path.
function digits(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

export function isLeapYear(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(y: number, m: number): number {
  if (m === 2) return isLeapYear(y) ? 29 : 28;
  return m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
}

/** True when `text` is exactly "YYYY-MM-DD" and a real calendar date (rejects 2025-02-30). */
export function isCalendarDate(text: string): boolean {
  return text.length === 10 && !Number.isNaN(toDay(text));
}

// Verdicts format the same few hundred dates over and over (due dates, expiries); a bounded
// memo turns that into a map lookup.
const formatted = new Map<number, string>();

/** "YYYY-MM-DD" for a day number. */
export function fromDay(day: number): string {
  const hit = formatted.get(day);
  if (hit !== undefined) return hit;
  const text = formatDay(day);
  if (formatted.size >= 20_000) formatted.clear();
  formatted.set(day, text);
  return text;
}

function formatDay(day: number): string {
  const dt = new Date(day * MS_PER_DAY);
  const y = dt.getUTCFullYear();
  const m = dt.getUTCMonth() + 1;
  const d = dt.getUTCDate();
  return `${y < 1000 ? String(y).padStart(4, "0") : y}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

/**
 * The anniversary `years` after `day`. A credential issued on Feb 29 expires on Feb 28 of a
 * non-leap year (the last day that exists), never drifting into March.
 */
export function addYears(day: number, years: number): number {
  const dt = new Date(day * MS_PER_DAY);
  const y = dt.getUTCFullYear() + years;
  const m = dt.getUTCMonth() + 1;
  const d = Math.min(dt.getUTCDate(), daysInMonth(y, m));
  return Date.UTC(y, m - 1, d) / MS_PER_DAY;
}
