/**
 * Partner webhooks (issue 21 item 4, ADR 0023) through the tenant objects' own notification
 * pipeline: a partner's endpoint is mirrored, with the partner's one secret, into every
 * business whose active grant holds `tenants:read`. The objects then deliver their
 * `facility.status_changed` events to it as to any endpoint of theirs — signed per Standard
 * Webhooks, retried, SSRF-guarded, logged. Mirrors follow the grants: made when an endpoint is
 * registered or a grant becomes active, removed when either goes (a revoked grant's pending
 * deliveries are canceled with the mirror).
 */
import { and, eq } from "drizzle-orm";
import { asPlatform } from "../../db/client";
import type { Grant } from "../../db/partners";
import { partnerGrants, partnerWebhookMirrors, partnerWebhooks } from "../../db/schema";
import type { EventType } from "../../notifications/events";
import type { Services } from "./services";

type PartnerWebhook = typeof partnerWebhooks.$inferSelect;

const sees = (grant: Pick<Grant, "status" | "scopes">) =>
  grant.status === "active" && grant.scopes.includes("tenants:read");

async function mirror(services: Services, endpoint: PartnerWebhook, grant: Pick<Grant, "id" | "tenantId">) {
  // A grant consented again (a second code exchange) keeps its one mirror per endpoint.
  const [existing] = await asPlatform(services.db(), (tx) =>
    tx
      .select({ id: partnerWebhookMirrors.endpointId })
      .from(partnerWebhookMirrors)
      .where(
        and(
          eq(partnerWebhookMirrors.partnerWebhookId, endpoint.id),
          eq(partnerWebhookMirrors.tenantId, grant.tenantId),
        ),
      ),
  );
  if (existing) return;
  const { endpoint: made } = await services.tenant(grant.tenantId).createWebhook(
    {
      url: endpoint.url,
      events: endpoint.events as EventType[],
      description: `Partner endpoint ${endpoint.id} (managed by partner grant ${grant.id})`,
    },
    undefined,
    endpoint.secret,
  );
  await asPlatform(services.db(), (tx) =>
    tx
      .insert(partnerWebhookMirrors)
      .values({
        partnerWebhookId: endpoint.id,
        tenantId: grant.tenantId,
        grantId: grant.id,
        endpointId: made.id,
      })
      .onConflictDoNothing(),
  );
}

/** A new endpoint reaches every business the partner sees now. */
export async function mirrorNewEndpoint(services: Services, endpoint: PartnerWebhook): Promise<void> {
  const grants = await asPlatform(services.db(), (tx) =>
    tx
      .select({
        id: partnerGrants.id,
        tenantId: partnerGrants.tenantId,
        status: partnerGrants.status,
        scopes: partnerGrants.scopes,
      })
      .from(partnerGrants)
      .where(and(eq(partnerGrants.partnerId, endpoint.partnerId), eq(partnerGrants.status, "active"))),
  );
  for (const grant of grants)
    if (sees({ ...grant, scopes: grant.scopes as Grant["scopes"] })) await mirror(services, endpoint, grant);
}

/** A grant that became active: the partner's endpoints reach this business too. */
export async function mirrorEndpointsForGrant(services: Services, grant: Grant): Promise<void> {
  if (!sees(grant)) return;
  const endpoints = await asPlatform(services.db(), (tx) =>
    tx.select().from(partnerWebhooks).where(eq(partnerWebhooks.partnerId, grant.partnerId)),
  );
  for (const endpoint of endpoints) await mirror(services, endpoint, grant);
}

/** Removes mirrors (of a revoked grant, or of a deleted endpoint) from their tenant objects. */
async function unmirror(services: Services, where: ReturnType<typeof eq>): Promise<void> {
  const mirrors = await asPlatform(services.db(), (tx) =>
    tx.delete(partnerWebhookMirrors).where(where).returning(),
  );
  for (const row of mirrors) await services.tenant(row.tenantId).deleteWebhook(row.endpointId);
}

export const unmirrorGrant = (services: Services, grantId: string) =>
  unmirror(services, eq(partnerWebhookMirrors.grantId, grantId));

export const unmirrorEndpoint = (services: Services, endpointId: string) =>
  unmirror(services, eq(partnerWebhookMirrors.partnerWebhookId, endpointId));
