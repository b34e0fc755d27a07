/**
 * GET /v1/exports/{id}/files/{name} — one file of a ready export, streamed from R2 with its
 * SHA-256 in `x-content-sha256`. Scope `exports:read`. The R2 key is built from the caller's
 * tenant and a file the export's row lists, so no path reaches another tenant's objects.
 */
import { describeRoute } from "hono-openapi";
import { problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { fileResponse } from "./files";
import { ExportFileParams } from "./schemas";
import { loadExport } from "./shared";

export function registerDownloadExportFile(app: App): void {
  app.get(
    "/v1/exports/:id/files/:name{.+}",
    describeRoute({
      tags: ["Evidence"],
      summary: "Download a file of an export",
      responses: {
        200: { description: "The file (JSON, PDF, manifest or signature)" },
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticate,
    requireScope("exports:read"),
    validate("param", ExportFileParams),
    async (c) => {
      const { id, name } = c.req.valid("param");
      const row = await loadExport(c, id);
      const response = await fileResponse(c.env.EVIDENCE_BUCKET, c.get("principal").tenantId, row, name);
      if (!response) throw notFound(`File ${name} of export ${id}`);
      return response;
    },
  );
}
