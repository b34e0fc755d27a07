/**
 * GET /v1/status — public service health: no authentication, nothing tenant-specific. The
 * API answers (it is answering this), and the datasets' freshness SLO: `degraded` when any
 * active dataset is stale — its bundle not checked within 24 h, one of its watched official
 * sources not answering within 48 h, or a source review item citing it open beyond the 72 h SLA. 503 when the database
 * cannot be reached, since nothing but checks would work then. `deadLetters`: how many checks
 * Postgres refused and the outbox set aside (RUNBOOK.md, "Dead letters"); null when unknown.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { DEAD_LETTER_REGISTRY } from "../../../durable-objects/contract";
import { breached, loadFreshness } from "../../../pipeline/freshness";
import type { Env } from "../../env";
import { jsonResponse } from "../../http/openapi";
import type { App } from "../index";

const StatusSchema = v.object({
  status: v.picklist(["ok", "degraded"]),
  database: v.picklist(["ok", "unavailable"]),
  freshness: v.nullable(
    v.object({
      compliance: v.number(),
      /** Share of active datasets read from the published, signed bundle. */
      publishedShare: v.number(),
      /** Share of active datasets with at least one watched official source. */
      watchedShare: v.number(),
      /** How long a source review item may wait before the datasets it cites count as stale. */
      reviewSlaHours: v.number(),
      /** How recently every watched source of a dataset must have answered. */
      watchWindowHours: v.number(),
      datasets: v.array(
        v.object({
          jurisdiction: v.string(),
          version: v.nullable(v.string()),
          lastRefreshedAt: v.nullable(v.string()),
          fresh: v.boolean(),
          /** published_bundle, bundled_copy (the Worker's own copy), url or none. */
          upstream: v.picklist(["published_bundle", "bundled_copy", "url", "none"]),
          /** Why it is stale (empty when fresh). */
          staleReasons: v.array(v.picklist(["bundle_not_checked", "watchers_not_run", "review_overdue"])),
          watchers: v.object({
            sources: v.number(),
            lastRunAt: v.nullable(v.string()),
            openReviews: v.number(),
            overdueReviews: v.number(),
          }),
        }),
      ),
    }),
  ),
  /** Checks Postgres refused, set aside in their tenants' objects; null when the count is unavailable. */
  deadLetters: v.nullable(v.object({ total: v.number(), tenants: v.number() })),
});

export function registerStatus(app: App): void {
  app.get(
    "/v1/status",
    describeRoute({
      tags: ["Status"],
      summary: "Service health and dataset freshness",
      responses: {
        200: jsonResponse("Healthy or degraded", StatusSchema),
        503: jsonResponse("Database unavailable", StatusSchema),
      },
    }),
    async (c) => {
      c.header("cache-control", "no-store");
      const deadLetters = deadLetterCount(c.env.TENANT);
      try {
        const freshness = await loadFreshness({ db: c.get("services").db(), now: () => new Date() });
        return c.json({
          status: breached(freshness) ? "degraded" : "ok",
          database: "ok",
          freshness,
          deadLetters: await deadLetters,
        });
      } catch (error) {
        console.error(
          JSON.stringify({
            level: "error",
            requestId: c.get("requestId"),
            message: "status: database unavailable",
            error: String(error),
          }),
        );
        return c.json(
          { status: "degraded", database: "unavailable", freshness: null, deadLetters: await deadLetters },
          503,
        );
      }
    },
  );
}

/** The platform's dead-letter count and how many tenants hold any; null (logged) when the registry cannot answer. */
async function deadLetterCount(namespace: Env["TENANT"]): Promise<{ total: number; tenants: number } | null> {
  try {
    const summary = await namespace.get(namespace.idFromName(DEAD_LETTER_REGISTRY)).deadLetterSummary(0);
    return { total: summary.total, tenants: summary.tenantCount };
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        message: "status: dead-letter count unavailable",
        error: String(error),
      }),
    );
    return null;
  }
}
