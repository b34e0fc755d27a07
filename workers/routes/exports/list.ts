/**
 * GET /v1/exports — the tenant's evidence exports, newest first, with cursor pagination.
 * Scope `exports:read`.
 */
import { describeRoute } from "hono-openapi";
import { withTenantRead } from "../../../db/client";
import { listExports } from "../../../db/evidence";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { pageOf } from "../../http/schemas";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { ExportListQuery, ExportSchema } from "./schemas";
import { exportView } from "./shared";

export function registerListExports(app: App): void {
  app.get(
    "/v1/exports",
    describeRoute({
      tags: ["Evidence"],
      summary: "List evidence exports",
      responses: {
        200: jsonResponse("A page of exports, newest first", pageOf(ExportSchema)),
        ...problemResponses(401, 403, 422),
      },
    }),
    authenticate,
    requireScope("exports:read"),
    validate("query", ExportListQuery),
    async (c) => {
      const query = c.req.valid("query");
      const page = await withTenantRead(c.get("services").db(), c.get("principal").tenantId, (tx) =>
        listExports(tx, { cursor: query.cursor, limit: Number(query.limit) }),
      );
      return c.json({ data: page.data.map((row) => exportView(c, row)), nextCursor: page.nextCursor });
    },
  );
}
