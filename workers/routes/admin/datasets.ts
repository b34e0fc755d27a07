/**
 * Platform admin routes for datasets (prep_admin_ keys only):
 *
 *   PUT  /v1/admin/datasets/{ocdId}/source                      where it is refreshed from, trusted or not
 *   GET  /v1/admin/datasets/{ocdId}/versions                    versions with provenance, newest first
 *   POST /v1/admin/datasets/{ocdId}/versions/{id}/approve|reject review a pending version
 *   GET  /v1/admin/datasets/{ocdId}/diff?from=&to=&asOf=&format= the data diff report (JSON or Markdown)
 *
 * OCD ids contain slashes: they are accepted raw or percent-encoded, as in /v1/jurisdictions.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { AsOfSchema } from "../../../compliance/index";
import { configureSource, listVersions, type ReviewDecision, reviewVersion } from "../../../db/datasets";
import { recordPlatformAudit } from "../../../db/platform-audit";
import { buildStoredReport, renderMarkdown, VersionNotFound } from "../../../pipeline/diff-report";
import { sweepDrift } from "../../../pipeline/drift-sweep";
import { isAllowedSourceUrl } from "../../../pipeline/sources";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { json, validate } from "../../http/validation";
import { workerJobContext } from "../../job-context";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";

export const OcdIdSchema = v.pipe(
  v.string(),
  v.transform(decodeURIComponent),
  v.regex(/^ocd-division\/country:[a-z]{2}(\/[a-z_]+:[a-z0-9_~.-]+)*$/, "must be an OCD division id"),
);
const JurisdictionParams = v.object({ ocdId: OcdIdSchema });
const VersionParams = v.object({
  ocdId: OcdIdSchema,
  versionId: v.pipe(v.string(), v.regex(/^dsv_[0-9A-Z]{26}$/, "must be a version id dsv_…")),
});

const SourceSchema = v.object({
  sourceUrl: v.pipe(v.string(), v.check(isAllowedSourceUrl, "must be an https URL or bundled:<ocd id>")),
  trusted: v.boolean(),
});

const DiffQuery = v.object({
  from: v.optional(v.pipe(v.string(), v.maxLength(40))),
  to: v.optional(v.pipe(v.string(), v.maxLength(40))),
  asOf: v.optional(AsOfSchema),
  format: v.optional(v.picklist(["json", "markdown"], "must be json or markdown"), "json"),
});

const tags = ["Admin"];

export function registerAdminDatasets(app: App): void {
  app.put(
    "/v1/admin/datasets/:ocdId{.+}/source",
    describeRoute({
      tags,
      summary: "Configure a dataset's source",
      requestBody: jsonRequestBody(SourceSchema),
      responses: { 200: jsonResponse("The source", SourceSchema), ...problemResponses(401, 403, 404, 422) },
    }),
    authenticateAdmin,
    validate("param", JurisdictionParams),
    ...json(SourceSchema),
    async (c) => {
      const { ocdId } = c.req.valid("param");
      const source = c.req.valid("json");
      if (!(await configureSource(c.get("services").db(), ocdId, source))) throw notFound(`Dataset ${ocdId}`);
      return c.json({ jurisdiction: ocdId, ...source });
    },
  );

  app.get(
    "/v1/admin/datasets/:ocdId{.+}/versions",
    describeRoute({
      tags,
      summary: "List a dataset's versions",
      responses: {
        200: jsonResponse("Versions, newest first", v.object({ data: v.array(v.unknown()) })),
        ...problemResponses(401, 403),
      },
    }),
    authenticateAdmin,
    validate("param", JurisdictionParams),
    async (c) => c.json({ data: await listVersions(c.get("services").db(), c.req.valid("param").ocdId) }),
  );

  for (const decision of ["approve", "reject"] as const satisfies readonly ReviewDecision[]) {
    app.post(
      `/v1/admin/datasets/:ocdId{.+}/versions/:versionId/${decision}`,
      describeRoute({
        tags,
        summary: `${decision === "approve" ? "Approve (activate)" : "Reject"} a pending version`,
        responses: {
          200: jsonResponse("The decision", v.object({ versionId: v.string(), status: v.string() })),
          ...problemResponses(401, 403, 404),
        },
      }),
      authenticateAdmin,
      validate("param", VersionParams),
      async (c) => {
        const { ocdId, versionId } = c.req.valid("param");
        const services = c.get("services");
        const admin = c.get("admin");
        const result = await reviewVersion(services.db(), ocdId, versionId, decision, admin.adminId, (tx) =>
          recordPlatformAudit(tx, {
            actor: admin.adminId,
            action: `dataset_version.${decision === "approve" ? "approved" : "rejected"}`,
            target: versionId,
            detail: { jurisdiction: ocdId },
          }),
        );
        if (!result) throw notFound(`Pending version ${versionId} of ${ocdId}`);
        if (decision === "approve") {
          services.datasets.invalidate();
          services.background(
            sweepDrift(workerJobContext(c.env, services.db()), {
              jurisdictions: [ocdId],
              reason: "version approved",
            }),
          );
        }
        return c.json(result);
      },
    );
  }

  app.get(
    "/v1/admin/datasets/:ocdId{.+}/diff",
    describeRoute({
      tags,
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
