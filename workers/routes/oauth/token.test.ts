// POST /oauth/token (ADR 0023): client credentials with Basic auth or the body; refusals in
// RFC 6749 §5.2's shape (also RFC 9457 problems); tokens are EdDSA JWTs verifiable with the
// published partner key and only with it; secrets rotate with an overlap; a revoked client
// loses both its secret and its tokens.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, SignJWT } from "jose";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../db/client";
import { revokeClient, rotateClientSecret } from "../../../db/partners";
import { keyRing } from "../../../runtime/signing-keys";
import { BASE, call, expectProblem, newTenant, workerDb } from "../../../test/helpers";
import { hostileString } from "../../../test/hostile-input";
import { asPartner, basic, newPartner, partnerToken, tokenRequest } from "../../../test/partners";
import { TOKEN_AUDIENCE } from "../../services/partner-tokens";

async function expectOAuthError(response: Response, status: number, error: string) {
  const body = await expectProblem(response, status, `oauth_${error}`);
  expect(body.error).toBe(error);
  expect(typeof body.error_description).toBe("string");
  expect(response.headers.get("cache-control")).toBe("no-store");
  return body;
}

async function withDb<T>(work: (db: ReturnType<typeof workerDb>["db"]) => Promise<T>): Promise<T> {
  const handle = workerDb();
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}

describe("POST /oauth/token, client credentials", () => {
  it("issues a short-lived EdDSA JWT, verifiable with the partner key of the JWKS", async () => {
    const partner = await newPartner();
    const response = await tokenRequest(
      { grant_type: "client_credentials" },
      basic(partner.clientId, partner.clientSecret),
    );
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const body = (await response.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ token_type: "Bearer", expires_in: 600 });
    expect(body.scope).toBe("tenants:write tenants:read facilities:write checks:write webhooks:write");
    const token = body.access_token as string;
    const jwks = (await (await call("/.well-known/jwks.json")).json()) as {
      keys: { kid: string; purpose: string }[];
    };
    const kid = decodeProtectedHeader(token).kid;
    expect(jwks.keys.find((key) => key.kid === kid)?.purpose).toBe("partner_token");
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks as never), {
      issuer: BASE,
      audience: TOKEN_AUDIENCE,
    });
    expect(payload).toMatchObject({ sub: partner.clientId, partner_id: partner.partnerId });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(600);
  });

  it("accepts the secret in the body, and narrows the scope on request", async () => {
    const partner = await newPartner();
    const response = await tokenRequest({
      grant_type: "client_credentials",
      client_id: partner.clientId,
      client_secret: partner.clientSecret,
      scope: "tenants:read",
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ scope: "tenants:read" });
  });

  it("refuses a wrong secret, an unknown client and a malformed Basic header (401 invalid_client)", async () => {
    const partner = await newPartner();
    const wrong = await tokenRequest(
      { grant_type: "client_credentials" },
      basic(partner.clientId, `pcs_${"A".repeat(43)}`),
    );
    await expectOAuthError(wrong, 401, "invalid_client");
    expect(wrong.headers.get("www-authenticate")).toMatch(/^Basic/);
    await expectOAuthError(
      await tokenRequest(
        { grant_type: "client_credentials" },
        basic("pcl_01M8A5EAZF6PE9WGYST3M0YYXA", partner.clientSecret),
      ),
      401,
      "invalid_client",
    );
    await expectOAuthError(
      await tokenRequest({ grant_type: "client_credentials" }, "Basic !!!"),
      401,
      "invalid_client",
    );
    await expectOAuthError(await tokenRequest({ grant_type: "client_credentials" }), 401, "invalid_client");
  });

  it("refuses a revoked client's secret, and the tokens it already holds", async () => {
    const partner = await newPartner();
    const token = await partnerToken(partner);
    expect(await withDb((db) => revokeClient(db, partner.clientId, "test"))).toBe(true);
    await expectOAuthError(
      await tokenRequest({ grant_type: "client_credentials" }, basic(partner.clientId, partner.clientSecret)),
      401,
      "invalid_client",
    );
    const refused = await expectProblem(await asPartner(token, "/v1/partner/tenants"), 401, "unauthorized");
    expect(refused.detail).toMatch(/revoked/);
  });

  it("refuses another grant type, a missing one, a bad scope and malformed requests (400)", async () => {
    const partner = await newPartner({ scopes: ["tenants:read"] });
    const auth = basic(partner.clientId, partner.clientSecret);
    await expectOAuthError(
      await tokenRequest({ grant_type: "password" }, auth),
      400,
      "unsupported_grant_type",
    );
    await expectOAuthError(await tokenRequest({}, auth), 400, "invalid_request");
    await expectOAuthError(
      await tokenRequest({ grant_type: "client_credentials", scope: "tenants:write" }, auth),
      400,
      "invalid_scope",
    );
    await expectOAuthError(
      await tokenRequest({ grant_type: "client_credentials", scope: "admin" }, auth),
      400,
      "invalid_scope",
    );
    // Both ways of authenticating at once, a parameter twice, JSON instead of a form.
    await expectOAuthError(
      await tokenRequest({ grant_type: "client_credentials", client_secret: partner.clientSecret }, auth),
      400,
      "invalid_request",
    );
    const twice = await call("/oauth/token", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", authorization: auth },
      body: "grant_type=client_credentials&grant_type=client_credentials",
    });
    await expectOAuthError(twice, 400, "invalid_request");
    const asJson = await call("/oauth/token", {
      method: "POST",
      headers: { authorization: auth },
      json: { grant_type: "client_credentials" },
    });
    await expectOAuthError(asJson, 400, "invalid_request");
  });

  it("keeps the previous secret valid during a rotation's overlap, and only then", async () => {
    const partner = await newPartner();
    const rotated = await withDb((db) => rotateClientSecret(db, partner.clientId, 3600, "test"));
    if (!rotated) throw new Error("no rotation");
    for (const secret of [partner.clientSecret, rotated.clientSecret]) {
      expect(
        (await tokenRequest({ grant_type: "client_credentials" }, basic(partner.clientId, secret))).status,
      ).toBe(200);
    }
    const again = await withDb((db) => rotateClientSecret(db, partner.clientId, 0, "test"));
    if (!again) throw new Error("no rotation");
    await expectOAuthError(
      await tokenRequest({ grant_type: "client_credentials" }, basic(partner.clientId, rotated.clientSecret)),
      401,
      "invalid_client",
    );
    expect(
      (await tokenRequest({ grant_type: "client_credentials" }, basic(partner.clientId, again.clientSecret)))
        .status,
    ).toBe(200);
  });

  it("stores only the secret's SHA-256", async () => {
    const partner = await newPartner();
    const owner = openDatabase({ databaseUrl: env.OWNER_DATABASE_URL ?? "", wsProxy: env.DB_WS_PROXY });
    try {
      const rows = (await owner.db.execute(sql`SELECT * FROM partner_clients WHERE id = ${partner.clientId}`))
        .rows;
      expect(JSON.stringify(rows)).not.toContain(partner.clientSecret.slice(4));
    } finally {
      await owner.close();
    }
  });
});

describe("the partner API's bearer tokens", () => {
  it("refuses no token, a tenant API key, a tampered token and a token signed with an evidence key (401)", async () => {
    const partner = await newPartner();
    const token = await partnerToken(partner);
    expect((await asPartner(token, "/v1/partner/tenants")).status).toBe(200);
    await expectProblem(await call("/v1/partner/tenants"), 401, "unauthorized");
    const { key } = await newTenant("Not A Partner");
    await expectProblem(await call("/v1/partner/tenants", { key }), 401, "unauthorized");
    const [head, payload, signature] = token.split(".") as [string, string, string];
    const tampered = `${head}.${payload}.${signature.startsWith("A") ? "B" : "A"}${signature.slice(1)}`;
    await expectProblem(await asPartner(tampered, "/v1/partner/tenants"), 401, "unauthorized");
    // Same claims, signed by the evidence key under the evidence key's kid: the purpose check refuses it.
    const evidence = await keyRing(env).signingKey("evidence");
    const forged = await new SignJWT({ scope: "tenants:read", partner_id: partner.partnerId })
      .setProtectedHeader({ alg: "EdDSA", kid: evidence.kid, typ: "at+jwt" })
      .setIssuer(BASE)
      .setAudience(TOKEN_AUDIENCE)
      .setSubject(partner.clientId)
      .setJti("x")
      .setIssuedAt()
      .setExpirationTime("5m")
      .sign(evidence.key);
    await expectProblem(await asPartner(forged, "/v1/partner/tenants"), 401, "unauthorized");
  });

  it("answers 403 when the token lacks the route's scope", async () => {
    const partner = await newPartner();
    const token = await partnerToken(partner, "tenants:read");
    const body = await expectProblem(
      await asPartner(token, "/v1/partner/tenants", {
        method: "POST",
        json: { name: "X", ownerEmail: "o@example.test" },
      }),
      403,
      "insufficient_scope",
    );
    expect(body.requiredScope).toBe("tenants:write");
  });
});

describe("the token endpoint under hostile input", () => {
  it("never answers 5xx; every refusal is a problem with OAuth's members", { timeout: 120_000 }, async () => {
    const partner = await newPartner();
    const param = fc.oneof(
      fc.constantFrom(
        "client_credentials",
        "authorization_code",
        "password",
        "",
        "tenants:read",
        partner.clientId,
      ),
      hostileString,
    );
    const form = fc.dictionary(
      fc.constantFrom(
        "grant_type",
        "scope",
        "client_id",
        "client_secret",
        "code",
        "redirect_uri",
        "code_verifier",
        "x",
      ),
      param,
    );
    const auth = fc.oneof(
      fc.constant(basic(partner.clientId, partner.clientSecret)),
      fc.constant(undefined),
      // Header values must be visible ASCII (fetch refuses others before anything is sent).
      hostileString.filter((text) => /^[\x20-\x7e]*$/.test(text)).map((text) => `Basic ${text}`),
      // Hostile ids and secrets (lone surrogates cannot be percent-encoded, so not those).
      fc
        .tuple(hostileString, hostileString)
        .filter(([id, secret]) => {
          try {
            return basic(id, secret).length > 0;
          } catch {
            return false;
          }
        })
        .map(([id, secret]) => basic(id, secret)),
    );
    const type = fc.constantFrom("application/x-www-form-urlencoded", "text/plain", "application/json", "");
    await fc.assert(
      fc.asyncProperty(form, auth, type, async (fields, authorization, contentType) => {
        const headers: Record<string, string> = {};
        if (authorization) headers.authorization = authorization;
        if (contentType) headers["content-type"] = contentType;
        const response = await call("/oauth/token", {
          method: "POST",
          headers,
          body: new URLSearchParams(fields).toString(),
        });
        const text = await response.text();
        expect(response.status, text).toBeLessThan(500);
        if (response.status >= 400 && response.status !== 429) {
          const body = JSON.parse(text) as Record<string, unknown>;
          expect(response.headers.get("content-type")).toBe("application/problem+json");
          expect(typeof body.error, text).toBe("string");
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe("the OpenAPI document", () => {
  it("tags the partner routes and describes their OAuth scheme", async () => {
    const doc = (await (await call("/v1/openapi.json")).json()) as {
      paths: Record<string, Record<string, { tags?: string[]; security?: unknown }>>;
      components: { securitySchemes: Record<string, { type: string; flows?: Record<string, unknown> }> };
    };
    expect(doc.paths["/oauth/token"]?.post?.tags).toEqual(["Partner OAuth"]);
    expect(doc.paths["/v1/partner/tenants"]?.get?.tags).toEqual(["Partner API"]);
    expect(doc.paths["/v1/partner/tenants"]?.get?.security).toEqual([{ partnerOAuth: ["tenants:read"] }]);
    expect(doc.components.securitySchemes.partnerOAuth?.type).toBe("oauth2");
    expect(Object.keys(doc.components.securitySchemes.partnerOAuth?.flows ?? {})).toEqual([
      "clientCredentials",
      "authorizationCode",
    ]);
  });
});
