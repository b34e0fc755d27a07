/**
 * POST /v1/alerts/{id}/ack — acknowledge an alert; answers the alert with who acknowledged
 * it and when. Scope `alerts:write`; a manager only for their locations' alerts (others: 404).
 */
import { describeRoute } from "hono-openapi";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { recordProductEvent } from "../../services/analytics";
import type { App } from "../index";
import { AlertIdParams, AlertSchema } from "./schemas";
import { visibleFacilities } from "./shared";

export function registerAcknowledgeAlert(app: App): void {
  app.post(
    "/v1/alerts/:id/ack",
    describeRoute({
      tags: ["Alerts"],
      summary: "Acknowledge an alert",
      responses: {
        200: jsonResponse("The acknowledged alert", AlertSchema),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticate,
    requireScope("alerts:write"),
    validate("param", AlertIdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const principal = c.get("principal");
      const services = c.get("services");
      const tenant = services.tenant(principal.tenantId);
      const alert = await tenant.acknowledgeAlert(id, principal.actorId, visibleFacilities(principal));
      if (!alert) throw notFound(`Alert ${id}`);
      // Queued after the response: acknowledging never waits on Postgres. The first
      // acknowledgement's time counts; acknowledging again is the same occurrence.
      const acknowledgedAt = alert.acknowledgedAt ?? new Date().toISOString();
      recordProductEvent(services, c.env, {
        event: "Alert Acknowledged",
        tenantId: principal.tenantId,
        userId: principal.userId,
        properties: {
          status: alert.status,
          ageHours: Math.round((Date.parse(acknowledgedAt) - Date.parse(alert.detectedAt)) / 36e5),
        },
        messageId: `Alert Acknowledged:${alert.id}`,
        occurredAt: acknowledgedAt,
      });
      return c.json(alert);
    },
  );
}
