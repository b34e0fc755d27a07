/**
 * POST /v1/admin/impact — the impact preview: what a candidate (a dataset file's content, a
 * stored version such as one pending review, or a manual override) would change for every
 * tenant before anything is activated. Each tenant's object evaluates its own stored
 * facilities (pipeline/impact.ts); the answer aggregates them with ids, statuses and rule ids
 * only. Changes nothing; the look across tenants is recorded in the platform audit log
 * (`dataset_impact.previewed`). Platform admins (prep_admin_ keys) only.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { DateSchema } from "../../../compliance/index";
import { type ImpactCandidate, ImpactInputError, previewImpact, rulePair } from "../../../pipeline/impact";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { notFound, validationFailed } from "../../http/problem";
import { idSchema } from "../../http/schemas";
import { json } from "../../http/validation";
import { workerJobContext } from "../../job-context";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { OcdIdSchema } from "./schemas";
import { auditAdminAction } from "./shared";

export const ImpactRequestSchema = v.pipe(
  v.object({
    jurisdiction: OcdIdSchema,
    /** A dataset as in compliance/datasets/ (validated like a refreshed one). */
    dataset: v.optional(v.record(v.string(), v.unknown(), "must be a dataset object")),
    versionId: v.optional(idSchema("dsv", "must be a version id dsv_…")),
    overrideId: v.optional(idSchema("ovr", "must be an override id ovr_…")),
    /** Evaluate at this date only (default: today and each later date a changed rule starts). */
    asOf: v.optional(DateSchema),
  }),
  v.check(
    (body) => [body.dataset, body.versionId, body.overrideId].filter((x) => x !== undefined).length === 1,
    "give exactly one of dataset, versionId or overrideId",
  ),
);

const FindingChangeSchema = v.object({
  ruleId: v.string(),
  from: v.nullable(v.string()),
  to: v.nullable(v.string()),
});

export const ImpactReportSchema = v.object({
  jurisdiction: v.string(),
  activeVersionId: v.nullable(v.string()),
  dates: v.array(v.string()),
  tenants: v.number(),
  facilities: v.number(),
  affected: v.object({ tenants: v.number(), facilities: v.number() }),
  byStatus: v.record(v.string(), v.number()),
  changes: v.array(
    v.object({
      tenantId: v.string(),
      facilityId: v.string(),
      asOf: v.string(),
      from: v.string(),
      to: v.string(),
      findings: v.array(FindingChangeSchema),
    }),
  ),
  unreachable: v.array(v.string()),
});

function candidateOf(body: v.InferOutput<typeof ImpactRequestSchema>): ImpactCandidate {
  if (body.versionId) return { kind: "version", versionId: body.versionId };
  if (body.overrideId) return { kind: "override", overrideId: body.overrideId };
  return { kind: "dataset", dataset: body.dataset };
}

export function registerImpactPreview(app: App): void {
  app.post(
    "/v1/admin/impact",
    describeRoute({
      tags: ["Admin"],
      summary: "Impact preview of a candidate dataset version or override",
      description:
        "Evaluates every tenant's stored facilities under the jurisdiction's rules in force and under the candidate, inside each tenant's object, and answers which facilities change status and which findings appear or disappear — tenant and facility ids, statuses and rule ids only. Activates nothing.",
      requestBody: jsonRequestBody(ImpactRequestSchema),
      responses: {
        200: jsonResponse("The preview", ImpactReportSchema),
        ...problemResponses(401, 403, 404, 415, 422),
      },
    }),
    authenticateAdmin,
    ...json(ImpactRequestSchema),
    async (c) => {
      const body = c.req.valid("json");
      const db = c.get("services").db();
      let pair: Awaited<ReturnType<typeof rulePair>>;
      try {
        pair = await rulePair(db, body.jurisdiction, candidateOf(body));
      } catch (error) {
        if (!(error instanceof ImpactInputError)) throw error;
        if (error.code === "not_found") throw notFound(error.message);
        throw validationFailed(error.errors);
      }
      const report = await previewImpact(workerJobContext(c.env, db), pair, { asOf: body.asOf });
      await auditAdminAction(c, {
        action: "dataset_impact.previewed",
        target: body.jurisdiction,
        detail: {
          candidate: body.versionId ?? body.overrideId ?? "dataset",
          tenants: report.tenants,
          affected: report.affected,
        },
      });
      return c.json(report);
    },
  );
}
