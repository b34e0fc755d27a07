/**
 * POST /oauth/token — the partner token endpoint (RFC 6749 §3.2, ADR 0023). Form-encoded;
 * the client authenticates with HTTP Basic (§2.3.1) or `client_id` + `client_secret` in the
 * body, never both.
 *
 * - `grant_type=client_credentials` (§4.4): an access token with the requested `scope`
 *   (space-separated; default: every scope the client holds).
 * - `grant_type=authorization_code` (§4.1.3 with PKCE, RFC 7636 S256): redeems the code an
 *   owner's consent produced, turning it into an active grant; answers an access token plus
 *   the grant (`grant_id`, `tenant_id`, `grant_scope`).
 *
 * Every refusal is an RFC 9457 problem that also carries RFC 6749 §5.2's members (`error`,
 * `error_description`), so OAuth client libraries and problem-aware clients both read it.
 * Answers are never cached (`Cache-Control: no-store`, §5.1).
 */

import type { Context } from "hono";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { recordAudit } from "../../../db/audit";
import { asPlatform, withTenant } from "../../../db/client";
import {
  activateConsentedGrant,
  clientSecretMatches,
  findClient,
  isPartnerScope,
  type PartnerScope,
  redeemAuthorizationCode,
  type StoredClient,
} from "../../../db/partners";
import { enqueueProductEvents } from "../../../runtime/analytics-outbox";
import { keyRing } from "../../../runtime/signing-keys";
import type { AppEnv } from "../../context";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { enforceRateLimit } from "../../middleware/auth";
import { drainAnalyticsSoon, partnerLinkedEvent } from "../../services/analytics";
import { ACCESS_TOKEN_TTL_SECONDS, issueAccessToken } from "../../services/partner-tokens";
import { mirrorEndpointsForGrant } from "../../services/partner-webhooks";
import { pkceChallenge } from "../../services/pkce";
import type { App } from "../index";

/** Far above any real token request; the endpoint reads the body whole. */
const MAX_FORM_BYTES = 8 * 1024;

type OAuthError =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "invalid_scope";

const TITLES: Record<OAuthError, string> = {
  invalid_request: "Invalid token request",
  invalid_client: "Client authentication failed",
  invalid_grant: "Invalid grant",
  unauthorized_client: "Client not allowed this grant",
  unsupported_grant_type: "Unsupported grant type",
  invalid_scope: "Invalid scope",
};

/** An OAuth error (§5.2) as an RFC 9457 problem; code `oauth_<error>`. */
export function oauthError(
  error: OAuthError,
  description: string,
  options: { status?: 400 | 401 | 413 | 415 | 429; basic?: boolean } = {},
): Problem {
  const status = options.status ?? (error === "invalid_client" ? 401 : 400);
  return new Problem({
    status,
    code: `oauth_${error}`,
    title: TITLES[error],
    detail: description,
    headers: {
      "cache-control": "no-store",
      ...(status === 401
        ? { "www-authenticate": `${options.basic ? "Basic" : "Bearer"} realm="prep-partner"` }
        : {}),
    },
    extensions: { error, error_description: description },
  });
}

export const TokenResponseSchema = v.object({
  access_token: v.string(),
  token_type: v.literal("Bearer"),
  expires_in: v.number(),
  scope: v.string(),
  grant_id: v.optional(v.string()),
  tenant_id: v.optional(v.string()),
  grant_scope: v.optional(v.string()),
});

/** The form's parameters; a parameter sent twice is refused (§3.2). */
async function readForm(c: Context<AppEnv>): Promise<Map<string, string>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/x-www-form-urlencoded\s*(;|$)/i.test(type))
    throw oauthError(
      "invalid_request",
      `Send the parameters form-encoded: Content-Type: application/x-www-form-urlencoded (got "${type || "none"}").`,
    );
  const declared = Number(c.req.header("content-length") ?? "0");
  if (declared > MAX_FORM_BYTES) throw oauthError("invalid_request", "The request body is too large.");
  // Decoded by hand: the form is text, but workerd warns when .text() reads a non-text type.
  const text = new TextDecoder().decode(await c.req.arrayBuffer());
  if (text.length > MAX_FORM_BYTES) throw oauthError("invalid_request", "The request body is too large.");
  const form = new Map<string, string>();
  for (const [name, value] of new URLSearchParams(text)) {
    if (form.has(name))
      throw oauthError("invalid_request", `The parameter "${name}" is sent more than once.`);
    form.set(name, value);
  }
  return form;
}

/** The client's id and secret, from Basic auth or the body (§2.3.1); exactly one way. */
function clientCredentials(c: Context<AppEnv>, form: Map<string, string>) {
  const header = c.req.header("authorization");
  const inBody = form.has("client_secret");
  if (header) {
    if (inBody)
      throw oauthError(
        "invalid_request",
        "Authenticate the client one way: Basic auth or the body, not both.",
      );
    const match = /^Basic\s+([A-Za-z0-9+/]+=*)\s*$/i.exec(header);
    let decoded: string | null = null;
    try {
      decoded = match?.[1] ? atob(match[1]) : null;
    } catch {
      decoded = null;
    }
    const colon = decoded?.indexOf(":") ?? -1;
    if (decoded === null || colon < 0)
      throw oauthError(
        "invalid_client",
        "The Authorization header must be Basic base64(client_id:client_secret).",
        {
          basic: true,
        },
      );
    const decode = (part: string) => {
      try {
        return decodeURIComponent(part.replaceAll("+", " "));
      } catch {
        return part;
      }
    };
    return { id: decode(decoded.slice(0, colon)), secret: decode(decoded.slice(colon + 1)), basic: true };
  }
  const id = form.get("client_id");
  const secret = form.get("client_secret");
  if (!id || !secret)
    throw oauthError(
      "invalid_client",
      "Authenticate the client: HTTP Basic, or client_id and client_secret in the body.",
    );
  return { id, secret, basic: false };
}

function requestedScopes(client: StoredClient, form: Map<string, string>): PartnerScope[] {
  const raw = form.get("scope");
  if (raw === undefined) return client.scopes;
  const asked = [...new Set(raw.split(" ").filter(Boolean))];
  const refused = asked.filter((scope) => !isPartnerScope(scope) || !client.scopes.includes(scope));
  if (asked.length === 0 || refused.length > 0)
    throw oauthError(
      "invalid_scope",
      `This client may request: ${client.scopes.join(" ")}.${refused.length ? ` Not: ${refused.join(" ").slice(0, 200)}.` : ""}`,
    );
  return asked as PartnerScope[];
}

const required = (form: Map<string, string>, name: string) => {
  const value = form.get(name);
  if (!value) throw oauthError("invalid_request", `The "${name}" parameter is required.`);
  return value;
};

export function registerToken(app: App): void {
  app.post(
    "/oauth/token",
    describeRoute({
      tags: ["Partner OAuth"],
      summary: "Partner access token (client credentials, or an authorization code with PKCE)",
      security: [{ partnerClientBasic: [] }],
      requestBody: {
        content: {
          "application/x-www-form-urlencoded": {
            schema: {
              type: "object",
              required: ["grant_type"],
              properties: {
                grant_type: { type: "string", enum: ["client_credentials", "authorization_code"] },
                scope: { type: "string" },
                client_id: { type: "string" },
                client_secret: { type: "string" },
                code: { type: "string" },
                redirect_uri: { type: "string" },
                code_verifier: { type: "string" },
              },
            },
          },
        },
      },
      responses: {
        200: jsonResponse("An access token (and, for a code, the grant it created)", TokenResponseSchema),
        ...problemResponses(400, 401, 429),
      },
    }),
    async (c) => {
      const form = await readForm(c);
      const credentials = clientCredentials(c, form);
      const services = c.get("services");
      const client = await findClient(services.db(), credentials.id);
      // One answer for an unknown client, a wrong secret and a revoked client: none says which ids exist.
      if (!client || !(await clientSecretMatches(client, credentials.secret)) || !client.usable)
        throw oauthError(
          "invalid_client",
          "Client authentication failed (unknown client, wrong secret, or revoked).",
          {
            basic: credentials.basic,
          },
        );
      await enforceRateLimit(c.env.API_RATE_LIMIT, `partner:${client.partnerId}`, "This partner");
      const grantType = required(form, "grant_type");
      c.header("cache-control", "no-store");
      c.header("pragma", "no-cache");
      /** The §5.1 answer: a token with `scopes` for the client, plus `extra` members. */
      const tokenResponse = async (scopes: readonly PartnerScope[], extra: Record<string, string> = {}) =>
        c.json({
          access_token: await issueAccessToken(keyRing(c.env), new URL(c.req.url).origin, {
            clientId: client.id,
            partnerId: client.partnerId,
            scopes,
          }),
          token_type: "Bearer" as const,
          expires_in: ACCESS_TOKEN_TTL_SECONDS,
          scope: scopes.join(" "),
          ...extra,
        });
      if (grantType === "client_credentials") return tokenResponse(requestedScopes(client, form));
      if (grantType === "authorization_code") {
        const code = required(form, "code");
        const redirectUri = required(form, "redirect_uri");
        const verifier = required(form, "code_verifier");
        if (!/^[A-Za-z0-9._~-]{43,128}$/.test(verifier))
          throw oauthError(
            "invalid_request",
            "code_verifier must be 43–128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636).",
          );
        const db = services.db();
        // The code is used up whatever follows: a code tried with a wrong verifier or redirect is burnt.
        const redeemed = await asPlatform(db, (tx) => redeemAuthorizationCode(tx, code, client.id));
        if (!redeemed)
          throw oauthError(
            "invalid_grant",
            "The code is unknown, expired, already used or another client's.",
          );
        if (redeemed.redirectUri !== redirectUri)
          throw oauthError("invalid_grant", "redirect_uri does not match the one the code was issued for.");
        if ((await pkceChallenge(verifier)) !== redeemed.codeChallenge)
          throw oauthError("invalid_grant", "code_verifier does not match the code_challenge.");
        const grant = await asPlatform(db, (tx) =>
          activateConsentedGrant(tx, {
            partnerId: client.partnerId,
            tenantId: redeemed.tenantId,
            userId: redeemed.userId,
            scopes: redeemed.scopes,
          }),
        );
        await mirrorEndpointsForGrant(services, grant);
        await withTenant(db, grant.tenantId, async (tx) => {
          await recordAudit(tx, {
            tenantId: grant.tenantId,
            actor: redeemed.userId,
            action: "partner_grant.consented",
            target: grant.id,
            detail: { partnerId: client.partnerId, partnerName: client.partnerName, scopes: grant.scopes },
          });
          await enqueueProductEvents(tx, [partnerLinkedEvent(grant, redeemed.userId)]);
        });
        drainAnalyticsSoon(services, c.env);
        return tokenResponse(client.scopes, {
          grant_id: grant.id,
          tenant_id: grant.tenantId,
          grant_scope: grant.scopes.join(" "),
        });
      }
      throw oauthError(
        "unsupported_grant_type",
        `grant_type must be client_credentials or authorization_code, not "${grantType.slice(0, 60)}".`,
      );
    },
  );
}
