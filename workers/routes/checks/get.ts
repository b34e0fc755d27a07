/**
 * GET /v1/checks/{id} — a past check, with the findings it was answered with (all of them with
 * `?include=not_applicable`). Scope `checks:read` (or `checks:write`). Another tenant's check
 * is a 404.
 */
import { describeRoute } from "hono-openapi";
import { checkResultJson } from "../../../durable-objects/contract";
import { findingsView } from "../../http/findings-view";
import { jsonText } from "../../http/json-text";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireAnyScope } from "../../middleware/auth";
import { canTouchFacility } from "../../middleware/locations";
import type { App } from "../index";
import { CheckIdParams, CheckResultSchema, FindingsQuery } from "./schemas";

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
    validate("query", FindingsQuery),
    async (c) => {
      const principal = c.get("principal");
      const { id } = c.req.valid("param");
      const record = await c.get("services").meters(principal.tenantId).findCheck(id);
      // A manager sees checks of their own locations only (and ad-hoc checks).
      if (!record || (record.facilityId && !canTouchFacility(principal, record.facilityId)))
        throw notFound(`Check ${id}`);
      return jsonText(c, checkResultJson(record.result, findingsView(c.req.valid("query"))));
    },
  );
}
