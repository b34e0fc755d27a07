/**
 * POST /v1/admin/overrides — propose a manual override (a rule change that must not wait for
 * the refresh); it stays pending until a second operator decides. Validated against what
 * checks would see: the active dataset with the overrides already approved. Platform admins
 * (prep_admin_ keys) only.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { applyOverrides } from "../../../compliance/index";
import { loadActiveDatasets } from "../../../db/datasets";
import { createOverride, loadApprovedOverrides } from "../../../db/overrides";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { validationFailed } from "../../http/problem";
import { json } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { CreateOverrideSchema, today } from "./schemas";

export function registerCreateOverride(app: App): void {
  app.post(
    "/v1/admin/overrides",
    describeRoute({
      tags: ["Admin"],
      summary: "Propose a manual override",
      requestBody: jsonRequestBody(CreateOverrideSchema),
      responses: {
        201: jsonResponse("The pending override", v.unknown()),
        ...problemResponses(401, 403, 422),
      },
    }),
    authenticateAdmin,
    ...json(CreateOverrideSchema),
    async (c) => {
      const body = c.req.valid("json");
      const db = c.get("services").db();
      const input = { ...body, effectiveFrom: body.effectiveFrom ?? today() };
      // Validate against what checks would see: the active version with the overrides already approved.
      const [active, approved] = await Promise.all([loadActiveDatasets(db), loadApprovedOverrides(db)]);
      const dataset = active.find((a) => a.jurisdiction === input.jurisdiction)?.content;
      if (!dataset)
        throw validationFailed([
          { pointer: "/jurisdiction", detail: `no active dataset for ${input.jurisdiction}` },
        ]);
      const candidate = { id: "ovr_candidate", ...input };
      const applied = applyOverrides(dataset, [...(approved.get(input.jurisdiction) ?? []), candidate]);
      if (!applied.ok) {
        throw validationFailed(
          applied.problems.map((p) => ({ pointer: "/rule", detail: `${p.pointer}: ${p.message}` })),
          "The override would make the dataset invalid; see errors[].",
        );
      }
      const created = await createOverride(db, input, c.get("admin").adminId);
      return c.json(created, 201, { location: `/v1/admin/overrides/${created.id}` });
    },
  );
}
