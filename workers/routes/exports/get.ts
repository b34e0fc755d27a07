/**
 * GET /v1/exports/{id} — an export's status and progress and, once ready, its files (name,
 * content type, size, SHA-256, and a URL that downloads with the same credentials).
 * Scope `exports:read`; another tenant's export is 404.
 */
import { describeRoute } from "hono-openapi";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { ExportIdParams, ExportSchema } from "./schemas";
import { exportView, loadExport } from "./shared";

export function registerGetExport(app: App): void {
  app.get(
    "/v1/exports/:id",
    describeRoute({
      tags: ["Evidence"],
      summary: "An evidence export: status, progress, files",
      responses: { 200: jsonResponse("The export", ExportSchema), ...problemResponses(401, 403, 404, 422) },
    }),
    authenticate,
    requireScope("exports:read"),
    validate("param", ExportIdParams),
    async (c) => c.json(exportView(c, await loadExport(c, c.req.valid("param").id))),
  );
}
