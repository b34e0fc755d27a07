/**
 * GET /v1/admin/overrides?jurisdiction=&status= — manual overrides, newest first. Platform
 * admins (prep_admin_ keys) only.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { listOverrides } from "../../../db/overrides";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { OverrideListQuery } from "./schemas";

export function registerListOverrides(app: App): void {
  app.get(
    "/v1/admin/overrides",
    describeRoute({
      tags: ["Admin"],
      summary: "List overrides",
      responses: {
        200: jsonResponse("Overrides, newest first", v.object({ data: v.array(v.unknown()) })),
        ...problemResponses(401, 403, 422),
      },
    }),
    authenticateAdmin,
    validate("query", OverrideListQuery),
    async (c) => c.json({ data: await listOverrides(c.get("services").db(), c.req.valid("query")) }),
  );
}
