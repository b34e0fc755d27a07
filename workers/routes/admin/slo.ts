/**
 * GET /v1/admin/slo — each service level objective with its target, its value over the last
 * 30 days, the error budget left and the open incident, plus the mean time to resolve of the
 * incidents opened in those 30 days (platform admins). The values come from the hourly job's
 * records (pipeline/slo.ts); procedures: RUNBOOK.md, "SLO burn".
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { mttrHours, openOccurrence } from "../../../db/incidents";
import {
  budgetRemaining,
  SLO_WINDOW_DAYS,
  SLOS,
  sloDedupKey,
  sloTotals,
  sloValue,
} from "../../../pipeline/slo";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";

const SloReportSchema = v.object({
  slos: v.array(
    v.object({
      name: v.picklist(["availability", "check_latency", "data_freshness"]),
      description: v.string(),
      target: v.number(),
      value: v.number(),
      /** Good and total events behind the value. */
      good: v.number(),
      total: v.number(),
      budgetRemaining: v.number(),
      incident: v.nullable(v.object({ id: v.string(), openedAt: v.string() })),
    }),
  ),
  windowDays: v.number(),
  mttrHours: v.nullable(v.number()),
});

export function registerSloReport(app: App): void {
  app.get(
    "/v1/admin/slo",
    describeRoute({
      tags: ["Admin"],
      summary: "Service level objectives, error budgets and MTTR",
      description:
        "Availability (non-5xx share of API requests), check latency (share of checks within the threshold, i.e. p99) and data freshness over the last 30 days: target, value, error budget remaining (1 untouched, below 0 overspent), the open incident if any, and the mean time to resolve (hours) of incidents opened in the window (null when none was resolved).",
      responses: {
        200: jsonResponse("The SLO report", SloReportSchema),
        ...problemResponses(401, 403),
      },
    }),
    authenticateAdmin,
    async (c) => {
      const db = c.get("services").db();
      const now = new Date();
      const since = new Date(now.getTime() - SLO_WINDOW_DAYS * 86_400_000);
      const totals = await sloTotals(db, since, now);
      const slos = [];
      for (const slo of SLOS) {
        const { good, total } = totals[slo.name];
        const value = sloValue(good, total);
        slos.push({
          name: slo.name,
          description: slo.description,
          target: slo.target,
          value,
          good,
          total,
          budgetRemaining: budgetRemaining(slo.target, value),
          incident: await openOccurrence(db, sloDedupKey(c.env.PREP_ENV, slo.name)),
        });
      }
      return c.json({ slos, windowDays: SLO_WINDOW_DAYS, mttrHours: await mttrHours(db, since) });
    },
  );
}
