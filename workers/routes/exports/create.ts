/**
 * POST /v1/exports — ask for an evidence export of some locations (or all) over a period
 * (default: the 30 days ending today, UTC). Answers 202 with the export queued; the tenant
 * object's alarm builds it into R2 (docs/evidence.md). Scope `exports:write`; the plan must
 * include `evidence_exports`. Every named facility must be the tenant's (else 422, naming it).
 */
import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { createExport } from "../../../db/evidence";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { json } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { CreateExportSchema, ExportSchema } from "./schemas";
import { exportView, requireExportsEntitlement, requireKnownFacilities, startExport } from "./shared";

const DEFAULT_DAYS = 30;

export function registerCreateExport(app: App): void {
  app.post(
    "/v1/exports",
    describeRoute({
      tags: ["Evidence"],
      summary: "Start an evidence export (signed JSON + PDF, built in the background)",
      requestBody: jsonRequestBody(CreateExportSchema),
      responses: {
        202: jsonResponse("The export, queued", ExportSchema),
        ...problemResponses(401, 402, 403, 415, 422, 503),
      },
    }),
    authenticate,
    requireScope("exports:write"),
    ...json(CreateExportSchema),
    async (c) => {
      const body = c.req.valid("json");
      const principal = c.get("principal");
      const services = c.get("services");
      await requireExportsEntitlement(services, principal.tenantId);
      const to = body.to ?? new Date().toISOString().slice(0, 10);
      const from =
        body.from ??
        new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
      const row = await withTenant(services.db(), principal.tenantId, async (tx) => {
        const facilityIds = await requireKnownFacilities(tx, body.facilityIds ?? null);
        const created = await createExport(tx, {
          tenantId: principal.tenantId,
          trigger: "manual",
          facilityIds,
          allFacilities: !body.facilityIds,
          from,
          to,
          createdBy: principal.actorId,
        });
        await recordAudit(tx, {
          tenantId: principal.tenantId,
          actor: principal.actorId,
          action: "evidence_export.created",
          target: created.id,
          detail: { from, to, locations: facilityIds.length, allFacilities: !body.facilityIds },
        });
        return created;
      });
      await startExport(services, row, principal.tenantId);
      return c.json(exportView(c, row), 202);
    },
  );
}
