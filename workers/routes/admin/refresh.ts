/**
 * Platform admin routes for the refresh job (prep_admin_ keys only):
 *
 *   POST /v1/admin/refresh             run the refresh now (all sources or `jurisdictions`); answers
 *                                      the run report: run id and each dataset's outcome
 *   GET  /v1/admin/refresh-runs/{id}   a stored run with its per-dataset attempts
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { getRun } from "../../../db/refresh-runs";
import { refreshDatasets } from "../../../pipeline/refresh";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { optionalJson, validate } from "../../http/validation";
import { workerJobContext } from "../../job-context";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { OcdIdSchema } from "./datasets";

const RefreshSchema = v.object({
  jurisdictions: v.optional(v.pipe(v.array(OcdIdSchema), v.minLength(1), v.maxLength(100))),
});
const RunParams = v.object({
  runId: v.pipe(v.string(), v.regex(/^run_[0-9A-Z]{26}$/, "must be a run id run_…")),
});

export function registerAdminRefresh(app: App): void {
  app.post(
    "/v1/admin/refresh",
    describeRoute({
      tags: ["Admin"],
      summary: "Refresh datasets now",
      requestBody: { ...jsonRequestBody(RefreshSchema), required: false },
      responses: { 200: jsonResponse("The run report", v.unknown()), ...problemResponses(401, 403, 422) },
    }),
    authenticateAdmin,
    ...optionalJson(RefreshSchema),
    async (c) => {
      const services = c.get("services");
      const { jurisdictions } = c.req.valid("json");
      const report = await refreshDatasets(workerJobContext(c.env, services.db()), {
        trigger: "admin",
        jurisdictions,
      });
      return c.json(report);
    },
  );

  app.get(
    "/v1/admin/refresh-runs/:runId",
    describeRoute({
      tags: ["Admin"],
      summary: "A refresh run and its attempts",
      responses: { 200: jsonResponse("The run", v.unknown()), ...problemResponses(401, 403, 404) },
    }),
    authenticateAdmin,
    validate("param", RunParams),
    async (c) => {
      const run = await getRun(c.get("services").db(), c.req.valid("param").runId);
      if (!run) throw notFound(`Refresh run ${c.req.valid("param").runId}`);
      return c.json(run);
    },
  );
}
