/**
 * PUT /v1/admin/datasets/{ocdId}/source — propose where a dataset is refreshed from (an https
 * URL or `bundled:<ocd id>`) and whether that source is trusted. Nothing changes yet: the
 * answer is a pending source change (202) that a different platform admin approves
 * (POST /v1/admin/source-changes/{id}/approve), since a trusted source reaches every tenant
 * without review. Platform admins (prep_admin_ keys) only.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { storableString } from "../../../compliance";
import { proposeSourceChange } from "../../../db/source-changes";
import { isAllowedSourceUrl } from "../../../pipeline/sources";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { json, validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { JurisdictionParams, SourceChangeSchema } from "./schemas";

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
      summary: "Propose a dataset's source (a second admin approves it)",
      requestBody: jsonRequestBody(SourceSchema),
      responses: {
        202: jsonResponse("The pending source change", SourceChangeSchema),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticateAdmin,
    validate("param", JurisdictionParams),
    ...json(SourceSchema),
    async (c) => {
      const { ocdId } = c.req.valid("param");
      const change = await proposeSourceChange(
        c.get("services").db(),
        ocdId,
        c.req.valid("json"),
        c.get("admin").adminId,
      );
      if (!change) throw notFound(`Dataset ${ocdId}`);
      return c.json(change, 202, { location: `/v1/admin/source-changes/${change.id}` });
    },
  );
}
