/**
 * POST /v1/admin/refresh — run the dataset refresh now (all sources, or `jurisdictions`);
 * answers the run report: the run id and each dataset's outcome. The run records the admin
 * who started it (and the platform audit log its start); a version it fetches for review is
 * theirs, so another admin approves it. Platform admins (prep_admin_ keys) only.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { refreshDatasets } from "../../../pipeline/refresh";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { optionalJson } from "../../http/validation";
import { workerJobContext } from "../../job-context";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { RefreshSchema } from "./schemas";

export function registerRunRefresh(app: App): void {
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
        startedBy: c.get("admin").adminId,
        jurisdictions,
      });
      return c.json(report);
    },
  );
}
