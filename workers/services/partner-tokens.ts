/**
 * Partner access tokens (ADR 0023): short-lived JWTs signed with the key ring's
 * `partner_token` key (EdDSA, published at /.well-known/jwks.json), so a partner or a gateway
 * can verify them offline; Prep itself also checks, on every request, that the client still
 * stands (not revoked, partner not disabled) — from an observation at most
 * `CLIENT_STANDING_FRESH_MS` old, so a revoked client loses access within 30 s although its
 * token lives 10 minutes. Grants are read on every partner request that names a tenant, so
 * an owner's revocation takes effect at once.
 */
import { errors, jwtVerify, SignJWT } from "jose";
import type { Database } from "../../db/client";
import { findClient, isPartnerScope, type PartnerScope } from "../../db/partners";
import { type KeyRing, SIGNING_ALG } from "../../runtime/signing-keys";

export const ACCESS_TOKEN_TTL_SECONDS = 600;
export const TOKEN_AUDIENCE = "https://prep.dev/partner-api";
export const CLIENT_STANDING_FRESH_MS = 30_000;

export interface PartnerToken {
  clientId: string;
  partnerId: string;
  scopes: ReadonlySet<PartnerScope>;
  tokenId: string;
}

export async function issueAccessToken(
  ring: KeyRing,
  issuer: string,
  claims: { clientId: string; partnerId: string; scopes: readonly PartnerScope[] },
): Promise<string> {
  const { kid, key } = await ring.signingKey("partner_token");
  return new SignJWT({
    scope: claims.scopes.join(" "),
    partner_id: claims.partnerId,
    client_id: claims.clientId,
  })
    .setProtectedHeader({ alg: SIGNING_ALG, kid, typ: "at+jwt" })
    .setIssuer(issuer)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(claims.clientId)
    .setJti(crypto.randomUUID())
    .setIssuedAt()
    .setExpirationTime(`${ACCESS_TOKEN_TTL_SECONDS}s`)
    .sign(key);
}

export type TokenVerification =
  | { ok: true; token: PartnerToken }
  | { ok: false; reason: "invalid" | "expired" };

/** Checks signature (a `partner_token` key only), issuer, audience, expiry and claims' shape. */
export async function verifyAccessToken(
  ring: KeyRing,
  issuer: string,
  jwt: string,
): Promise<TokenVerification> {
  try {
    const { payload } = await jwtVerify(
      jwt,
      async (header) => {
        const key =
          typeof header.kid === "string" ? await ring.verificationKey(header.kid, "partner_token") : null;
        if (!key) throw new errors.JWSSignatureVerificationFailed("unknown key");
        return key;
      },
      { issuer, audience: TOKEN_AUDIENCE, algorithms: [SIGNING_ALG], typ: "at+jwt" },
    );
    const { sub, partner_id: partnerId, scope, jti } = payload;
    if (typeof sub !== "string" || typeof partnerId !== "string" || typeof scope !== "string" || !jti)
      return { ok: false, reason: "invalid" };
    const scopes = new Set(scope.split(" ").filter(isPartnerScope));
    return { ok: true, token: { clientId: sub, partnerId, scopes, tokenId: jti } };
  } catch (error) {
    return { ok: false, reason: error instanceof errors.JWTExpired ? "expired" : "invalid" };
  }
}

/** Whether clients still stand, from observations at most 30 s old (isolate memory). */
export function createClientStanding(now: () => number = Date.now) {
  const seen = new Map<string, { usable: boolean; checkedAt: number }>();
  return {
    async usable(db: () => Database, clientId: string): Promise<boolean> {
      const known = seen.get(clientId);
      if (known && now() - known.checkedAt < CLIENT_STANDING_FRESH_MS) return known.usable;
      const client = await findClient(db(), clientId);
      const usable = client?.usable ?? false;
      if (seen.size >= 10_000) seen.delete(seen.keys().next().value as string);
      seen.set(clientId, { usable, checkedAt: now() });
      return usable;
    },
    /** Drops what this isolate knows (tests; a revocation through this isolate). */
    forget(clientId?: string) {
      if (clientId) seen.delete(clientId);
      else seen.clear();
    },
  };
}

export const clientStanding = createClientStanding();
