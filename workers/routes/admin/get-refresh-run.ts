/**
 * GET /v1/admin/refresh-runs/{runId} — a stored refresh run with its per-dataset attempts.
 * Platform admins (prep_admin_ keys) only.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { getRun } from "../../../db/refresh-runs";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { RunParams } from "./schemas";

export function registerGetRefreshRun(app: App): void {
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
      const { runId } = c.req.valid("param");
      const run = await getRun(c.get("services").db(), runId);
      if (!run) throw notFound(`Refresh run ${runId}`);
      return c.json(run);
    },
  );
}
