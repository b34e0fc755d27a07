/**
 * GET /v1/exports/{id}/bundle.zip — every file of a ready export as one zip (a folder named
 * after the export), streamed from R2; `prep evidence verify` reads it as it is. Scope
 * `exports:read`. 409 while the export is not ready; 422 beyond MAX_ZIP_FILES files.
 */
import { describeRoute } from "hono-openapi";
import { problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { zipRefusal, zipResponse } from "./files";
import { ExportIdParams } from "./schemas";
import { exportNotReady, loadExport } from "./shared";

export function registerDownloadExportZip(app: App): void {
  app.get(
    "/v1/exports/:id/bundle.zip",
    describeRoute({
      tags: ["Evidence"],
      summary: "Download a whole export as one zip",
      responses: {
        200: { description: "application/zip: every file of the export under one folder" },
        ...problemResponses(401, 403, 404, 409, 422),
      },
    }),
    authenticate,
    requireScope("exports:read"),
    validate("param", ExportIdParams),
    async (c) => {
      const row = await loadExport(c, c.req.valid("param").id);
      const refusal = zipRefusal(row);
      if (refusal)
        throw new Problem({
          status: 422,
          code: "export_too_large_for_zip",
          title: "Too many files for one zip",
          detail: refusal,
        });
      const response = zipResponse(c.env.EVIDENCE_BUCKET, c.get("principal").tenantId, row);
      if (!response) throw exportNotReady(row, "download its zip");
      return response;
    },
  );
}
