/**
 * Schemas of GET /v1/usage: the range query and the counted series.
 */
import * as v from "valibot";
import { DateSchema, DateTimeSchema } from "../../../compliance";

const GRANULARITIES = ["hour", "day"] as const;

/** Epoch milliseconds of a date-time DateTimeSchema accepted ("t", "z" and a space separator included). */
const instantMs = (text: string) => Date.parse(text.toUpperCase().replace(" ", "T"));

/**
 * "YYYY-MM-DD" (00:00 UTC) or an RFC 3339 date-time, as epoch milliseconds: the storable dates
 * and date-times of compliance/schema/common.ts (hour 00–23, offset within ±15:59, years
 * 0001–9999), so every accepted value is a real instant. One error per field.
 */
const InstantSchema = v.union(
  [
    v.pipe(
      DateSchema,
      v.transform((date) => Date.parse(`${date}T00:00:00Z`)),
    ),
    v.pipe(
      DateTimeSchema,
      v.check((text) => !Number.isNaN(instantMs(text)), "must be an RFC 3339 date-time"),
      v.transform(instantMs),
    ),
  ],
  "must be a date YYYY-MM-DD or an RFC 3339 date-time such as 2026-03-14T09:30:00Z, with a real date and time",
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
