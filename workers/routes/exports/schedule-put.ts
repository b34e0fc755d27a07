/**
 * PUT /v1/exports/schedule — export every month (or quarter) once it closes: the hourly job
 * queues an export of the closed period (pipeline/evidence-schedule.ts) and emails the
 * tenant's owners and admins when it is ready. `facilityIds` null or absent = every location
 * at the time of each run. Scope `exports:write`; the plan must include `evidence_exports`.
 */
import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { putSchedule } from "../../../db/evidence";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { json } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { PutScheduleSchema, ScheduleSchema } from "./schemas";
import { requireExportsEntitlement, requireKnownFacilities } from "./shared";

export function registerPutExportSchedule(app: App): void {
  app.put(
    "/v1/exports/schedule",
    describeRoute({
      tags: ["Evidence"],
      summary: "Set the export schedule (monthly or quarterly)",
      requestBody: jsonRequestBody(PutScheduleSchema),
      responses: {
        200: jsonResponse("The schedule", ScheduleSchema),
        ...problemResponses(401, 402, 403, 415, 422),
      },
    }),
    authenticate,
    requireScope("exports:write"),
    ...json(PutScheduleSchema),
    async (c) => {
      const body = c.req.valid("json");
      const principal = c.get("principal");
      const services = c.get("services");
      await requireExportsEntitlement(services, principal.tenantId);
      const schedule = await withTenant(services.db(), principal.tenantId, async (tx) => {
        if (body.facilityIds) await requireKnownFacilities(tx, body.facilityIds);
        const saved = await putSchedule(tx, {
          tenantId: principal.tenantId,
          cadence: body.cadence,
          facilityIds: body.facilityIds ?? null,
          createdBy: principal.actorId,
        });
        await recordAudit(tx, {
          tenantId: principal.tenantId,
          actor: principal.actorId,
          action: "evidence_schedule.set",
          detail: { cadence: body.cadence, facilityIds: body.facilityIds ?? null },
        });
        return saved;
      });
      return c.json(schedule);
    },
  );
}
