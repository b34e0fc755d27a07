// Calendar arithmetic on "day numbers" (days since 1970-01-01, UTC). Evaluation parses every
// date once into an integer so rules compare numbers, never strings or Date objects. The
// conversions run per date of the payload and per credential expiry, where allocating Date
// objects dominated a verdict: years 1900–2299 are a table lookup, any other year uses integer
// arithmetic (proleptic Gregorian, H. Hinnant's days-from-civil).

/** First year whose start is tabulated; the table covers TABLE_YEARS years from it. */
const TABLE_FIRST_YEAR = 1900;
const TABLE_YEARS = 400;
/** Day number of January 1 of each tabulated year, plus that of the year after the last. */
const yearStart = new Int32Array(TABLE_YEARS + 1);
for (let i = 0; i <= TABLE_YEARS; i++) yearStart[i] = daysFromCivilArithmetic(TABLE_FIRST_YEAR + i, 1, 1);
/** Days before the first of month m (1–12) in a common year; index 0 unused. */
const DAYS_BEFORE_MONTH = [0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334] as const;
/** Day of the year (0-based) of March 1 in a common year: from there on a leap year is one day ahead. */
const MARCH_FIRST = 59;

/** Day number for a valid "YYYY-MM-DD" (or the date part of an RFC 3339 datetime); NaN when not a real date. */
export function toDay(text: string): number {
  if (text.length < 10 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return Number.NaN;
  const y = digits(text, 0, 4);
  const m = digits(text, 5, 7);
  const d = digits(text, 8, 10);
  if (y < 0 || m < 1 || m > 12 || d < 1 || (d > 28 && d > daysInMonth(y, m))) return Number.NaN;
  return daysFromCivil(y, m, d);
}

function daysFromCivil(y: number, m: number, d: number): number {
  const i = y - TABLE_FIRST_YEAR;
  if (!(i >= 0 && i < TABLE_YEARS)) return daysFromCivilArithmetic(y, m, d);
  return (yearStart[i] as number) + (DAYS_BEFORE_MONTH[m] as number) + (m > 2 ? leapDays(i) : 0) + d - 1;
}

/** 1 when the tabulated year `i` is a leap year, else 0. */
function leapDays(i: number): number {
  return (yearStart[i + 1] as number) - (yearStart[i] as number) - 365;
}

/** Index in the table of the year containing `day`, or -1 outside the table. */
function tabulatedYear(day: number): number {
  const first = yearStart[0] as number;
  if (!(day >= first && day < (yearStart[TABLE_YEARS] as number))) return -1;
  // The mean Gregorian year puts the estimate within one year of the answer.
  let i = Math.floor((day - first) / 365.2425);
  if ((yearStart[i + 1] as number) <= day) i++;
  else if ((yearStart[i] as number) > day) i--;
  return i;
}

function daysFromCivilArithmetic(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m > 2 ? m - 3 : m + 9) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146_097 + doe - 719_468;
}

/** Year, month (1–12) and day of a day number, written into `out` (no allocation per call). */
function civilFromDays(day: number, out: Int32Array): void {
  const z = day + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const m = mp < 10 ? mp + 3 : mp - 9;
  out[0] = yoe + era * 400 + (m <= 2 ? 1 : 0);
  out[1] = m;
  out[2] = doy - Math.floor((153 * mp + 2) / 5) + 1;
}
const ymd = new Int32Array(3);

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

// Verdicts format the same few hundred dates over and over (due dates, expiries): days from
// 1990 to 2169 are memoised in a dense array indexed by day number, cheaper than a Map lookup.
const MEMO_FIRST = 7305; // 1990-01-01
const MEMO_DAYS = 1 << 16;
let formatted: (string | undefined)[] | undefined;

/** "YYYY-MM-DD" for a day number. */
export function fromDay(day: number): string {
  const i = day - MEMO_FIRST;
  if (!(i >= 0 && i < MEMO_DAYS)) return formatDay(day);
  formatted ??= new Array<string | undefined>(MEMO_DAYS).fill(undefined);
  const hit = formatted[i];
  if (hit !== undefined) return hit;
  const text = formatDay(day);
  formatted[i] = text;
  return text;
}

function formatDay(day: number): string {
  civilFromDays(day, ymd);
  const [y = 0, m = 0, d = 0] = ymd;
  return `${y < 1000 ? String(y).padStart(4, "0") : y}-${m < 10 ? "0" : ""}${m}-${d < 10 ? "0" : ""}${d}`;
}

/**
 * The anniversary `years` after `day`. A credential issued on Feb 29 expires on Feb 28 of a
 * non-leap year (the last day that exists), never drifting into March.
 */
export function addYears(day: number, years: number): number {
  const from = tabulatedYear(day);
  const to = from + years;
  if (from < 0 || !(to >= 0 && to < TABLE_YEARS)) return addYearsArithmetic(day, years);
  const dayOfYear = day - (yearStart[from] as number);
  // From March 1 on, the same date is one day further into a leap year; Feb 29 itself
  // (day 59 of a leap year) becomes day 58 of a common year: Feb 28.
  const shift = dayOfYear < MARCH_FIRST ? 0 : leapDays(to) - leapDays(from);
  return (yearStart[to] as number) + dayOfYear + shift;
}

function addYearsArithmetic(day: number, years: number): number {
  civilFromDays(day, ymd);
  const y = (ymd[0] ?? 0) + years;
  const m = ymd[1] ?? 1;
  return daysFromCivilArithmetic(y, m, Math.min(ymd[2] ?? 1, daysInMonth(y, m)));
}
