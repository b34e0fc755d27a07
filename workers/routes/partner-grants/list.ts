/**
 * GET /v1/partner-grants — the partners linked to the tenant (invited, active and revoked),
 * newest first, for its owners (the web app's Partners page). Signed-in owners only.
 */
import { describeRoute } from "hono-openapi";
import { withTenantRead } from "../../../db/client";
import { listTenantGrants } from "../../../db/partners";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { listOf } from "../../http/schemas";
import { authenticate } from "../../middleware/auth";
import { requireOwnerTo } from "../../middleware/owner";
import type { App } from "../index";
import { OwnerGrantSchema } from "./schemas";

export const requirePartnerOwner = requireOwnerTo("see, approve or revoke partners' access");

export function registerListPartnerGrants(app: App): void {
  app.get(
    "/v1/partner-grants",
    describeRoute({
      tags: ["Partners (owners)"],
      summary: "Partners linked to this business and what each may do",
      responses: {
        200: jsonResponse("Every grant", listOf(OwnerGrantSchema)),
        ...problemResponses(401, 403),
      },
    }),
    authenticate,
    requirePartnerOwner,
    async (c) => {
      const principal = c.get("principal");
      const data = await withTenantRead(c.get("services").db(), principal.tenantId, listTenantGrants);
      return c.json({ data });
    },
  );
}
