/**
 * POST /v1/alerts/{id}/ack — acknowledge an alert; answers the alert with who acknowledged
 * it and when. Scope `alerts:write`; a manager only for their locations' alerts (others: 404).
 */
import { describeRoute } from "hono-openapi";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
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
      const tenant = c.get("services").tenant(principal.tenantId);
      const alert = await tenant.acknowledgeAlert(id, principal.actorId, visibleFacilities(principal));
      if (!alert) throw notFound(`Alert ${id}`);
      return c.json(alert);
    },
  );
}
