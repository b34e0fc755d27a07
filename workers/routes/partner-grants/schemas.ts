/**
 * Schemas of owners' partner routes (ADR 0023): the grants partners hold for the tenant, and
 * the consent screen of the authorization-code flow.
 */
import * as v from "valibot";
import { idSchema } from "../../http/schemas";

export const GrantSchema = v.object({
  id: v.string(),
  partnerId: v.string(),
  tenantId: v.string(),
  /** `invited`: waiting for an owner's consent; `active`; `revoked`. */
  status: v.picklist(["invited", "active", "revoked"]),
  origin: v.picklist(["onboarded", "consent"]),
  scopes: v.array(v.string()),
  createdAt: v.string(),
  consentedAt: v.nullable(v.string()),
  consentedBy: v.nullable(v.string()),
  revokedAt: v.nullable(v.string()),
  revokedBy: v.nullable(v.string()),
});

export const OwnerGrantSchema = v.object({ ...GrantSchema.entries, partnerName: v.string() });

export const GrantIdParams = v.object({ id: idSchema("pgr", "must be a partner grant id (pgr_…)") });

const text = (max: number) => v.pipe(v.string(), v.maxLength(max));

/** The authorization request's parameters (RFC 6749 §4.1.1 + PKCE), as the partner sent them. */
export const ConsentRequestSchema = v.object({
  response_type: v.literal("code", 'must be "code"'),
  client_id: v.pipe(v.string(), v.regex(/^pcl_[0-9A-Z]{26}$/, "must be a partner client id (pcl_…)")),
  redirect_uri: v.pipe(text(2000), v.url("must be a URL")),
  scope: v.optional(text(500)),
  state: v.optional(text(500)),
  code_challenge: v.pipe(
    v.string(),
    v.regex(/^[A-Za-z0-9_-]{43}$/, "must be a PKCE S256 challenge (43 base64url characters)"),
  ),
  code_challenge_method: v.literal("S256", 'must be "S256"'),
});

/** What the consent screen shows: who asks, for what, and where the answer goes. */
export const ConsentViewSchema = v.object({
  clientId: v.string(),
  partnerId: v.string(),
  partnerName: v.string(),
  scopes: v.array(v.string()),
  redirectUri: v.string(),
  /** Where to send the owner on "Deny" (RFC 6749 §4.1.2.1 access_denied). */
  denyRedirect: v.string(),
});

export const ConsentDecisionSchema = v.object({ redirectTo: v.string() });
