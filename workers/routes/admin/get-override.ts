/**
 * GET /v1/admin/overrides/{id} — one manual override with its status and decisions.
 * Platform admins (prep_admin_ keys) only.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { getOverride } from "../../../db/overrides";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { OverrideIdParams } from "./schemas";

export function registerGetOverride(app: App): void {
  app.get(
    "/v1/admin/overrides/:id",
    describeRoute({
      tags: ["Admin"],
      summary: "An override",
      responses: { 200: jsonResponse("The override", v.unknown()), ...problemResponses(401, 403, 404) },
    }),
    authenticateAdmin,
    validate("param", OverrideIdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const override = await getOverride(c.get("services").db(), id);
      if (!override) throw notFound(`Override ${id}`);
      return c.json(override);
    },
  );
}
