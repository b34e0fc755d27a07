/**
 * PUT /v1/admin/datasets/{ocdId}/source — where a dataset is refreshed from (an https URL or
 * `bundled:<ocd id>`) and whether that source is trusted. Platform admins (prep_admin_ keys)
 * only.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { storableString } from "../../../compliance";
import { configureSource } from "../../../db/datasets";
import { isAllowedSourceUrl } from "../../../pipeline/sources";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { json, validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { JurisdictionParams } from "./schemas";

/** Here rather than in schemas.ts: the URL rule lives in pipeline/sources.ts. */
const SourceSchema = v.object({
  sourceUrl: v.pipe(
    storableString(),
    v.check(isAllowedSourceUrl, "must be an https URL or bundled:<ocd id>"),
  ),
  trusted: v.boolean(),
});

export function registerConfigureDatasetSource(app: App): void {
  app.put(
    "/v1/admin/datasets/:ocdId{.+}/source",
    describeRoute({
      tags: ["Admin"],
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
}
