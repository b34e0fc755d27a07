/**
 * GET /v1/invites — the team's pending invites. Scope `team:write` (owners and admins).
 */
import { describeRoute } from "hono-openapi";
import { withTenant } from "../../../db/client";
import { listPendingInvites } from "../../../db/invites";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { listOf } from "../../http/schemas";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { InviteSchema } from "./schemas";

export function registerListInvites(app: App): void {
  app.get(
    "/v1/invites",
    describeRoute({
      tags: ["Team"],
      summary: "List pending invites",
      responses: {
        200: jsonResponse("Pending invites", listOf(InviteSchema)),
        ...problemResponses(401, 403),
      },
    }),
    authenticate,
    requireScope("team:write"),
    async (c) => {
      const data = await withTenant(c.get("services").db(), c.get("principal").tenantId, listPendingInvites);
      return c.json({ data });
    },
  );
}
