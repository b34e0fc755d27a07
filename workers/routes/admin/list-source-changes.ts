/**
 * GET /v1/admin/source-changes?jurisdiction=&status= — proposed dataset source changes,
 * newest first (what waits for a second admin). Platform admins (prep_admin_ keys) only.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { listSourceChanges } from "../../../db/source-changes";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { SourceChangeListQuery, SourceChangeSchema } from "./schemas";

export function registerListSourceChanges(app: App): void {
  app.get(
    "/v1/admin/source-changes",
    describeRoute({
      tags: ["Admin"],
      summary: "List proposed source changes",
      responses: {
        200: jsonResponse("Source changes, newest first", v.object({ data: v.array(SourceChangeSchema) })),
        ...problemResponses(401, 403, 422),
      },
    }),
    authenticateAdmin,
    validate("query", SourceChangeListQuery),
    async (c) => c.json({ data: await listSourceChanges(c.get("services").db(), c.req.valid("query")) }),
  );
}
