/**
 * GET /v1/checks/{id} — a past check, exactly as it was answered. Scope `checks:read`
 * (or `checks:write`). Another tenant's check is a 404.
 */
import { describeRoute } from "hono-openapi";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireAnyScope } from "../../middleware/auth";
import { canTouchFacility } from "../../middleware/locations";
import type { App } from "../index";
import { CheckIdParams, CheckResultSchema } from "./schemas";

export function registerGetCheck(app: App): void {
  app.get(
    "/v1/checks/:id",
    describeRoute({
      tags: ["Checks"],
      summary: "Get a past check",
      responses: {
        200: jsonResponse("The check as answered", CheckResultSchema),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticate,
    requireAnyScope("checks:read", "checks:write"),
    validate("param", CheckIdParams),
    async (c) => {
      const principal = c.get("principal");
      const { id } = c.req.valid("param");
      const record = await c.get("services").meters(principal.tenantId).findCheck(id);
      // A manager sees checks of their own locations only (and ad-hoc checks).
      if (!record || (record.facilityId && !canTouchFacility(principal, record.facilityId)))
        throw notFound(`Check ${id}`);
      return c.json(record.result);
    },
  );
}
