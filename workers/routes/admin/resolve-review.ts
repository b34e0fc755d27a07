/**
 * POST /v1/admin/reviews/{id}/resolve — resolve a source review item with a note: the dataset
 * version that addressed the change (a version of a dataset citing the source), or that no
 * change was needed. Recorded in the platform audit log (`source_review.resolved`); the item's
 * low-urgency incident is resolved after the answer (or by the next hourly watchers' run).
 * Platform admins only. RUNBOOK.md "Source review items".
 */
import type { Context } from "hono";
import { describeRoute } from "hono-openapi";
import { resolveReview, type SourceReviewRow } from "../../../db/source-reviews";
import { syncReviewIncidents } from "../../../pipeline/watchers";
import type { AppEnv } from "../../context";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound, validationFailed } from "../../http/problem";
import { validate } from "../../http/validation";
import { workerJobContext } from "../../job-context";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { reviewJson } from "./list-reviews";
import { ResolveReviewBody, ReviewIdParams, SourceReviewSchema } from "./schemas";
import { wrongStatus } from "./shared";

const versionProblem = (detail: string) =>
  validationFailed([{ pointer: "/datasetVersionId", detail }], detail);

const RESOLVE_PROBLEMS = {
  not_found: (id: string) => notFound(`Review item ${id}`),
  already_resolved: (id: string) => wrongStatus(`Review item ${id}`, "resolved"),
  unknown_version: () => versionProblem("There is no dataset version with that id."),
  version_not_cited: () =>
    versionProblem("That dataset version belongs to a dataset that does not cite this source."),
} as const;

export function registerResolveReview(app: App): void {
  app.post(
    "/v1/admin/reviews/:id/resolve",
    describeRoute({
      tags: ["Admin"],
      summary: "Resolve a source review item",
      description:
        "With the dataset version that addressed the change (a version of a dataset citing the source), or `no_change_needed`; a note either way. Recorded in the platform audit log.",
      responses: {
        200: jsonResponse("The resolved review item", SourceReviewSchema),
        ...problemResponses(401, 403, 404, 409, 422),
      },
    }),
    authenticateAdmin,
    validate("param", ReviewIdParams),
    validate("json", ResolveReviewBody),
    async (c) => {
      const { id } = c.req.valid("param");
      const result = await resolveReview(
        c.get("services").db(),
        id,
        c.get("admin").adminId,
        c.req.valid("json"),
      );
      if (!result.ok) throw RESOLVE_PROBLEMS[result.reason](id);
      resolveIncidentSoon(c, result.review);
      return c.json(reviewJson(result.review));
    },
  );
}

/** Resolves the item's incident after the answer; the hourly watchers' run retries if this fails. */
function resolveIncidentSoon(c: Context<AppEnv>, review: SourceReviewRow): void {
  const services = c.get("services");
  services.background(
    syncReviewIncidents(workerJobContext(c.env, services.db()), review.datasets).then(() => undefined),
  );
}
