// The shared security suite: every API-key route refuses a missing key and a revoked key (401),
// a key without the route's scope (403), and another tenant's resources (404) — and none of
// those refusals changes the owner's data.
import { beforeAll, describe, expect, it } from "vitest";
import { API_KEY_SCOPES, type ApiKeyScope } from "../db/api-keys";
import { sfRestaurant } from "./fixtures";
import { call, expectProblem, newTenant } from "./helpers";

/** Resources the owner tenant holds, made once for the whole suite. */
interface Owned {
  facilityId: string;
  checkId: string;
}

interface SecuredRoute {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  path: (owned: Owned) => string;
  /** Any one of these scopes admits the key; an empty list means any valid key will do. */
  scopes: readonly ApiKeyScope[];
  /** The route names one of the owner's resources, so another tenant must get 404. */
  owned?: boolean;
  /** A valid body, so that a refusal can only come from authentication or authorization. */
  json?: unknown;
}

const ROUTES: readonly SecuredRoute[] = [
  { method: "POST", path: () => "/v1/checks", scopes: ["checks:write"], json: { facility: sfRestaurant() } },
  {
    method: "GET",
    path: (o) => `/v1/checks/${o.checkId}`,
    scopes: ["checks:read", "checks:write"],
    owned: true,
  },
  { method: "POST", path: () => "/v1/facilities", scopes: ["facilities:write"], json: sfRestaurant() },
  { method: "GET", path: () => "/v1/facilities", scopes: ["facilities:read"] },
  { method: "GET", path: (o) => `/v1/facilities/${o.facilityId}`, scopes: ["facilities:read"], owned: true },
  {
    method: "PATCH",
    path: (o) => `/v1/facilities/${o.facilityId}`,
    scopes: ["facilities:write"],
    owned: true,
    json: { name: "Taken Over" },
  },
  {
    method: "DELETE",
    path: (o) => `/v1/facilities/${o.facilityId}`,
    scopes: ["facilities:write"],
    owned: true,
  },
  {
    method: "POST",
    path: (o) => `/v1/facilities/${o.facilityId}/checks`,
    scopes: ["checks:write"],
    owned: true,
    json: { asOf: "2026-11-25" },
  },
  {
    method: "GET",
    path: (o) => `/v1/facilities/${o.facilityId}/checks`,
    scopes: ["checks:read", "checks:write"],
    owned: true,
  },
  { method: "GET", path: () => "/v1/jurisdictions", scopes: [] },
  {
    method: "GET",
    path: () => "/v1/jurisdictions/ocd-division%2Fcountry%3Aus%2Fstate%3Aca/rules",
    scopes: [],
  },
  { method: "GET", path: () => "/v1/usage", scopes: ["usage:read"] },
  { method: "GET", path: () => "/v1/alerts", scopes: ["alerts:read"] },
  { method: "GET", path: () => "/v1/keys", scopes: ["keys:write"] },
  { method: "GET", path: () => "/v1/me", scopes: [] },
];

const label = (route: SecuredRoute) =>
  `${route.method} ${route.path({ facilityId: "{id}", checkId: "{id}" })}`;

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
  let revokedKey: string;

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
    owned = { facilityId, checkId: ((await check.json()) as { id: string }).id };
    storedFacility = await (await call(`/v1/facilities/${facilityId}`, { key: owner.key })).json();

    const revoked = await createKey(owner.key, API_KEY_SCOPES);
    expect((await call(`/v1/keys/${revoked.id}`, { method: "DELETE", key: owner.key })).status).toBe(204);
    revokedKey = revoked.key;
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

  it("leaves the owner's facility and check untouched after every refusal", async () => {
    const facility = await call(`/v1/facilities/${owned.facilityId}`, { key: owner.key });
    expect(facility.status).toBe(200);
    expect(await facility.json()).toEqual(storedFacility);
    expect((await call(`/v1/checks/${owned.checkId}`, { key: owner.key })).status).toBe(200);
  });
});
