/**
 * Schemas of GET /v1/usage: the range query and the counted series.
 */
import * as v from "valibot";

const GRANULARITIES = ["hour", "day"] as const;

function isRealCalendarDate(date: string): boolean {
  const ms = Date.parse(`${date}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(date);
}

/** "YYYY-MM-DD" (00:00 UTC) or an RFC 3339 date-time, as epoch milliseconds. One error per field. */
const InstantSchema = v.config(
  v.pipe(
    v.string(),
    v.regex(
      /^\d{4}-\d{2}-\d{2}(?:[Tt ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:[Zz]|[+-]\d{2}:\d{2}))?$/,
      "must be a date YYYY-MM-DD or an RFC 3339 date-time such as 2026-03-14T09:30:00Z",
    ),
    v.check((text) => isRealCalendarDate(text.slice(0, 10)), "must contain a real calendar date"),
    v.transform((text) => Date.parse(text.length === 10 ? `${text}T00:00:00Z` : text.replace(" ", "T"))),
  ),
  { abortPipeEarly: true },
);

export const UsageQuerySchema = v.pipe(
  v.object({
    from: v.optional(InstantSchema),
    to: v.optional(InstantSchema),
    granularity: v.optional(v.picklist(GRANULARITIES, "must be hour or day"), "day"),
  }),
  v.forward(
    v.partialCheck(
      [["from"], ["to"]],
      ({ from, to }) => from === undefined || to === undefined || from < to,
      "must be later than from",
    ),
    ["to"],
  ),
);

export const UsageSchema = v.object({
  from: v.string(),
  to: v.string(),
  granularity: v.picklist(GRANULARITIES),
  total: v.number(),
  series: v.array(
    v.object({ start: v.string(), count: v.number(), byState: v.record(v.string(), v.number()) }),
  ),
});
