/**
 * Partners (issue 21, ADR 0023): kitchen marketplaces and other platforms acting for food
 * businesses. A partner has OAuth clients (client id + a secret shown once, stored as SHA-256,
 * rotated with an overlap) and, per tenant, at most one live grant: `invited` when the partner
 * onboarded the business and its owner has not consented yet, `active` once consented (the
 * grant's scopes apply), `revoked` when an owner withdrew it.
 *
 * Partners and clients are platform data (prep_platform). Grants and authorization codes
 * belong to a tenant (row-level security for prep_app: owners list, consent and revoke theirs)
 * and are also read by the partner API as prep_platform, before the tenant is known.
 */
import { and, desc, eq, inArray, isNull, lt, ne, sql } from "drizzle-orm";
import { hashApiKey, timingSafeEqualHex } from "./api-keys";
import { asPlatform, type Database, type Tx } from "./client";
import { newId } from "./ids";
import { recordPlatformAudit } from "./platform-audit";
import { partnerAuthorizationCodes, partnerClients, partnerGrants, partners } from "./schema";

/**
 * What a partner's access token may carry. `tenants:write` onboards businesses; the others
 * also need the tenant's grant to hold them (GRANT_SCOPES), except `webhooks:write`, which
 * manages the partner's own endpoints.
 */
export const PARTNER_SCOPES = [
  "tenants:write",
  "tenants:read",
  "facilities:write",
  "checks:write",
  "webhooks:write",
] as const;
export type PartnerScope = (typeof PARTNER_SCOPES)[number];

/** What an owner consents to, per tenant: see its locations' statuses, add a location, run checks. */
export const GRANT_SCOPES = ["tenants:read", "facilities:write", "checks:write"] as const;
export type GrantScope = (typeof GRANT_SCOPES)[number];

export const isPartnerScope = (scope: string): scope is PartnerScope =>
  (PARTNER_SCOPES as readonly string[]).includes(scope);
export const isGrantScope = (scope: string): scope is GrantScope =>
  (GRANT_SCOPES as readonly string[]).includes(scope);

/** `pcs_` + 43 base64url characters: 256 random bits. */
const SECRET_PATTERN = /^pcs_[A-Za-z0-9_-]{43}$/;
export const CLIENT_ID_PATTERN = /^pcl_[0-9A-HJKMNP-TV-Z]{26}$/;

function newClientSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const b64 = btoa(String.fromCharCode(...bytes));
  return `pcs_${b64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "")}`;
}

export interface CreatedPartner {
  partnerId: string;
  name: string;
  clientId: string;
  clientSecret: string;
  scopes: PartnerScope[];
  redirectUris: string[];
}

export async function createPartner(
  db: Database,
  input: { name: string; scopes?: readonly PartnerScope[]; redirectUris?: readonly string[] },
  actor: string,
): Promise<CreatedPartner> {
  const partnerId = newId("prt");
  const clientId = newId("pcl");
  const clientSecret = newClientSecret();
  const scopes = [...(input.scopes ?? PARTNER_SCOPES)];
  const redirectUris = [...(input.redirectUris ?? [])];
  await asPlatform(db, async (tx) => {
    await tx.insert(partners).values({ id: partnerId, name: input.name });
    await tx.insert(partnerClients).values({
      id: clientId,
      partnerId,
      secretHash: await hashApiKey(clientSecret),
      scopes,
      redirectUris,
    });
    await recordPlatformAudit(tx, {
      actor,
      action: "partner.created",
      target: partnerId,
      detail: { name: input.name, clientId, scopes, redirectUris },
    });
  });
  return { partnerId, name: input.name, clientId, clientSecret, scopes, redirectUris };
}

/**
 * A new secret for the client; the current one keeps working for `overlapSeconds` (0: at once
 * refused), so the partner can deploy the new one first. Null: no such live client.
 */
export async function rotateClientSecret(
  db: Database,
  clientId: string,
  overlapSeconds: number,
  actor: string,
): Promise<{ clientId: string; clientSecret: string; previousSecretValidUntil: string } | null> {
  const clientSecret = newClientSecret();
  const until = new Date(Date.now() + overlapSeconds * 1000).toISOString();
  return asPlatform(db, async (tx) => {
    const rows = await tx
      .update(partnerClients)
      .set({
        previousSecretHash: sql`${partnerClients.secretHash}`,
        previousSecretExpiresAt: until,
        secretHash: await hashApiKey(clientSecret),
        rotatedAt: sql`now()`,
      })
      .where(and(eq(partnerClients.id, clientId), isNull(partnerClients.revokedAt)))
      .returning({ id: partnerClients.id });
    if (rows.length === 0) return null;
    await recordPlatformAudit(tx, {
      actor,
      action: "partner_client.secret_rotated",
      target: clientId,
      detail: { previousSecretValidUntil: until },
    });
    return { clientId, clientSecret, previousSecretValidUntil: until };
  });
}

/** Revokes a client: its secret is refused at once, its tokens within the standing cache (30 s). */
export async function revokeClient(db: Database, clientId: string, actor: string): Promise<boolean> {
  return asPlatform(db, async (tx) => {
    const rows = await tx
      .update(partnerClients)
      .set({ revokedAt: sql`now()` })
      .where(and(eq(partnerClients.id, clientId), isNull(partnerClients.revokedAt)))
      .returning({ id: partnerClients.id });
    if (rows.length > 0)
      await recordPlatformAudit(tx, { actor, action: "partner_client.revoked", target: clientId });
    return rows.length > 0;
  });
}

export interface StoredClient {
  id: string;
  partnerId: string;
  partnerName: string;
  secretHash: string;
  previousSecretHash: string | null;
  previousSecretExpiresAt: string | null;
  scopes: PartnerScope[];
  redirectUris: string[];
  /** Revoked, or its partner disabled: refused everywhere. */
  usable: boolean;
}

export async function findClient(db: Database, clientId: string): Promise<StoredClient | null> {
  if (!CLIENT_ID_PATTERN.test(clientId)) return null;
  const [row] = await asPlatform(db, (tx) =>
    tx
      .select({
        id: partnerClients.id,
        partnerId: partnerClients.partnerId,
        partnerName: partners.name,
        secretHash: partnerClients.secretHash,
        previousSecretHash: partnerClients.previousSecretHash,
        previousSecretExpiresAt: partnerClients.previousSecretExpiresAt,
        scopes: partnerClients.scopes,
        redirectUris: partnerClients.redirectUris,
        revokedAt: partnerClients.revokedAt,
        disabledAt: partners.disabledAt,
      })
      .from(partnerClients)
      .innerJoin(partners, eq(partners.id, partnerClients.partnerId))
      .where(eq(partnerClients.id, clientId)),
  );
  if (!row) return null;
  const { revokedAt, disabledAt, scopes, ...rest } = row;
  return {
    ...rest,
    scopes: scopes.filter(isPartnerScope),
    usable: revokedAt === null && disabledAt === null,
  };
}

/** Whether `secret` is the client's current secret, or its previous one within the overlap; constant-time. */
export async function clientSecretMatches(client: StoredClient, secret: string, now = Date.now()) {
  if (!SECRET_PATTERN.test(secret)) return false;
  const hash = await hashApiKey(secret);
  const current = timingSafeEqualHex(client.secretHash, hash);
  const previous =
    client.previousSecretHash !== null &&
    client.previousSecretExpiresAt !== null &&
    Date.parse(client.previousSecretExpiresAt) > now &&
    timingSafeEqualHex(client.previousSecretHash, hash);
  return current || previous;
}

// ---- Grants ----

export interface Grant {
  id: string;
  partnerId: string;
  tenantId: string;
  scopes: GrantScope[];
  status: "invited" | "active" | "revoked";
  origin: "onboarded" | "consent";
  createdAt: string;
  consentedAt: string | null;
  consentedBy: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

type GrantRow = typeof partnerGrants.$inferSelect;
const toGrant = (row: GrantRow): Grant => ({ ...row, scopes: row.scopes.filter(isGrantScope) });

/** The partner's invited grant for a tenant it just created (in the tenant's own transaction). */
export async function insertInvitedGrant(
  tx: Tx,
  input: { partnerId: string; tenantId: string; scopes: readonly GrantScope[] },
): Promise<Grant> {
  const [row] = await tx
    .insert(partnerGrants)
    .values({ id: newId("pgr"), ...input, scopes: [...input.scopes], status: "invited", origin: "onboarded" })
    .returning();
  if (!row) throw new Error("grant insert returned nothing");
  return toGrant(row);
}

/** The partner's live (invited or active) grant for a tenant, or null; as the platform. */
export async function findLiveGrant(
  db: Database,
  partnerId: string,
  tenantId: string,
): Promise<Grant | null> {
  const [row] = await asPlatform(db, (tx) =>
    tx
      .select()
      .from(partnerGrants)
      .where(
        and(
          eq(partnerGrants.partnerId, partnerId),
          eq(partnerGrants.tenantId, tenantId),
          ne(partnerGrants.status, "revoked"),
        ),
      ),
  );
  return row ? toGrant(row) : null;
}

/** The partner's live grants, newest first, `limit` from before `cursor` (a grant id). */
export async function listLiveGrants(
  db: Database,
  partnerId: string,
  page: { limit: number; cursor?: string | undefined },
): Promise<Grant[]> {
  const rows = await asPlatform(db, (tx) =>
    tx
      .select()
      .from(partnerGrants)
      .where(
        and(
          eq(partnerGrants.partnerId, partnerId),
          ne(partnerGrants.status, "revoked"),
          page.cursor ? lt(partnerGrants.id, page.cursor) : undefined,
        ),
      )
      .orderBy(desc(partnerGrants.id))
      .limit(page.limit),
  );
  return rows.map(toGrant);
}

export interface OwnerGrantView extends Grant {
  partnerName: string;
}

/** The tenant's grants (live and revoked) with their partners' names: the owner's list. */
export async function listTenantGrants(tx: Tx): Promise<OwnerGrantView[]> {
  const rows = await tx
    .select({ grant: partnerGrants, partnerName: partners.name })
    .from(partnerGrants)
    .innerJoin(partners, eq(partners.id, partnerGrants.partnerId))
    .orderBy(desc(partnerGrants.id));
  return rows.map(({ grant, partnerName }) => ({ ...toGrant(grant), partnerName }));
}

/** An owner consents to an invited grant; null when it is not (or no longer) invited. */
export async function consentToGrant(tx: Tx, grantId: string, userId: string): Promise<Grant | null> {
  const [row] = await tx
    .update(partnerGrants)
    .set({ status: "active", consentedAt: sql`now()`, consentedBy: userId })
    .where(and(eq(partnerGrants.id, grantId), eq(partnerGrants.status, "invited")))
    .returning();
  return row ? toGrant(row) : null;
}

/** An owner revokes a live grant; null when there is none with this id. */
export async function revokeGrant(tx: Tx, grantId: string, userId: string): Promise<Grant | null> {
  const [row] = await tx
    .update(partnerGrants)
    .set({ status: "revoked", revokedAt: sql`now()`, revokedBy: userId })
    .where(and(eq(partnerGrants.id, grantId), inArray(partnerGrants.status, ["invited", "active"])))
    .returning();
  return row ? toGrant(row) : null;
}

// ---- Authorization codes (consent flow) ----

const CODE_TTL_MS = 5 * 60_000;

/** Stores an approved request's code (as the owner's tenant); returns the code, shown once. */
export async function insertAuthorizationCode(
  tx: Tx,
  input: {
    tenantId: string;
    clientId: string;
    partnerId: string;
    userId: string;
    scopes: readonly GrantScope[];
    redirectUri: string;
    codeChallenge: string;
  },
): Promise<string> {
  const code = newClientSecret().replace(/^pcs_/, "pac_");
  await tx.insert(partnerAuthorizationCodes).values({
    ...input,
    scopes: [...input.scopes],
    codeHash: await hashApiKey(code),
    expiresAt: new Date(Date.now() + CODE_TTL_MS).toISOString(),
  });
  return code;
}

export interface RedeemedCode {
  tenantId: string;
  userId: string;
  scopes: GrantScope[];
  redirectUri: string;
  codeChallenge: string;
}

/**
 * Uses a code once: marks it used and returns what was approved, or null (unknown, another
 * client's, expired or already used). The caller checks PKCE and the redirect URI, then
 * calls `activateConsentedGrant` — in this same transaction, so a refused check undoes the use
 * only if the caller throws; RFC 6749 §4.1.2 wants a code tried with a wrong verifier burnt, so
 * callers return rather than throw.
 */
export async function redeemAuthorizationCode(
  tx: Tx,
  code: string,
  clientId: string,
): Promise<RedeemedCode | null> {
  const [row] = await tx
    .update(partnerAuthorizationCodes)
    .set({ usedAt: sql`now()` })
    .where(
      and(
        eq(partnerAuthorizationCodes.codeHash, await hashApiKey(code)),
        eq(partnerAuthorizationCodes.clientId, clientId),
        isNull(partnerAuthorizationCodes.usedAt),
        sql`${partnerAuthorizationCodes.expiresAt} > now()`,
      ),
    )
    .returning();
  if (!row) return null;
  return {
    tenantId: row.tenantId,
    userId: row.userId,
    scopes: row.scopes.filter(isGrantScope),
    redirectUri: row.redirectUri,
    codeChallenge: row.codeChallenge,
  };
}

/**
 * The grant an approved code stands for: the partner's live grant for the tenant takes the
 * approved scopes and becomes active (an invited one is thereby consented), else a new one.
 */
export async function activateConsentedGrant(
  tx: Tx,
  input: { partnerId: string; tenantId: string; userId: string; scopes: readonly GrantScope[] },
): Promise<Grant> {
  const [updated] = await tx
    .update(partnerGrants)
    .set({ status: "active", scopes: [...input.scopes], consentedAt: sql`now()`, consentedBy: input.userId })
    .where(
      and(
        eq(partnerGrants.partnerId, input.partnerId),
        eq(partnerGrants.tenantId, input.tenantId),
        ne(partnerGrants.status, "revoked"),
      ),
    )
    .returning();
  if (updated) return toGrant(updated);
  const [row] = await tx
    .insert(partnerGrants)
    .values({
      id: newId("pgr"),
      partnerId: input.partnerId,
      tenantId: input.tenantId,
      scopes: [...input.scopes],
      status: "active",
      origin: "consent",
      consentedAt: sql`now()`,
      consentedBy: input.userId,
    })
    .returning();
  if (!row) throw new Error("grant insert returned nothing");
  return toGrant(row);
}
