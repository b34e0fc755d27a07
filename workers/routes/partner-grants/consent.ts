/**
 * The authorization endpoint's two halves (RFC 6749 §4.1 with PKCE, ADR 0023). A partner
 * sends the owner to the web app's /oauth/authorize with the usual parameters; the page asks
 * GET /v1/partner-consent (same parameters) what to show — the partner's name and the scopes
 * asked — and, on "Allow", POST /v1/partner-consent answers where to send the browser: the
 * partner's registered redirect URI with a one-time code (5 minutes) and its `state`. The
 * partner redeems the code at POST /oauth/token with its PKCE verifier.
 *
 * A request whose client or redirect URI is not registered is refused here (never redirected:
 * RFC 6749 §4.1.2.1). Signed-in owners only: linking a partner is the owner's decision.
 */
import type { Context } from "hono";
import { describeRoute } from "hono-openapi";
import type * as v from "valibot";
import { withTenant } from "../../../db/client";
import { findClient, GRANT_SCOPES, type GrantScope, insertAuthorizationCode } from "../../../db/partners";
import type { AppEnv } from "../../context";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { json, validate } from "../../http/validation";
import { authenticate } from "../../middleware/auth";
import type { App } from "../index";
import { requirePartnerOwner } from "./list";
import { ConsentDecisionSchema, ConsentRequestSchema, ConsentViewSchema } from "./schemas";

type ConsentRequest = v.InferOutput<typeof ConsentRequestSchema>;

const refused = (detail: string) =>
  new Problem({
    status: 400,
    code: "invalid_authorization_request",
    title: "Invalid authorization request",
    detail,
  });

/** Checks the request against the registered client; what the owner is asked to approve. */
async function resolveRequest(c: Context<AppEnv>, request: ConsentRequest) {
  const client = await findClient(c.get("services").db(), request.client_id);
  if (!client?.usable) throw refused("The partner's client is unknown or revoked.");
  if (!client.redirectUris.includes(request.redirect_uri))
    throw refused("The redirect_uri is not one the partner registered with Prep.");
  const offered = GRANT_SCOPES.filter((scope) => client.scopes.includes(scope));
  const asked =
    request.scope === undefined ? offered : [...new Set(request.scope.split(" ").filter(Boolean))];
  const unknown = asked.filter((scope) => !(offered as string[]).includes(scope));
  if (asked.length === 0 || unknown.length > 0)
    throw refused(`This partner may ask for: ${offered.join(" ")}.`);
  return { client, scopes: asked as GrantScope[] };
}

function withParams(uri: string, params: Record<string, string | undefined>): string {
  const url = new URL(uri);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}

export function registerPartnerConsent(app: App): void {
  app.get(
    "/v1/partner-consent",
    describeRoute({
      tags: ["Partners (owners)"],
      summary: "What a partner's authorization request asks (the consent screen)",
      responses: {
        200: jsonResponse("The partner and the scopes it asks for", ConsentViewSchema),
        ...problemResponses(400, 401, 403, 422),
      },
    }),
    authenticate,
    requirePartnerOwner,
    validate("query", ConsentRequestSchema),
    async (c) => {
      const request = c.req.valid("query");
      const { client, scopes } = await resolveRequest(c, request);
      return c.json({
        clientId: client.id,
        partnerId: client.partnerId,
        partnerName: client.partnerName,
        scopes,
        redirectUri: request.redirect_uri,
        denyRedirect: withParams(request.redirect_uri, { error: "access_denied", state: request.state }),
      });
    },
  );

  app.post(
    "/v1/partner-consent",
    describeRoute({
      tags: ["Partners (owners)"],
      summary: "Approve a partner's authorization request: a one-time code for the partner",
      requestBody: jsonRequestBody(ConsentRequestSchema),
      responses: {
        200: jsonResponse(
          "Where to send the browser (the partner's redirect URI with the code)",
          ConsentDecisionSchema,
        ),
        ...problemResponses(400, 401, 403, 415, 422),
      },
    }),
    authenticate,
    requirePartnerOwner,
    ...json(ConsentRequestSchema),
    async (c) => {
      const request = c.req.valid("json");
      const { client, scopes } = await resolveRequest(c, request);
      const principal = c.get("principal");
      const code = await withTenant(c.get("services").db(), principal.tenantId, (tx) =>
        insertAuthorizationCode(tx, {
          tenantId: principal.tenantId,
          clientId: client.id,
          partnerId: client.partnerId,
          userId: principal.userId ?? principal.actorId,
          scopes,
          redirectUri: request.redirect_uri,
          codeChallenge: request.code_challenge,
        }),
      );
      return c.json({ redirectTo: withParams(request.redirect_uri, { code, state: request.state }) });
    },
  );
}
