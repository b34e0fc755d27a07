/**
 * POST /v1/partner/tenants — a partner onboards a food business: creates its tenant (a
 * 14-day trial), invites its owner by email (the team invite flow: the owner accepts, signs
 * in, then consents in the web app) and holds an `invited` grant for the scopes its token
 * carries among those an owner can grant. Until the owner consents the partner sees only that
 * the invitation is pending. Token scope `tenants:write`.
 */
import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import { createInvite } from "../../../db/invites";
import { findClient, GRANT_SCOPES, insertInvitedGrant } from "../../../db/partners";
import { withNewTenant } from "../../../db/tenants";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { json } from "../../http/validation";
import { authenticatePartner, requirePartnerScope } from "../../middleware/partner-auth";
import { partnerInviteMail } from "../../services/mail/messages";
import type { App } from "../index";
import { OnboardedTenantSchema, OnboardTenantSchema } from "./schemas";

export function registerOnboardTenant(app: App): void {
  app.post(
    "/v1/partner/tenants",
    describeRoute({
      tags: ["Partner API"],
      summary: "Onboard a food business: create its tenant and invite its owner",
      security: [{ partnerOAuth: ["tenants:write"] }],
      requestBody: jsonRequestBody(OnboardTenantSchema),
      responses: {
        201: jsonResponse("The tenant, invited (its owner has not consented yet)", OnboardedTenantSchema),
        ...problemResponses(401, 403, 415, 422, 429),
      },
    }),
    authenticatePartner,
    requirePartnerScope("tenants:write"),
    ...json(OnboardTenantSchema),
    async (c) => {
      const body = c.req.valid("json");
      const partner = c.get("partner");
      const services = c.get("services");
      const db = services.db();
      const partnerName = (await findClient(db, partner.clientId))?.partnerName ?? "A Prep partner";
      const scopes = GRANT_SCOPES.filter((scope) => partner.scopes.has(scope));
      const states = body.states ? [...new Set(body.states)] : [];
      const created = await withNewTenant(
        db,
        { name: body.name, actor: partner.partnerId },
        async (tx, tenantId) => {
          const { invite, token } = await createInvite(tx, {
            tenantId,
            email: body.ownerEmail,
            role: "owner",
            facilityIds: [],
            groupIds: [],
            createdBy: partner.partnerId,
          });
          const grant = await insertInvitedGrant(tx, { partnerId: partner.partnerId, tenantId, scopes });
          await recordAudit(tx, {
            tenantId,
            actor: partner.partnerId,
            action: "partner_grant.invited",
            target: grant.id,
            detail: { partnerName, scopes, ownerEmail: body.ownerEmail, inviteId: invite.id, states },
          });
          return { result: { grant, token }, detail: { partnerId: partner.partnerId, states } };
        },
      );
      const url = `${new URL(c.req.url).origin}/accept-invite#token=${created.token}`;
      services.sendLater(partnerInviteMail(body.ownerEmail, body.name, partnerName, url));
      const { grant } = created;
      return c.json(
        {
          id: grant.tenantId,
          name: body.name,
          status: "invited" as const,
          grantId: grant.id,
          scopes: grant.scopes,
          linkedAt: grant.createdAt,
          consentedAt: null,
          ownerEmail: body.ownerEmail,
          states,
          invitationSent: true as const,
        },
        201,
      );
    },
  );
}
