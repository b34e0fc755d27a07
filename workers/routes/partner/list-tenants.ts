/**
 * GET /v1/partner/tenants — the businesses linked to the partner (live grants, newest first):
 * invited ones show only that they are pending; active ones their name and granted scopes.
 * Token scope `tenants:read`.
 */
import { describeRoute } from "hono-openapi";
import { withTenantRead } from "../../../db/client";
import { listLiveGrants } from "../../../db/partners";
import { loadTenantName } from "../../../db/tenants";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { validate } from "../../http/validation";
import { authenticatePartner, requirePartnerScope } from "../../middleware/partner-auth";
import type { App } from "../index";
import { PartnerTenantPageSchema, PartnerTenantsQuery } from "./schemas";

export function registerListPartnerTenants(app: App): void {
  app.get(
    "/v1/partner/tenants",
    describeRoute({
      tags: ["Partner API"],
      summary: "The businesses linked to this partner, and whether each has consented",
      security: [{ partnerOAuth: ["tenants:read"] }],
      responses: {
        200: jsonResponse("One page of linked tenants", PartnerTenantPageSchema),
        ...problemResponses(401, 403, 422, 429),
      },
    }),
    authenticatePartner,
    requirePartnerScope("tenants:read"),
    validate("query", PartnerTenantsQuery),
    async (c) => {
      const { limit, cursor } = c.req.valid("query");
      const partner = c.get("partner");
      const db = c.get("services").db();
      const grants = await listLiveGrants(db, partner.partnerId, { limit: limit + 1, cursor });
      const page = grants.slice(0, limit);
      const data = [];
      for (const grant of page) {
        // A tenant the partner did not create stays nameless until its owner consents.
        const visible = grant.status === "active" || grant.origin === "onboarded";
        const name = visible
          ? await withTenantRead(db, grant.tenantId, (tx) => loadTenantName(tx, grant.tenantId))
          : null;
        data.push({
          id: grant.tenantId,
          name,
          status: grant.status as "invited" | "active",
          grantId: grant.id,
          scopes: grant.scopes,
          linkedAt: grant.createdAt,
          consentedAt: grant.consentedAt,
        });
      }
      return c.json({ data, nextCursor: grants.length > limit ? (page.at(-1)?.id ?? null) : null });
    },
  );
}
