// The shared security suite: every API-key route refuses a missing, a revoked and an expired key (401),
// a key without the route's scope (403), and another tenant's resources (404) — and none of
// those refusals changes the owner's data. Complete by construction: every /v1/ route of the
// app must be listed here, as an API-key route, a public one, a session-only one or a
// platform-admin one, or the suite fails.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { API_KEY_SCOPES, type ApiKeyScope } from "../db/api-keys";
import { PARTNER_SCOPES, type PartnerScope } from "../db/partners";
import { createApp } from "../workers/app";
import { cardFor, sfRestaurant } from "./fixtures";
import { call, expectProblem, expireKey, newTenant } from "./helpers";
import { activateGrants, asPartner, newPartner, partnerToken } from "./partners";

/** Resources the owner tenant holds, made once for the whole suite. */
interface Owned {
  facilityId: string;
  checkId: string;
  groupId: string;
  alertId: string;
  /** A key of the owner's that the refused requests try to revoke. */
  keyId: string;
  /** Notifications (ADR 0015): a webhook endpoint and one of its deliveries. */
  webhookId: string;
  deliveryId: string;
  /** An evidence export of the owner's. */
  exportId: string;
}

interface SecuredRoute {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  /** The route as the app registers it (`app.routes`), e.g. "/v1/facilities/:id". */
  route: string;
  path: (owned: Owned) => string;
  /** Any one of these scopes admits the key; an empty list means any valid key will do. */
  scopes: readonly ApiKeyScope[];
  /** The route names one of the owner's resources, so another tenant must get 404. */
  owned?: boolean;
  /** A valid body, so that a refusal can only come from authentication or authorization. */
  json?: unknown;
}

const ROUTES: readonly SecuredRoute[] = [
  {
    method: "POST",
    route: "/v1/checks",
    path: () => "/v1/checks",
    scopes: ["checks:write"],
    json: { facility: sfRestaurant() },
  },
  {
    method: "GET",
    route: "/v1/checks/:id",
    path: (o) => `/v1/checks/${o.checkId}`,
    scopes: ["checks:read", "checks:write"],
    owned: true,
  },
  {
    method: "POST",
    route: "/v1/facilities",
    path: () => "/v1/facilities",
    scopes: ["facilities:write"],
    json: sfRestaurant(),
  },
  { method: "GET", route: "/v1/facilities", path: () => "/v1/facilities", scopes: ["facilities:read"] },
  {
    method: "GET",
    route: "/v1/facilities/:id",
    path: (o) => `/v1/facilities/${o.facilityId}`,
    scopes: ["facilities:read"],
    owned: true,
  },
  {
    method: "PATCH",
    route: "/v1/facilities/:id",
    path: (o) => `/v1/facilities/${o.facilityId}`,
    scopes: ["facilities:write"],
    owned: true,
    json: { name: "Taken Over" },
  },
  {
    method: "DELETE",
    route: "/v1/facilities/:id",
    path: (o) => `/v1/facilities/${o.facilityId}`,
    scopes: ["facilities:write"],
    owned: true,
  },
  {
    method: "POST",
    route: "/v1/facilities/:id/checks",
    path: (o) => `/v1/facilities/${o.facilityId}/checks`,
    scopes: ["checks:write"],
    owned: true,
    json: { asOf: "2026-11-25" },
  },
  {
    method: "GET",
    route: "/v1/facilities/:id/checks",
    path: (o) => `/v1/facilities/${o.facilityId}/checks`,
    scopes: ["checks:read", "checks:write"],
    owned: true,
  },
  {
    method: "GET",
    route: "/v1/facilities/:id/verdict",
    path: (o) => `/v1/facilities/${o.facilityId}/verdict`,
    scopes: ["facilities:read"],
    owned: true,
  },
  // Regulatory change (issue 20): notices of rule changes ahead.
  { method: "GET", route: "/v1/rule-changes", path: () => "/v1/rule-changes", scopes: ["facilities:read"] },
  {
    method: "GET",
    route: "/v1/renewal-reminders",
    path: () => "/v1/renewal-reminders",
    scopes: ["facilities:read"],
  },
  { method: "GET", route: "/v1/groups", path: () => "/v1/groups", scopes: ["facilities:read"] },
  {
    method: "POST",
    route: "/v1/groups",
    path: () => "/v1/groups",
    scopes: ["facilities:write"],
    json: { name: "Intruders", kind: "region" },
  },
  {
    method: "PATCH",
    route: "/v1/groups/:id",
    path: (o) => `/v1/groups/${o.groupId}`,
    scopes: ["facilities:write"],
    owned: true,
    json: { name: "Taken Over" },
  },
  {
    method: "DELETE",
    route: "/v1/groups/:id",
    path: (o) => `/v1/groups/${o.groupId}`,
    scopes: ["facilities:write"],
    owned: true,
  },
  { method: "GET", route: "/v1/jurisdictions", path: () => "/v1/jurisdictions", scopes: [] },
  {
    method: "GET",
    route: "/v1/jurisdictions/:ocdId{.+}/rules",
    path: () => "/v1/jurisdictions/ocd-division%2Fcountry%3Aus%2Fstate%3Aca/rules",
    scopes: [],
  },
  { method: "GET", route: "/v1/usage", path: () => "/v1/usage", scopes: ["usage:read"] },
  { method: "GET", route: "/v1/billing", path: () => "/v1/billing", scopes: ["billing:read"] },
  { method: "GET", route: "/v1/alerts", path: () => "/v1/alerts", scopes: ["alerts:read"] },
  { method: "GET", route: "/v1/alerts/stream", path: () => "/v1/alerts/stream", scopes: ["alerts:read"] },
  {
    method: "POST",
    route: "/v1/alerts/:id/ack",
    path: (o) => `/v1/alerts/${o.alertId}/ack`,
    scopes: ["alerts:write"],
    owned: true,
  },
  { method: "GET", route: "/v1/keys", path: () => "/v1/keys", scopes: ["keys:write"] },
  {
    method: "POST",
    route: "/v1/keys",
    path: () => "/v1/keys",
    scopes: ["keys:write"],
    json: { name: "intruder", scopes: ["checks:read"] },
  },
  {
    method: "DELETE",
    route: "/v1/keys/:id",
    path: (o) => `/v1/keys/${o.keyId}`,
    scopes: ["keys:write"],
    owned: true,
  },
  { method: "GET", route: "/v1/me", path: () => "/v1/me", scopes: [] },
  { method: "GET", route: "/v1/audit-log", path: () => "/v1/audit-log", scopes: ["keys:write"] },
  // Notifications (ADR 0015): webhook endpoints.
  { method: "GET", route: "/v1/webhooks", path: () => "/v1/webhooks", scopes: ["webhooks:write"] },
  {
    method: "POST",
    route: "/v1/webhooks",
    path: () => "/v1/webhooks",
    scopes: ["webhooks:write"],
    json: { url: "http://127.0.0.1:9/intruder", events: ["facility.status_changed"] },
  },
  {
    method: "GET",
    route: "/v1/webhooks/:id",
    path: (o) => `/v1/webhooks/${o.webhookId}`,
    scopes: ["webhooks:write"],
    owned: true,
  },
  {
    method: "PATCH",
    route: "/v1/webhooks/:id",
    path: (o) => `/v1/webhooks/${o.webhookId}`,
    scopes: ["webhooks:write"],
    owned: true,
    json: { url: "http://127.0.0.1:9/taken-over" },
  },
  {
    method: "DELETE",
    route: "/v1/webhooks/:id",
    path: (o) => `/v1/webhooks/${o.webhookId}`,
    scopes: ["webhooks:write"],
    owned: true,
  },
  {
    method: "POST",
    route: "/v1/webhooks/:id/secret/rotate",
    path: (o) => `/v1/webhooks/${o.webhookId}/secret/rotate`,
    scopes: ["webhooks:write"],
    owned: true,
  },
  {
    method: "POST",
    route: "/v1/webhooks/:id/test",
    path: (o) => `/v1/webhooks/${o.webhookId}/test`,
    scopes: ["webhooks:write"],
    owned: true,
  },
  {
    method: "GET",
    route: "/v1/webhooks/:id/deliveries",
    path: (o) => `/v1/webhooks/${o.webhookId}/deliveries`,
    scopes: ["webhooks:write"],
    owned: true,
  },
  {
    method: "GET",
    route: "/v1/webhooks/:id/deliveries/:deliveryId",
    path: (o) => `/v1/webhooks/${o.webhookId}/deliveries/${o.deliveryId}`,
    scopes: ["webhooks:write"],
    owned: true,
  },
  {
    method: "POST",
    route: "/v1/webhooks/:id/deliveries/:deliveryId/replay",
    path: (o) => `/v1/webhooks/${o.webhookId}/deliveries/${o.deliveryId}/replay`,
    scopes: ["webhooks:write"],
    owned: true,
  },
  // Evidence vault (workers/routes/exports/*.test.ts test the rest).
  { method: "POST", route: "/v1/exports", path: () => "/v1/exports", scopes: ["exports:write"], json: {} },
  { method: "GET", route: "/v1/exports", path: () => "/v1/exports", scopes: ["exports:read"] },
  {
    method: "GET",
    route: "/v1/exports/:id",
    path: (o) => `/v1/exports/${o.exportId}`,
    scopes: ["exports:read"],
    owned: true,
  },
  {
    method: "GET",
    route: "/v1/exports/:id/files/:name{.+}",
    path: (o) => `/v1/exports/${o.exportId}/files/index.json`,
    scopes: ["exports:read"],
    owned: true,
  },
  {
    method: "GET",
    route: "/v1/exports/:id/bundle.zip",
    path: (o) => `/v1/exports/${o.exportId}/bundle.zip`,
    scopes: ["exports:read"],
    owned: true,
  },
  {
    method: "POST",
    route: "/v1/exports/:id/shares",
    path: (o) => `/v1/exports/${o.exportId}/shares`,
    scopes: ["exports:write"],
    owned: true,
    json: { expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
  },
  {
    method: "GET",
    route: "/v1/exports/:id/shares",
    path: (o) => `/v1/exports/${o.exportId}/shares`,
    scopes: ["exports:read"],
    owned: true,
  },
  {
    method: "DELETE",
    route: "/v1/exports/:id/shares/:shareId",
    path: (o) => `/v1/exports/${o.exportId}/shares/shr_01JD0000000000000000000000`,
    scopes: ["exports:write"],
    owned: true,
  },
  {
    method: "GET",
    route: "/v1/exports/schedule",
    path: () => "/v1/exports/schedule",
    scopes: ["exports:read"],
  },
  {
    method: "PUT",
    route: "/v1/exports/schedule",
    path: () => "/v1/exports/schedule",
    scopes: ["exports:write"],
    json: { cadence: "monthly" },
  },
  {
    method: "DELETE",
    route: "/v1/exports/schedule",
    path: () => "/v1/exports/schedule",
    scopes: ["exports:write"],
  },
];

/** Routes that need no credentials at all. */
const PUBLIC_ROUTES = [
  "GET /v1/openapi.json",
  "GET /v1/status",
  "POST /v1/auth/signup",
  "POST /v1/auth/signup/verify",
  "POST /v1/auth/signin",
  "POST /v1/auth/invites/accept",
  "POST /v1/auth/password-reset",
  "POST /v1/auth/password-reset/confirm",
  // Stripe's: authenticated by its signature (workers/routes/billing/stripe.test.ts).
  "POST /v1/billing/stripe/webhook",
  // One-click unsubscribe: authorized by its signed token (workers/routes/notifications).
  "GET /v1/notifications/unsubscribe",
  "POST /v1/notifications/unsubscribe",
  // Twilio's callbacks: authorized by X-Twilio-Signature (workers/routes/notifications/twilio-request.ts).
  "POST /v1/notifications/sms/status",
  "POST /v1/notifications/sms/inbound",
];

/**
 * Routes for the web app's signed-in users: the session itself, and the team, whose scopes
 * (`team:read`, `team:write`) come from a user's role and are never granted to an API key.
 * Their refusals are tested in workers/routes/auth and workers/routes/team.
 */
const SESSION_ONLY_ROUTES = [
  "GET /v1/session",
  "POST /v1/auth/signout",
  "GET /v1/users",
  "PATCH /v1/users/:id",
  "DELETE /v1/users/:id",
  "GET /v1/users/:id/sessions",
  "DELETE /v1/users/:id/sessions/:sessionId",
  "POST /v1/account/password",
  "GET /v1/invites",
  "POST /v1/invites",
  "DELETE /v1/invites/:id",
  // An owner's decision: refused to API keys and other roles in workers/routes/billing.
  "PUT /v1/billing/plan",
  "POST /v1/billing/checkout",
  "POST /v1/billing/portal",
  // A person's own notification preferences (an API key gets 403: workers/routes/notifications).
  "GET /v1/notifications/preferences",
  "PUT /v1/notifications/preferences",
  // A person's own phone number for SMS (an API key gets 403).
  "GET /v1/notifications/phone",
  "POST /v1/notifications/phone",
  "POST /v1/notifications/phone/verify",
  "DELETE /v1/notifications/phone",
  // Partners (ADR 0023): an owner's decisions about partners (an API key gets 403 owner_only).
  "GET /v1/partner-grants",
  "POST /v1/partner-grants/:id/consent",
  "DELETE /v1/partner-grants/:id",
  "GET /v1/partner-consent",
  "POST /v1/partner-consent",
];

/**
 * The partner API (ADR 0023): bearer access tokens from POST /oauth/token, never API keys or
 * sessions. Each refuses no token and a tenant's API key (401), and a token without the
 * route's scope (403); a route naming a tenant answers 404 for a tenant the partner holds no
 * grant for (another partner's), and nothing changes for the owner.
 */
interface PartnerRoute {
  method: "GET" | "POST" | "PATCH" | "PUT" | "DELETE";
  route: string;
  path: (tenantId: string) => string;
  scope: PartnerScope;
  /** The route names a tenant: another partner's token must get 404. */
  tenant?: boolean;
  json?: unknown;
}

const PARTNER_ROUTES: readonly PartnerRoute[] = [
  {
    method: "POST",
    route: "/v1/partner/tenants",
    path: () => "/v1/partner/tenants",
    scope: "tenants:write",
    json: { name: "Suite Bakery", ownerEmail: "suite-owner@example.test" },
  },
  { method: "GET", route: "/v1/partner/tenants", path: () => "/v1/partner/tenants", scope: "tenants:read" },
  {
    method: "GET",
    route: "/v1/partner/tenants/:tenantId/facilities",
    path: (t) => `/v1/partner/tenants/${t}/facilities`,
    scope: "tenants:read",
    tenant: true,
  },
  {
    method: "POST",
    route: "/v1/partner/tenants/:tenantId/facilities",
    path: (t) => `/v1/partner/tenants/${t}/facilities`,
    scope: "facilities:write",
    tenant: true,
    json: sfRestaurant(),
  },
  {
    method: "POST",
    route: "/v1/partner/tenants/:tenantId/facilities/:id/checks",
    path: (t) => `/v1/partner/tenants/${t}/facilities/fac_01M8A5EAZF6PE9WGYST3M0YYXA/checks`,
    scope: "checks:write",
    tenant: true,
    json: {},
  },
  {
    method: "POST",
    route: "/v1/partner/webhooks",
    path: () => "/v1/partner/webhooks",
    scope: "webhooks:write",
    json: { url: "https://hooks.marketplace.example/prep" },
  },
  {
    method: "GET",
    route: "/v1/partner/webhooks",
    path: () => "/v1/partner/webhooks",
    scope: "webhooks:write",
  },
  {
    method: "DELETE",
    route: "/v1/partner/webhooks/:id",
    path: () => "/v1/partner/webhooks/pwh_01M8A5EAZF6PE9WGYST3M0YYXA",
    scope: "webhooks:write",
  },
];

/** Routes for Prep's operators (prep_admin_ keys): a tenant key must get 403 on every one. */
const PLATFORM_ADMIN_ROUTES = [
  "POST /v1/admin/refresh",
  "GET /v1/admin/refresh-runs/:runId",
  "PUT /v1/admin/datasets/:ocdId{.+}/source",
  "GET /v1/admin/source-changes",
  "POST /v1/admin/source-changes/:id/approve",
  "POST /v1/admin/source-changes/:id/reject",
  "GET /v1/admin/datasets/:ocdId{.+}/versions",
  "POST /v1/admin/datasets/:ocdId{.+}/versions/:versionId/approve",
  "POST /v1/admin/datasets/:ocdId{.+}/versions/:versionId/reject",
  "GET /v1/admin/datasets/:ocdId{.+}/diff",
  "POST /v1/admin/overrides",
  "GET /v1/admin/overrides",
  "GET /v1/admin/overrides/:id",
  "POST /v1/admin/overrides/:id/approve",
  "POST /v1/admin/overrides/:id/reject",
  "POST /v1/admin/overrides/:id/revoke",
  "GET /v1/admin/dead-letters",
  "GET /v1/admin/tenants/:tenantId/dead-letters",
  "POST /v1/admin/tenants/:tenantId/dead-letters/:checkId/requeue",
  "DELETE /v1/admin/tenants/:tenantId/dead-letters/:checkId",
  "GET /v1/admin/audit-log",
  "GET /v1/admin/billing",
  "GET /v1/admin/slo",
  // Regulatory change (issue 20)
  "POST /v1/admin/impact",
  // Source watchers' review queue (ADR 0020)
  "GET /v1/admin/reviews",
  "POST /v1/admin/reviews/:id/resolve",
];

/** Every `METHOD /path` the app registers under /v1/, without the 405 fallbacks (`ALL`). */
function registeredRoutes(): string[] {
  const routes = createApp()
    .routes.filter((route) => route.method !== "ALL" && route.path.startsWith("/v1/"))
    .map((route) => `${route.method} ${route.path}`);
  return [...new Set(routes)].sort();
}

/** A concrete path for a registered route: its parameters filled with a placeholder. */
const samplePath = (route: string) => route.replace(/:\w+(\{[^}]*\})?/g, "x");

const label = (route: SecuredRoute) => `${route.method} ${route.route}`;

describe("the route table", () => {
  it("lists every /v1/ route of the app: API-key, public, session-only or platform-admin", () => {
    const listed = new Set([
      ...ROUTES.map(label),
      ...PUBLIC_ROUTES,
      ...SESSION_ONLY_ROUTES,
      ...PLATFORM_ADMIN_ROUTES,
      ...PARTNER_ROUTES.map((route) => `${route.method} ${route.route}`),
    ]);
    const unlisted = registeredRoutes().filter((route) => !listed.has(route));
    expect(unlisted, "routes missing from test/security.test.ts").toEqual([]);
    const gone = [...listed].filter((route) => !registeredRoutes().includes(route));
    expect(gone, "listed routes the app does not register").toEqual([]);
  });

  it.each(SESSION_ONLY_ROUTES)("%s refuses a request without a session (401)", async (route) => {
    const [method, path] = route.split(" ") as [string, string];
    await expectProblem(await call(samplePath(path), { method }), 401, "unauthorized");
  });

  it.each(PLATFORM_ADMIN_ROUTES)("%s refuses no key (401) and a tenant key (403)", async (route) => {
    const [method, path] = route.split(" ") as [string, string];
    await expectProblem(await call(samplePath(path), { method }), 401, "unauthorized");
    const { key } = await newTenant("Admin Hopeful");
    await expectProblem(await call(samplePath(path), { method, key }), 403, "admin_only");
  });
});

describe("partner routes", () => {
  let owner: { tenantId: string; token: string };
  let other: string;

  beforeAll(async () => {
    const partner = await newPartner();
    const token = await partnerToken(partner);
    const onboarded = await asPartner(token, "/v1/partner/tenants", {
      method: "POST",
      json: { name: "Linked Kitchen", ownerEmail: `linked-${crypto.randomUUID()}@example.test` },
    });
    expect(onboarded.status).toBe(201);
    await activateGrants(partner.partnerId);
    owner = { tenantId: ((await onboarded.json()) as { id: string }).id, token };
    other = await partnerToken(await newPartner());
  });

  const send = (route: PartnerRoute, headers: Record<string, string>) =>
    call(route.path(owner.tenantId), { method: route.method, headers, json: route.json });

  describe.each(PARTNER_ROUTES.map((route) => [`${route.method} ${route.route}`, route] as const))(
    "%s",
    (_, route) => {
      it("refuses no token and a tenant's API key (401)", async () => {
        await expectProblem(await send(route, {}), 401, "unauthorized");
        const { key } = await newTenant("Key Holder");
        await expectProblem(await send(route, { authorization: `Bearer ${key}` }), 401, "unauthorized");
      });

      it("refuses a token without the route's scope (403)", async () => {
        const narrow = await partnerToken(
          await newPartner({ scopes: PARTNER_SCOPES.filter((scope) => scope !== route.scope) }),
        );
        const body = await expectProblem(
          await send(route, { authorization: `Bearer ${narrow}` }),
          403,
          "insufficient_scope",
        );
        expect(body.requiredScope).toBe(route.scope);
      });

      if (route.tenant) {
        it("hides a tenant from a partner without a grant for it (404)", async () => {
          await expectProblem(await send(route, { authorization: `Bearer ${other}` }), 404, "not_found");
        });
      }
    },
  );
});

async function createKey(ownerKey: string, scopes: readonly ApiKeyScope[]) {
  const response = await call("/v1/keys", { method: "POST", key: ownerKey, json: { name: "suite", scopes } });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; key: string };
}

describe("security suite", () => {
  let owner: Awaited<ReturnType<typeof newTenant>>;
  let intruder: Awaited<ReturnType<typeof newTenant>>;
  let owned: Owned;
  let storedFacility: unknown;
  let storedGroup: unknown;
  let revokedKey: string;
  let expiredKey: string;

  beforeAll(async () => {
    owner = await newTenant("Owner Co");
    intruder = await newTenant("Intruder Co");
    const facility = await call("/v1/facilities", { method: "POST", key: owner.key, json: sfRestaurant() });
    expect(facility.status).toBe(201);
    const facilityId = ((await facility.json()) as { id: string }).id;
    const check = await call(`/v1/facilities/${facilityId}/checks`, {
      method: "POST",
      key: owner.key,
      json: { asOf: "2026-11-25" },
    });
    expect(check.status).toBe(200);
    const checkId = ((await check.json()) as { id: string }).id;
    // Training the new hire changes the facility's verdict: one alert.
    const staff = sfRestaurant().staff as Record<string, unknown>[];
    const drift = await call(`/v1/facilities/${facilityId}`, {
      method: "PATCH",
      key: owner.key,
      json: { staff: [staff[0], { ...staff[1], credentials: [cardFor("2026-09-10")] }] },
    });
    expect(drift.status).toBe(200);
    const alerts = (await (await call("/v1/alerts", { key: owner.key })).json()) as {
      data: { id: string }[];
    };
    expect(alerts.data).toHaveLength(1);
    const group = await call("/v1/groups", {
      method: "POST",
      key: owner.key,
      json: { name: "West", kind: "region", facilityIds: [facilityId] },
    });
    expect(group.status).toBe(201);
    const spare = await createKey(owner.key, ["checks:read"]);
    // Notifications (ADR 0015): an endpoint on the loopback receiver, and a delivery to it.
    const webhook = await call("/v1/webhooks", {
      method: "POST",
      key: owner.key,
      json: { url: `${inject("upstreamUrl")}/receivers/security-suite`, events: ["facility.status_changed"] },
    });
    expect(webhook.status).toBe(201);
    const webhookId = ((await webhook.json()) as { id: string }).id;
    const delivery = await call(`/v1/webhooks/${webhookId}/test`, { method: "POST", key: owner.key });
    expect(delivery.status).toBe(202);
    const evidence = await call("/v1/exports", {
      method: "POST",
      key: owner.key,
      json: { facilityIds: [facilityId] },
    });
    expect(evidence.status).toBe(202);
    owned = {
      exportId: ((await evidence.json()) as { id: string }).id,
      webhookId,
      deliveryId: ((await delivery.json()) as { id: string }).id,
      facilityId,
      checkId,
      alertId: (alerts.data[0] as { id: string }).id,
      groupId: ((await group.json()) as { id: string }).id,
      keyId: spare.id,
    };
    storedFacility = await (await call(`/v1/facilities/${facilityId}`, { key: owner.key })).json();
    storedGroup = await (await call("/v1/groups", { key: owner.key })).json();

    const revoked = await createKey(owner.key, API_KEY_SCOPES);
    expect((await call(`/v1/keys/${revoked.id}`, { method: "DELETE", key: owner.key })).status).toBe(204);
    revokedKey = revoked.key;

    const expiring = await call("/v1/keys", {
      method: "POST",
      key: owner.key,
      json: { name: "expiring", expiresAt: new Date(Date.now() + 86_400_000).toISOString() },
    });
    expect(expiring.status).toBe(201);
    const expired = (await expiring.json()) as { id: string; key: string };
    await expireKey(expired.id);
    expiredKey = expired.key;
  });

  const request = (route: SecuredRoute, key?: string) =>
    call(route.path(owned), { method: route.method, ...(key ? { key } : {}), json: route.json });

  describe.each(ROUTES.map((route) => [label(route), route] as const))("%s", (_, route) => {
    it("refuses a request without a key (401)", async () => {
      await expectProblem(await request(route), 401, "unauthorized");
    });

    it("refuses a revoked key (401)", async () => {
      const body = await expectProblem(await request(route, revokedKey), 401, "unauthorized");
      expect(body.detail).toMatch(/revoked/);
    });

    it("refuses an expired key (401)", async () => {
      const body = await expectProblem(await request(route, expiredKey), 401, "unauthorized");
      expect(body.detail).toMatch(/expired at/);
    });

    if (route.scopes.length > 0) {
      it("refuses a key without the route's scope (403)", async () => {
        const others = API_KEY_SCOPES.filter((scope) => !route.scopes.includes(scope));
        const { key } = await createKey(owner.key, others);
        const body = await expectProblem(await request(route, key), 403, "insufficient_scope");
        expect(route.scopes).toContain(body.requiredScope);
      });
    }

    if (route.owned) {
      it("hides the owner's resource from another tenant (404)", async () => {
        await expectProblem(await request(route, intruder.key), 404, "not_found");
      });
    }
  });

  it("leaves the owner's facility, check, group, alert and keys untouched after every refusal", async () => {
    const facility = await call(`/v1/facilities/${owned.facilityId}`, { key: owner.key });
    expect(facility.status).toBe(200);
    expect(await facility.json()).toEqual(storedFacility);
    expect((await call(`/v1/checks/${owned.checkId}`, { key: owner.key })).status).toBe(200);
    expect(await (await call("/v1/groups", { key: owner.key })).json()).toEqual(storedGroup);
    const alerts = (await (await call("/v1/alerts", { key: owner.key })).json()) as {
      data: { id: string; acknowledgedAt: string | null }[];
    };
    expect(alerts.data).toEqual([expect.objectContaining({ id: owned.alertId, acknowledgedAt: null })]);
    const keys = (await (await call("/v1/keys", { key: owner.key })).json()) as {
      data: { id: string; revokedAt: string | null }[];
    };
    expect(keys.data.find((key) => key.id === owned.keyId)?.revokedAt).toBeNull();
    const webhook = await call(`/v1/webhooks/${owned.webhookId}`, { key: owner.key });
    expect(await webhook.json()).toMatchObject({
      url: `${inject("upstreamUrl")}/receivers/security-suite`,
      enabled: true,
    });
  });
});
