/**
 * POST /v1/partner-grants/:id/consent — an owner consents to a partner's invited grant (the
 * partner onboarded the business); DELETE /v1/partner-grants/:id — an owner revokes a grant,
 * effective at the partner's next request (the partner API reads grants on every call).
 * Signed-in owners only; both audited.
 */
import type { Context } from "hono";
import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import type { Tx } from "../../../db/client";
import { withTenant } from "../../../db/client";
import { consentToGrant, type Grant, revokeGrant } from "../../../db/partners";
import { enqueueProductEvents } from "../../../runtime/analytics-outbox";
import type { AppEnv } from "../../context";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate } from "../../middleware/auth";
import { drainAnalyticsSoon, partnerLinkedEvent } from "../../services/analytics";
import { mirrorEndpointsForGrant, unmirrorGrant } from "../../services/partner-webhooks";
import type { Services } from "../../services/services";
import type { App } from "../index";
import { requirePartnerOwner } from "./list";
import { GrantIdParams, GrantSchema } from "./schemas";

/** One decision: `change` the grant as the owner and audit it; 404 when it is not in a state to change. */
async function decide(
  c: Context<AppEnv>,
  id: string,
  action: string,
  change: (tx: Tx, id: string, userId: string) => Promise<Grant | null>,
  /** The grant's webhook mirrors follow it (services/partner-webhooks.ts). */
  after: (services: Services, grant: Grant) => Promise<void>,
) {
  const principal = c.get("principal");
  const userId = principal.userId ?? principal.actorId;
  const grant = await withTenant(c.get("services").db(), principal.tenantId, async (tx) => {
    const changed = await change(tx, id, userId);
    if (changed)
      await recordAudit(tx, {
        tenantId: principal.tenantId,
        actor: userId,
        action,
        target: changed.id,
        detail: { partnerId: changed.partnerId, scopes: changed.scopes },
      });
    // Product analytics, committed with the consent it records.
    if (changed?.status === "active") await enqueueProductEvents(tx, [partnerLinkedEvent(changed, userId)]);
    return changed;
  });
  if (!grant) throw notFound("A grant in a state to change with this id");
  await after(c.get("services"), grant);
  if (grant.status === "active") drainAnalyticsSoon(c.get("services"), c.env);
  return c.json(grant);
}

export function registerDecidePartnerGrant(app: App): void {
  app.post(
    "/v1/partner-grants/:id/consent",
    describeRoute({
      tags: ["Partners (owners)"],
      summary: "Consent to a partner's invited grant",
      responses: {
        200: jsonResponse("The active grant", GrantSchema),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticate,
    requirePartnerOwner,
    validate("param", GrantIdParams),
    (c) =>
      decide(c, c.req.valid("param").id, "partner_grant.consented", consentToGrant, mirrorEndpointsForGrant),
  );
  app.delete(
    "/v1/partner-grants/:id",
    describeRoute({
      tags: ["Partners (owners)"],
      summary: "Revoke a partner's grant (effective at its next request)",
      responses: {
        200: jsonResponse("The revoked grant", GrantSchema),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticate,
    requirePartnerOwner,
    validate("param", GrantIdParams),
    (c) =>
      decide(c, c.req.valid("param").id, "partner_grant.revoked", revokeGrant, (services, grant) =>
        unmirrorGrant(services, grant.id),
      ),
  );
}
