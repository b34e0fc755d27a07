/**
 * GET /v1/exports/schedule — the tenant's scheduled exports (monthly or quarterly), 404 when
 * there is none. Scope `exports:read`.
 */
import { describeRoute } from "hono-openapi";
import { withTenantRead } from "../../../db/client";
import { getSchedule } from "../../../db/evidence";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { ScheduleSchema } from "./schemas";

export function registerGetExportSchedule(app: App): void {
  app.get(
    "/v1/exports/schedule",
    describeRoute({
      tags: ["Evidence"],
      summary: "The export schedule",
      responses: { 200: jsonResponse("The schedule", ScheduleSchema), ...problemResponses(401, 403, 404) },
    }),
    authenticate,
    requireScope("exports:read"),
    async (c) => {
      const schedule = await withTenantRead(c.get("services").db(), c.get("principal").tenantId, getSchedule);
      if (!schedule) throw notFound("An export schedule");
      return c.json(schedule);
    },
  );
}
