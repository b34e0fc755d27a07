// Shared valibot building blocks for the facility and dataset schemas: calendar dates, OCD ids,
// bounded strings, and the conversion of valibot issues to JSON-pointer problems for API users.
import * as v from "valibot";
import { isCalendarDate } from "../dates";

/** "YYYY-MM-DD" that is a real calendar date (2025-02-30 is rejected, not rolled over). */
export const DateSchema = v.pipe(
  v.string("must be a date string YYYY-MM-DD"),
  v.maxLength(10, "must be a date YYYY-MM-DD"),
  v.check(
    isCalendarDate,
    (issue) => `must be a real calendar date YYYY-MM-DD, got ${JSON.stringify(issue.input)}`,
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
    v.string("must be a string"),
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
