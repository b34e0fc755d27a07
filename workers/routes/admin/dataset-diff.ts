/**
 * GET /v1/admin/datasets/{ocdId}/diff?from=&to=&asOf=&format= — the data diff report, as
 * JSON or Markdown: version to version (default: the active version against the one before
 * it), the approved overrides on top, and each rule's relation to the parent layers and the
 * FDA model. Platform admins (prep_admin_ keys) only.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { buildStoredReport, renderMarkdown, VersionNotFound } from "../../../pipeline/diff-report";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { DiffQuery, JurisdictionParams } from "./schemas";

export function registerDatasetDiff(app: App): void {
  app.get(
    "/v1/admin/datasets/:ocdId{.+}/diff",
    describeRoute({
      tags: ["Admin"],
      summary: "Data diff report",
      description:
        "Version to version (default: the active version against the one before it), the approved overrides on top, and the relation of each rule to the parent layers and the FDA model.",
      responses: { 200: jsonResponse("The report", v.unknown()), ...problemResponses(401, 403, 404, 422) },
    }),
    authenticateAdmin,
    validate("param", JurisdictionParams),
    validate("query", DiffQuery),
    async (c) => {
      const { ocdId } = c.req.valid("param");
      const { from, to, asOf, format } = c.req.valid("query");
      let report: Awaited<ReturnType<typeof buildStoredReport>>;
      try {
        report = await buildStoredReport(c.get("services").db(), ocdId, {
          from,
          to,
          asOf: (asOf ?? new Date().toISOString()).slice(0, 10),
        });
      } catch (error) {
        if (error instanceof VersionNotFound) throw notFound(error.message);
        throw error;
      }
      if (format === "markdown")
        return c.body(renderMarkdown([report]), 200, { "content-type": "text/markdown; charset=utf-8" });
      return c.json(report);
    },
  );
}
