// The partner API and owners' side of it (ADR 0023): onboarding a business invites its owner
// and stays pending until the owner consents; an existing tenant links through the
// authorization-code flow with PKCE; owners list and revoke grants, and a revocation cuts
// access at the partner's next request; a partner never sees another partner's tenants.
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, inject, it } from "vitest";
import { messageIdFor } from "../../../runtime/analytics";
import { drainUntil, has, hmacKey } from "../../../test/analytics";
import { cardFor, sfRestaurant } from "../../../test/fixtures";
import { BASE, call, expectProblem } from "../../../test/helpers";
import { linkToken, waitForMail } from "../../../test/mail";
import {
  asPartner,
  basic,
  newPartner,
  PARTNER_REDIRECT,
  partnerToken,
  tokenRequest,
} from "../../../test/partners";
import {
  addMember,
  asUser,
  mailApi,
  PASSWORD,
  sessionFrom,
  signUp,
  uniqueEmail,
} from "../../../test/sessions";
import { createApp } from "../../app";
import { pkceChallenge } from "../../services/pkce";

interface Linked {
  id: string;
  name: string | null;
  status: string;
  grantId: string;
  scopes: string[];
}

const listed = async (token: string) =>
  ((await (await asPartner(token, "/v1/partner/tenants")).json()) as { data: Linked[] }).data;

const VERIFIER = "a-pkce-verifier-of-at-least-forty-three-characters-0123456789";

function consentQuery(clientId: string, extra: Record<string, string> = {}) {
  return {
    response_type: "code",
    client_id: clientId,
    redirect_uri: PARTNER_REDIRECT,
    state: "xyz-123",
    code_challenge_method: "S256",
    ...extra,
  };
}

/** The owner approves the partner's request; the code from the redirect. */
async function approve(
  owner: Parameters<typeof asUser>[0],
  clientId: string,
  extra: Record<string, string> = {},
) {
  const query = { ...consentQuery(clientId, extra), code_challenge: await pkceChallenge(VERIFIER) };
  const view = await asUser(owner, `/v1/partner-consent?${new URLSearchParams(query)}`);
  expect(view.status, await view.clone().text()).toBe(200);
  const approved = await asUser(owner, "/v1/partner-consent", { method: "POST", json: query });
  expect(approved.status).toBe(200);
  const redirect = new URL(((await approved.json()) as { redirectTo: string }).redirectTo);
  expect(`${redirect.origin}${redirect.pathname}`).toBe(PARTNER_REDIRECT);
  expect(redirect.searchParams.get("state")).toBe("xyz-123");
  return {
    code: redirect.searchParams.get("code") ?? "",
    view: (await view.json()) as Record<string, unknown>,
  };
}

/** The partner redeems the owner's code with the PKCE verifier. */
const redeem = (partner: { clientId: string; clientSecret: string }, code: string) =>
  tokenRequest(
    { grant_type: "authorization_code", code, redirect_uri: PARTNER_REDIRECT, code_verifier: VERIFIER },
    basic(partner.clientId, partner.clientSecret),
  );

describe("onboarding a food business", () => {
  it("creates the tenant, invites its owner, and stays pending until the owner consents", async () => {
    const partner = await newPartner({ name: "Commissary Hub" });
    const token = await partnerToken(partner);
    const ownerEmail = uniqueEmail("kitchen-owner");
    const created = await asPartner(token, "/v1/partner/tenants", {
      method: "POST",
      json: { name: "Dumpling Lab", ownerEmail, states: ["CA"] },
    });
    expect(created.status).toBe(201);
    const tenant = (await created.json()) as Linked;
    expect(tenant).toMatchObject({
      status: "invited",
      name: "Dumpling Lab",
      scopes: ["tenants:read", "facilities:write", "checks:write"],
    });
    expect(await listed(token)).toEqual([expect.objectContaining({ id: tenant.id, status: "invited" })]);

    const mail = await waitForMail(mailApi(), ownerEmail, { subject: "set up Dumpling Lab" });
    expect(mail.text).toContain("Commissary Hub");
    const owner = await sessionFrom(
      await call("/v1/auth/invites/accept", {
        method: "POST",
        json: { token: linkToken(mail), password: PASSWORD },
      }),
    );
    expect(owner.tenantId).toBe(tenant.id);
    const grants = (await (await asUser(owner, "/v1/partner-grants")).json()) as {
      data: Record<string, unknown>[];
    };
    expect(grants.data).toEqual([
      expect.objectContaining({ id: tenant.grantId, partnerName: "Commissary Hub", status: "invited" }),
    ]);
    const consented = await asUser(owner, `/v1/partner-grants/${tenant.grantId}/consent`, { method: "POST" });
    expect(consented.status).toBe(200);
    expect(await consented.json()).toMatchObject({ status: "active", consentedBy: owner.userId });
    expect(await listed(token)).toEqual([expect.objectContaining({ id: tenant.id, status: "active" })]);
    // Product analytics hears of the link once, with the partner's id only.
    const got = await drainUntil(tenant.id, (g) => has(g, ["Partner Linked"]));
    expect(got.segment.filter((m) => m.event === "Partner Linked")).toEqual([
      expect.objectContaining({
        messageId: await messageIdFor(hmacKey(), `Partner Linked:${tenant.grantId}`),
        properties: { partner: partner.partnerId },
      }),
    ]);
    // A second consent has nothing to change.
    await expectProblem(
      await asUser(owner, `/v1/partner-grants/${tenant.grantId}/consent`, { method: "POST" }),
      404,
      "not_found",
    );
  });

  it("refuses an invalid body (422) and a token without tenants:write (403)", async () => {
    const partner = await newPartner();
    const token = await partnerToken(partner);
    await expectProblem(
      await asPartner(token, "/v1/partner/tenants", {
        method: "POST",
        json: { name: "", ownerEmail: "nope", states: ["ZZ"] },
      }),
      422,
      "validation_failed",
    );
    const reader = await partnerToken(partner, "tenants:read");
    await expectProblem(
      await asPartner(reader, "/v1/partner/tenants", {
        method: "POST",
        json: { name: "X", ownerEmail: uniqueEmail() },
      }),
      403,
      "insufficient_scope",
    );
  });

  it("never lists another partner's tenants", async () => {
    const a = await partnerToken(await newPartner());
    const b = await partnerToken(await newPartner());
    const made = await asPartner(a, "/v1/partner/tenants", {
      method: "POST",
      json: { name: "A's Kitchen", ownerEmail: uniqueEmail() },
    });
    expect(made.status).toBe(201);
    expect(await listed(b)).toEqual([]);
  });
});

describe("linking an existing tenant: authorization code with PKCE", () => {
  it("shows the owner what the partner asks, issues a code, and the partner exchanges it for a grant", async () => {
    const partner = await newPartner({ name: "Ghost Kitchens Inc" });
    const owner = await signUp("Existing Bistro");
    const { code, view } = await approve(owner, partner.clientId, { scope: "tenants:read checks:write" });
    expect(view).toMatchObject({
      partnerName: "Ghost Kitchens Inc",
      scopes: ["tenants:read", "checks:write"],
    });
    expect(String(view.denyRedirect)).toContain("error=access_denied");

    const exchanged = await tokenRequest(
      { grant_type: "authorization_code", code, redirect_uri: PARTNER_REDIRECT, code_verifier: VERIFIER },
      basic(partner.clientId, partner.clientSecret),
    );
    expect(exchanged.status, await exchanged.clone().text()).toBe(200);
    const body = (await exchanged.json()) as Record<string, string>;
    expect(body).toMatchObject({
      token_type: "Bearer",
      tenant_id: owner.tenantId,
      grant_scope: "tenants:read checks:write",
    });
    expect(await listed(body.access_token as string)).toEqual([
      expect.objectContaining({
        id: owner.tenantId,
        name: "Existing Bistro",
        status: "active",
        scopes: ["tenants:read", "checks:write"],
      }),
    ]);
    // A code works once.
    const again = await tokenRequest(
      { grant_type: "authorization_code", code, redirect_uri: PARTNER_REDIRECT, code_verifier: VERIFIER },
      basic(partner.clientId, partner.clientSecret),
    );
    await expectProblem(again, 400, "oauth_invalid_grant");

    // The owner revokes: the partner's next request no longer sees the tenant.
    const revoked = await asUser(owner, `/v1/partner-grants/${body.grant_id}`, { method: "DELETE" });
    expect(revoked.status).toBe(200);
    expect(await listed(body.access_token as string)).toEqual([]);
  });

  it("burns a code tried with the wrong verifier or redirect, and refuses another client's code", async () => {
    const partner = await newPartner();
    const intruder = await newPartner();
    const owner = await signUp("Careful Cafe");
    const exchange = (
      p: { clientId: string; clientSecret: string },
      code: string,
      extra: Record<string, string> = {},
    ) =>
      tokenRequest(
        {
          grant_type: "authorization_code",
          code,
          redirect_uri: PARTNER_REDIRECT,
          code_verifier: VERIFIER,
          ...extra,
        },
        basic(p.clientId, p.clientSecret),
      );
    const first = await approve(owner, partner.clientId);
    await expectProblem(
      await exchange(partner, first.code, { code_verifier: "x".repeat(43) }),
      400,
      "oauth_invalid_grant",
    );
    await expectProblem(await exchange(partner, first.code), 400, "oauth_invalid_grant");
    const second = await approve(owner, partner.clientId);
    await expectProblem(await exchange(intruder, second.code), 400, "oauth_invalid_grant");
    const third = await approve(owner, partner.clientId);
    await expectProblem(
      await exchange(partner, third.code, { redirect_uri: "https://marketplace.example/other" }),
      400,
      "oauth_invalid_grant",
    );
    await expectProblem(await exchange(partner, "pac_nothing"), 400, "oauth_invalid_grant");
    await expectProblem(
      await tokenRequest(
        { grant_type: "authorization_code", code: "x" },
        basic(partner.clientId, partner.clientSecret),
      ),
      400,
      "oauth_invalid_request",
    );
  });

  it("refuses an unregistered redirect URI or unknown client without redirecting, and non-owners (403)", async () => {
    const partner = await newPartner();
    const owner = await signUp("Strict Deli");
    const challenge = await pkceChallenge(VERIFIER);
    const ask = (query: Record<string, string>) =>
      asUser(owner, `/v1/partner-consent?${new URLSearchParams({ ...query, code_challenge: challenge })}`);
    await expectProblem(
      await ask(consentQuery(partner.clientId, { redirect_uri: "https://evil.example/steal" })),
      400,
      "invalid_authorization_request",
    );
    await expectProblem(
      await ask(consentQuery("pcl_01M8A5EAZF6PE9WGYST3M0YYXA")),
      400,
      "invalid_authorization_request",
    );
    await expectProblem(
      await ask(consentQuery(partner.clientId, { scope: "webhooks:write" })),
      400,
      "invalid_authorization_request",
    );
    await expectProblem(
      await ask(consentQuery(partner.clientId, { code_challenge_method: "plain" })),
      422,
      "validation_failed",
    );
    const admin = await addMember(owner, "admin");
    await expectProblem(
      await asUser(
        admin,
        `/v1/partner-consent?${new URLSearchParams({ ...consentQuery(partner.clientId), code_challenge: challenge })}`,
      ),
      403,
      "owner_only",
    );
    await expectProblem(await asUser(admin, "/v1/partner-grants"), 403, "owner_only");
  });
});

describe("the partner API over a consented grant", () => {
  /** A business linked through consent with `scope`; the partner's token and the owner's session. */
  async function linked(scope = "tenants:read facilities:write checks:write") {
    const partner = await newPartner();
    const owner = await signUp("Linked Tacos");
    const { code } = await approve(owner, partner.clientId, { scope });
    const body = (await (await redeem(partner, code)).json()) as Record<string, string>;
    return { partner, owner, token: body.access_token as string, grantId: body.grant_id as string };
  }

  it("creates a location, runs a metered check and reads statuses, every call audited with the partner as actor", async () => {
    const { partner, owner, token } = await linked();
    const base = `/v1/partner/tenants/${owner.tenantId}/facilities`;
    const created = await asPartner(token, base, {
      method: "POST",
      json: sfRestaurant({ name: "Market Kitchen #4" }),
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const facility = (await created.json()) as { id: string; status: string };
    const check = await asPartner(token, `${base}/${facility.id}/checks`, { method: "POST", json: {} });
    expect(check.status, await check.clone().text()).toBe(200);
    expect(await check.json()).toMatchObject({ facilityId: facility.id, findings: expect.any(Array) });
    const list = (await (await asPartner(token, base)).json()) as { data: { id: string; status: string }[] };
    expect(list.data).toEqual([expect.objectContaining({ id: facility.id, status: expect.any(String) })]);

    // Metered to the business: its usage counts the partner's check.
    const usage = (await (await asUser(owner, "/v1/usage?granularity=day")).json()) as { total: number };
    expect(usage.total).toBe(1);
    const audit = (await (await asUser(owner, "/v1/audit-log?limit=100")).json()) as {
      data: { actor: string; action: string; detail: { route?: string } | null }[];
    };
    const byPartner = audit.data.filter((entry) => entry.actor === partner.partnerId);
    expect(byPartner.map((entry) => [entry.action, entry.detail?.route])).toEqual([
      ["partner.api_call", "/v1/partner/tenants/:tenantId/facilities"],
      ["partner.api_call", "/v1/partner/tenants/:tenantId/facilities/:id/checks"],
      ["partner.api_call", "/v1/partner/tenants/:tenantId/facilities"],
    ]);
  });

  it("never exceeds the grant's scopes, never reaches another partner's tenant, and stops at revocation", async () => {
    const { owner, token, grantId } = await linked("tenants:read");
    const base = `/v1/partner/tenants/${owner.tenantId}/facilities`;
    expect((await asPartner(token, base)).status).toBe(200);
    const refused = await expectProblem(
      await asPartner(token, base, { method: "POST", json: sfRestaurant() }),
      403,
      "insufficient_grant_scope",
    );
    expect(refused.requiredScope).toBe("facilities:write");
    // Another partner, even with every scope in its token, sees nothing of this tenant.
    const stranger = await partnerToken(await newPartner());
    await expectProblem(await asPartner(stranger, base), 404, "not_found");
    await expectProblem(
      await asPartner(stranger, base, { method: "POST", json: sfRestaurant() }),
      404,
      "not_found",
    );
    // The owner revokes: the very next call is refused.
    expect((await asUser(owner, `/v1/partner-grants/${grantId}`, { method: "DELETE" })).status).toBe(200);
    await expectProblem(await asPartner(token, base), 404, "not_found");
  });

  it("refuses calls about a business whose owner has not consented yet (409)", async () => {
    const token = await partnerToken(await newPartner());
    const made = (await (
      await asPartner(token, "/v1/partner/tenants", {
        method: "POST",
        json: { name: "Pending Pies", ownerEmail: uniqueEmail() },
      })
    ).json()) as { id: string };
    await expectProblem(
      await asPartner(token, `/v1/partner/tenants/${made.id}/facilities`),
      409,
      "consent_pending",
    );
  });
});

describe("rate limits per partner and per grant", () => {
  it("limits a partner's token requests and calls, and each grant's calls on their own keys (429)", async () => {
    const partner = await newPartner();
    const owner = await signUp("Busy Bakery");
    const { code } = await approve(owner, partner.clientId);
    const exchanged = (await (await redeem(partner, code)).json()) as Record<string, string>;
    const token = exchanged.access_token as string;
    const facilities = `/v1/partner/tenants/${owner.tenantId}/facilities`;
    // The Worker with a limiter that refuses one key prefix and records every key it is asked about.
    const seen: string[] = [];
    const limitedOn = (prefix: string) => {
      const app = createApp();
      const limiter = {
        limit: async ({ key }: { key: string }) => {
          seen.push(key);
          return { success: !key.startsWith(prefix) };
        },
      };
      return (path: string, init: RequestInit = {}) =>
        // On the same origin as the token's issuer.
        app.request(`${BASE}${path}`, init, { ...env, API_RATE_LIMIT: limiter });
    };
    const bearer = { authorization: `Bearer ${token}` };

    const grantLimited = limitedOn("grant:");
    expect((await grantLimited("/v1/partner/tenants", { headers: bearer })).status).toBe(200);
    const refused = await grantLimited(facilities, { headers: bearer });
    await expectProblem(refused, 429, "rate_limited");
    expect(refused.headers.get("retry-after")).toBe("10");
    expect(seen).toContain(`grant:${exchanged.grant_id}`);

    const partnerLimited = limitedOn("partner:");
    await expectProblem(
      await partnerLimited("/v1/partner/tenants", { headers: bearer }),
      429,
      "rate_limited",
    );
    await expectProblem(
      await partnerLimited("/oauth/token", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          authorization: basic(partner.clientId, partner.clientSecret),
        },
        body: "grant_type=client_credentials",
      }),
      429,
      "rate_limited",
    );
    expect(seen).toContain(`partner:${partner.partnerId}`);
  });
});

describe("partner webhooks", () => {
  it("delivers a linked business's status change to the partner's endpoint, signed, until the grant is revoked", async () => {
    const partner = await newPartner();
    const token = await partnerToken(partner);
    const receiver = `${inject("upstreamUrl")}/receivers/partner-${crypto.randomUUID().slice(0, 8)}`;
    const seen = async () =>
      (await (await fetch(receiver)).json()) as { headers: Record<string, string>; body: string }[];
    const registered = await asPartner(token, "/v1/partner/webhooks", {
      method: "POST",
      json: { url: receiver },
    });
    expect(registered.status, await registered.clone().text()).toBe(201);
    const endpoint = (await registered.json()) as { id: string; secret: string; events: string[] };
    expect(endpoint).toMatchObject({
      events: ["facility.status_changed"],
      secret: expect.stringMatching(/^whsec_/),
    });
    const listedEndpoints = (await (await asPartner(token, "/v1/partner/webhooks")).json()) as {
      data: unknown[];
    };
    expect(JSON.stringify(listedEndpoints)).not.toContain("whsec_");

    // Linked after the endpoint exists: the exchange mirrors it into the business.
    const owner = await signUp("Hooked Noodles");
    const { code } = await approve(owner, partner.clientId);
    const exchanged = (await (await redeem(partner, code)).json()) as Record<string, string>;
    const created = await asUser(owner, "/v1/facilities", { method: "POST", json: sfRestaurant() });
    const facilityId = ((await created.json()) as { id: string }).id;
    const staff = sfRestaurant().staff as Record<string, unknown>[];
    const fixed = await asUser(owner, `/v1/facilities/${facilityId}`, {
      method: "PATCH",
      json: { staff: [staff[0], { ...staff[1], credentials: [cardFor("2026-09-10")] }] },
    });
    expect(fixed.status).toBe(200);
    const deadline = Date.now() + 15_000;
    let got = await seen();
    while (got.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      got = await seen();
    }
    expect(got.length).toBeGreaterThan(0);
    const delivered = got[0] as { headers: Record<string, string>; body: string };
    const payload = new Webhook(endpoint.secret).verify(delivered.body, delivered.headers) as {
      type: string;
      data: { facilityId: string };
    };
    expect(payload).toMatchObject({ type: "facility.status_changed", data: { facilityId } });

    // Revoked: the business's object no longer holds the partner's endpoint.
    expect(
      (await asUser(owner, `/v1/partner-grants/${exchanged.grant_id}`, { method: "DELETE" })).status,
    ).toBe(200);
    const hooks = (await (await asUser(owner, "/v1/webhooks")).json()) as { data: { url: string }[] };
    expect(hooks.data.map((hook) => hook.url)).not.toContain(receiver);
    // And the partner deletes its endpoint.
    expect((await asPartner(token, `/v1/partner/webhooks/${endpoint.id}`, { method: "DELETE" })).status).toBe(
      204,
    );
    await expectProblem(
      await asPartner(token, `/v1/partner/webhooks/${endpoint.id}`, { method: "DELETE" }),
      404,
      "not_found",
    );
  });
});
