/**
 * GET /v1/admin/dead-letters — tenants holding dead letters, with counts (platform admins).
 * Dead letters are checks Postgres refused (SQLSTATE class 22/23), set aside by the tenant
 * object's outbox so they block nothing; each object reports its count to a registry object.
 * Procedure: RUNBOOK.md, "Dead letters".
 */
import { describeRoute } from "hono-openapi";
import { DEAD_LETTER_REGISTRY } from "../../../durable-objects/contract";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { DeadLetterSummarySchema } from "./schemas";

export function registerDeadLetterSummary(app: App): void {
  app.get(
    "/v1/admin/dead-letters",
    describeRoute({
      tags: ["Admin"],
      summary: "Tenants holding dead letters",
      responses: {
        200: jsonResponse("Dead letters across the platform", DeadLetterSummarySchema),
        ...problemResponses(401, 403),
      },
    }),
    authenticateAdmin,
    async (c) => {
      const registry = c.env.TENANT.get(c.env.TENANT.idFromName(DEAD_LETTER_REGISTRY));
      return c.json(await registry.deadLetterSummary());
    },
  );
}
