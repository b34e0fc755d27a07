/**
 * GET /v1/admin/datasets/{ocdId}/versions — a dataset's versions with their provenance,
 * newest first. Platform admins (prep_admin_ keys) only.
 */
import { describeRoute } from "hono-openapi";
import { listVersions } from "../../../db/datasets";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { JurisdictionParams, VersionListSchema } from "./schemas";

export function registerListDatasetVersions(app: App): void {
  app.get(
    "/v1/admin/datasets/:ocdId{.+}/versions",
    describeRoute({
      tags: ["Admin"],
      summary: "List a dataset's versions",
      responses: {
        200: jsonResponse("Versions, newest first", VersionListSchema),
        ...problemResponses(401, 403),
      },
    }),
    authenticateAdmin,
    validate("param", JurisdictionParams),
    async (c) => c.json({ data: await listVersions(c.get("services").db(), c.req.valid("param").ocdId) }),
  );
}
