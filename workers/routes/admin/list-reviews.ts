/**
 * GET /v1/admin/reviews?status=open|resolved&cursor=&limit= — the source watchers' review
 * items (changes of watched official texts), newest first, with cursor pagination. Platform
 * admins (prep_admin_ keys) only. docs/data-pipeline.md "Source watchers".
 */
import { describeRoute } from "hono-openapi";
import { listReviews, type SourceReviewRow } from "../../../db/source-reviews";
import { REVIEW_SLA_MS } from "../../../pipeline/freshness";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { pageOf } from "../../http/schemas";
import { validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { ReviewListQuery, SourceReviewSchema } from "./schemas";

export function reviewJson(row: SourceReviewRow, now = new Date()) {
  return {
    id: row.id,
    status: row.status,
    source: { id: row.sourceId, kind: row.sourceKind, title: row.sourceTitle, url: row.sourceUrl },
    datasets: row.datasets,
    rules: row.ruleIds,
    diff: row.diff,
    fromHash: row.fromHash,
    toHash: row.toHash,
    changes: row.changes,
    openedAt: row.openedAt,
    updatedAt: row.updatedAt,
    overdue: row.status === "open" && now.getTime() - Date.parse(row.openedAt) > REVIEW_SLA_MS,
    resolvedAt: row.resolvedAt,
    resolvedBy: row.resolvedBy,
    resolution: row.resolution,
    datasetVersionId: row.datasetVersionId,
    note: row.note,
  };
}

export function registerListReviews(app: App): void {
  app.get(
    "/v1/admin/reviews",
    describeRoute({
      tags: ["Admin"],
      summary: "List source review items (changes of watched official texts)",
      responses: {
        200: jsonResponse("A page of review items, newest first", pageOf(SourceReviewSchema)),
        ...problemResponses(401, 403, 422),
      },
    }),
    authenticateAdmin,
    validate("query", ReviewListQuery),
    async (c) => {
      const { status, cursor, limit } = c.req.valid("query");
      const page = await listReviews(c.get("services").db(), { status, after: cursor, limit: Number(limit) });
      const now = new Date();
      return c.json({ data: page.data.map((row) => reviewJson(row, now)), nextCursor: page.nextCursor });
    },
  );
}
