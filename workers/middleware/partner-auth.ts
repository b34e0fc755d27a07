/**
 * The partner API's authentication (ADR 0023): `Authorization: Bearer <access token>` from
 * POST /oauth/token. `authenticatePartner` verifies the JWT (a `partner_token` key, this
 * deployment as issuer), that its client still stands, and the partner's rate limit;
 * `requirePartnerScope` checks the token's scopes; `partnerTenant(scope)` — on routes naming
 * a tenant — finds the partner's grant for it (404 when there is none: another partner's
 * tenants do not exist for this one), refuses while consent is pending (409), checks the
 * grant holds `scope` (403), applies the grant's own rate limit and sets the principal that
 * tenant work and its audit entries use (the partner as actor).
 *
 * Refusals are RFC 9457 problems; a 401 also carries RFC 6750's `WWW-Authenticate` error.
 */
import { createMiddleware } from "hono/factory";
import { recordAudit } from "../../db/audit";
import { withTenant } from "../../db/client";
import { findLiveGrant, type Grant, type GrantScope, type PartnerScope } from "../../db/partners";
import { keyRing } from "../../runtime/signing-keys";
import type { AppEnv } from "../context";
import { Problem } from "../http/problem";
import { clientStanding, type PartnerToken, verifyAccessToken } from "../services/partner-tokens";
import { enforceRateLimit } from "./auth";

export interface PartnerAccess extends PartnerToken {
  /** On routes naming a tenant: the partner's active grant for it. */
  grant?: Grant;
}

const TENANT_ID = /^ten_[0-9A-HJKMNP-TV-Z]{26}$/;

const invalidToken = (detail: string) =>
  new Problem({
    status: 401,
    code: "unauthorized",
    title: "Unauthorized",
    detail,
    headers: { "www-authenticate": 'Bearer realm="prep-partner", error="invalid_token"' },
  });

export const authenticatePartner = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization");
  if (!header)
    throw new Problem({
      status: 401,
      code: "unauthorized",
      title: "Unauthorized",
      detail: "Send a partner access token from POST /oauth/token: Authorization: Bearer <token>.",
      headers: { "www-authenticate": 'Bearer realm="prep-partner"' },
    });
  const match = /^Bearer\s+([A-Za-z0-9._~+/-]+=*)\s*$/i.exec(header);
  if (!match?.[1]) throw invalidToken("The Authorization header must be: Bearer <access token>.");
  const verified = await verifyAccessToken(keyRing(c.env), new URL(c.req.url).origin, match[1]);
  if (!verified.ok)
    throw invalidToken(
      verified.reason === "expired"
        ? "The access token has expired. Request a new one from POST /oauth/token."
        : "The access token is not valid here.",
    );
  const { token } = verified;
  if (!(await clientStanding.usable(c.get("services").db, token.clientId)))
    throw invalidToken("The access token's client has been revoked.");
  await enforceRateLimit(c.env.API_RATE_LIMIT, `partner:${token.partnerId}`, "This partner");
  c.set("partner", token);
  await next();
});

const insufficient = (scope: string, detail: string, code = "insufficient_scope") =>
  new Problem({ status: 403, code, title: "Forbidden", detail, extensions: { requiredScope: scope } });

/** 403 unless the access token carries `scope` (what its client asked for at /oauth/token). */
function assertTokenScope(partner: PartnerToken, scope: PartnerScope): void {
  if (!partner.scopes.has(scope))
    throw insufficient(
      scope,
      `This access token lacks the "${scope}" scope; request it at POST /oauth/token.`,
    );
}

/** 403 unless the access token carries `scope`. */
export const requirePartnerScope = (scope: PartnerScope) =>
  createMiddleware<AppEnv>(async (c, next) => {
    assertTokenScope(c.get("partner"), scope);
    await next();
  });

/**
 * For /v1/partner/tenants/:tenantId/…: the token must carry `scope`, the partner must hold an
 * active grant for the tenant that includes it. Sets the principal for tenant work.
 */
export const partnerTenant = (scope: GrantScope) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const partner = c.get("partner");
    assertTokenScope(partner, scope);
    const tenantId = c.req.param("tenantId") ?? "";
    // A malformed id names no tenant: the same 404 as another partner's tenant.
    const grant = TENANT_ID.test(tenantId)
      ? await findLiveGrant(c.get("services").db(), partner.partnerId, tenantId)
      : null;
    if (!grant)
      throw new Problem({
        status: 404,
        code: "not_found",
        title: "Not found",
        detail: "No tenant with this id is linked to your partner account.",
      });
    if (grant.status === "invited")
      throw new Problem({
        status: 409,
        code: "consent_pending",
        title: "Consent pending",
        detail:
          "The business's owner has not accepted your invitation yet; until then only its status is visible.",
      });
    if (!grant.scopes.includes(scope))
      throw insufficient(
        scope,
        `The business's owner has not granted "${scope}". Ask them to approve it through the consent flow.`,
        "insufficient_grant_scope",
      );
    await enforceRateLimit(c.env.API_RATE_LIMIT, `grant:${grant.id}`, "This grant");
    c.set("partner", { ...partner, grant });
    c.set("principal", {
      tenantId: grant.tenantId,
      actorId: partner.partnerId,
      scopes: new Set<string>(),
      mode: c.env.API_KEY_MODE,
    });
    await next();
    // Every call that did something for the tenant is in its audit log, the partner as actor.
    // Refusals are not: they changed nothing, and an entry would let a partner write the log.
    if (c.res.status < 400)
      await withTenant(c.get("services").db(), grant.tenantId, (tx) =>
        recordAudit(tx, {
          tenantId: grant.tenantId,
          actor: partner.partnerId,
          action: "partner.api_call",
          target: grant.tenantId,
          detail: { method: c.req.method, route: c.req.routePath, status: c.res.status, grantId: grant.id },
        }),
      );
  });
