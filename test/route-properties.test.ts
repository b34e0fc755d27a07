// Property suite across every /v1/ route: whatever a client sends (test/hostile-input.ts), the
// answer is below 500, a 4xx is an RFC 9457 problem, and a refused request leaves nothing
// half-written (the tenant's rows, or the admin's overrides and the dataset's source, are
// byte-for-byte as before). Complete by construction: a route the app registers without a
// spec in ROUTE_SPECS fails the suite. `npm run fuzz` sends the same requests, many more of them.

import { exports } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { asPlatform, withTenant } from "../db/client";
import { createApp } from "../workers/app";
import { sfRestaurant } from "./fixtures";
import { BASE, call, newTenant, workerDb } from "./helpers";
import {
  describeRequest,
  type Fixture,
  type HostileRequest,
  hostileRequests,
  ROUTE_SPECS,
  type RouteSpec,
  requestInit,
  routeLabel,
} from "./hostile-input";
import { activateGrants, asPartner, newPartner, partnerGrantCount, partnerToken } from "./partners";
import { dataset, informational, install, newAdmin, nonce } from "./pipeline";
import { addMember, asUser, signUp, type TestSession } from "./sessions";

/** Runs per route: enough to meet every generator branch, short enough for a 2-core CI. */
const RUNS = 30;
const RUNS_WITHOUT_INPUT = 12;

/** Tables holding a tenant's data, written synchronously by the routes (checks come later, by outbox). */
const TENANT_TABLES = [
  "tenants",
  "users",
  "invites",
  "api_keys",
  "facilities",
  "permits",
  "staff",
  "credentials",
  "inspections",
  "temperature_logs",
  "location_groups",
  "location_group_members",
  "user_locations",
  "user_location_groups",
  "audit_log",
  // Partners (ADR 0023): the tenant's grants.
  "partner_grants",
];

/** Everything the tenant has stored, as text (last_used_at moves on every authenticated call). */
async function tenantSnapshot(tenantId: string): Promise<string[]> {
  const handle = workerDb();
  try {
    return await withTenant(handle.db, tenantId, async (tx) => {
      const out: string[] = [];
      for (const table of TENANT_TABLES) {
        const result = await tx.execute(
          sql.raw(
            `SELECT coalesce(string_agg((to_jsonb(t) - 'last_used_at')::text, E'\\n' ORDER BY (to_jsonb(t) - 'last_used_at')::text), '') AS rows FROM ${table} t`,
          ),
        );
        out.push(`${table}: ${String((result.rows[0] as { rows: string }).rows)}`);
      }
      return out;
    });
  } finally {
    await handle.close();
  }
}

/** What a platform admin's requests may write: their overrides and the fixture dataset's source. */
async function adminSnapshot(adminId: string, ocdId: string): Promise<string[]> {
  const handle = workerDb();
  try {
    return await asPlatform(handle.db, async (tx) => {
      const overrides = await tx.execute(
        sql`SELECT coalesce(string_agg(to_jsonb(o)::text, E'\n' ORDER BY o.id), '') AS rows FROM dataset_overrides o WHERE created_by = ${adminId}`,
      );
      const source = await tx.execute(
        sql`SELECT coalesce(string_agg(concat_ws(' ', name, source_url, trusted, active_version_id), E'\n'), '') AS rows FROM datasets WHERE jurisdiction = ${ocdId}`,
      );
      return [overrides, source].map((r) => String((r.rows[0] as { rows: string }).rows));
    });
  } finally {
    await handle.close();
  }
}

interface Runner {
  fixture: Fixture;
  /** Headers that authenticate a request (a session also needs its Origin and CSRF token). */
  auth: Record<string, string>;
  snapshot: () => Promise<string[]>;
}

const created = async (response: Response) => {
  expect(response.status, await response.clone().text()).toBeLessThan(300);
  return (await response.json()) as { id: string };
};

/** A fuzz-only dataset, so an admin runner may rewrite its source and override its rule. */
async function fuzzDataset(): Promise<string> {
  const tag = nonce();
  const jurisdiction = `ocd-division/country:us/state:zz/place:fuzz_${tag}`;
  await install(dataset(jurisdiction, [informational("FUZZ-INFO")], tag), `fuzz-${tag}`);
  return jurisdiction;
}
const NO_DATASET = "ocd-division/country:us/state:zz/place:fuzz_none";

/** A fresh tenant with a facility, a check, a group, a spare key and a teammate, per route. */
async function runnerFor(spec: RouteSpec): Promise<Runner> {
  const nothing = {
    alertId: "alr_01M8A5EAZF6PE9WGYST3M0YYXA",
    userId: "usr_01M8A5EAZF6PE9WGYST3M0YYXA",
    inviteId: "inv_01M8A5EAZF6PE9WGYST3M0YYXA",
    checkId: "chk_01M8A5EAZF6PE9WGYST3M0YYXA",
  };
  if (spec.auth === "session") {
    const owner: TestSession = await signUp("Fuzzed Co");
    const member = await addMember(owner, "viewer");
    const invite = await created(
      await asUser(owner, "/v1/invites", {
        method: "POST",
        json: { email: `inv-${nonce()}@example.test`, role: "viewer" },
      }),
    );
    return {
      fixture: {
        ...nothing,
        tenantId: owner.tenantId,
        facilityId: "fac_01M8A5EAZF6PE9WGYST3M0YYXA",
        groupId: "grp_01M8A5EAZF6PE9WGYST3M0YYXA",
        keyId: "key_01M8A5EAZF6PE9WGYST3M0YYXA",
        userId: member.userId,
        inviteId:
          ((await (await asUser(owner, "/v1/invites")).json()) as { data: { id: string }[] }).data[0]?.id ??
          invite.id,
        ocdId: NO_DATASET,
      },
      auth: { cookie: owner.cookie, origin: BASE, "x-csrf-token": owner.csrf },
      snapshot: () => tenantSnapshot(owner.tenantId),
    };
  }
  if (spec.auth === "partner") {
    // A partner whose grant for the fixture's tenant is active (consented).
    const partner = await newPartner();
    const token = await partnerToken(partner);
    const onboarded = await created(
      await asPartner(token, "/v1/partner/tenants", {
        method: "POST",
        json: { name: "Fuzzed Marketplace Kitchen", ownerEmail: `owner-${nonce()}@example.test` },
      }),
    );
    await activateGrants(partner.partnerId);
    const location = await created(
      await asPartner(token, `/v1/partner/tenants/${onboarded.id}/facilities`, {
        method: "POST",
        json: sfRestaurant(),
      }),
    );
    return {
      fixture: {
        ...nothing,
        tenantId: onboarded.id,
        facilityId: location.id,
        groupId: "grp_01M8A5EAZF6PE9WGYST3M0YYXA",
        keyId: "key_01M8A5EAZF6PE9WGYST3M0YYXA",
        ocdId: NO_DATASET,
      },
      auth: { authorization: `Bearer ${token}` },
      snapshot: async () => [
        ...(await tenantSnapshot(onboarded.id)),
        await partnerGrantCount(partner.partnerId),
      ],
    };
  }
  if (spec.auth === "admin") {
    const admin = await newAdmin();
    const ocdId = await fuzzDataset();
    const { tenantId } = await newTenant("Dead Letter Owner");
    return {
      fixture: {
        ...nothing,
        tenantId,
        facilityId: "fac_01M8A5EAZF6PE9WGYST3M0YYXA",
        groupId: "grp_01M8A5EAZF6PE9WGYST3M0YYXA",
        keyId: "key_01M8A5EAZF6PE9WGYST3M0YYXA",
        ocdId,
      },
      auth: { authorization: `Bearer ${admin.key}` },
      snapshot: () => adminSnapshot(admin.adminId, ocdId),
    };
  }
  const { key, tenantId } = await newTenant("Fuzzed Kitchens");
  const facility = await created(await call("/v1/facilities", { method: "POST", key, json: sfRestaurant() }));
  const check = await created(
    await call(`/v1/facilities/${facility.id}/checks`, { method: "POST", key, json: { asOf: "2026-11-25" } }),
  );
  const group = await created(
    await call("/v1/groups", {
      method: "POST",
      key,
      json: { name: "West", kind: "region", facilityIds: [facility.id] },
    }),
  );
  const spare = await created(
    await call("/v1/keys", { method: "POST", key, json: { name: "spare", scopes: ["checks:read"] } }),
  );
  return {
    fixture: {
      ...nothing,
      tenantId,
      facilityId: facility.id,
      checkId: check.id,
      groupId: group.id,
      keyId: spare.id,
      ocdId: NO_DATASET,
    },
    auth: spec.auth === "key" ? { authorization: `Bearer ${key}` } : {},
    snapshot: () => tenantSnapshot(tenantId),
  };
}

let ipCounter = 0;
/** Sends one request as the Worker would receive it; a new client address each time (login limits are per IP). */
async function send(request: HostileRequest, runner: Runner, stream = false): Promise<Response> {
  const init = requestInit(request, {
    ...runner.auth,
    "cf-connecting-ip": `10.77.${++ipCounter % 250}.${Math.floor(Math.random() * 250)}`,
  });
  const response = await exports.default.fetch(new Request(`${BASE}${request.url}`, init));
  // An open event stream is closed at once; a refusal is an ordinary problem body.
  if (stream && response.status < 300) await response.body?.cancel();
  return response;
}

/** Asserts the answer: below 500; a 4xx is an RFC 9457 problem. */
async function expectNo5xx(response: Response, request: HostileRequest, stream = false) {
  const text = stream && response.status < 300 ? "" : await response.text();
  const where = `${describeRequest(request)}\n→ ${response.status} ${text.slice(0, 500)}`;
  expect(response.status, where).toBeLessThan(500);
  if (response.status >= 400) {
    expect(response.headers.get("content-type"), where).toBe("application/problem+json");
    const body = JSON.parse(text) as Record<string, unknown>;
    expect(body.status, where).toBe(response.status);
    expect(typeof body.code, where).toBe("string");
    expect(typeof body.title, where).toBe("string");
  }
}

const registered = () => {
  const routes = createApp()
    .routes.filter((route) => route.method !== "ALL" && route.path.startsWith("/v1/"))
    .map((route) => `${route.method} ${route.path}`);
  return [...new Set(routes)].sort();
};

describe("hostile input on every route", () => {
  it("has a spec for every /v1/ route of the app, and none for a route it does not have", () => {
    const specified = ROUTE_SPECS.map(routeLabel);
    expect(
      registered().filter((route) => !specified.includes(route)),
      "routes missing from ROUTE_SPECS in test/hostile-input.ts",
    ).toEqual([]);
    expect(specified.filter((route) => !registered().includes(route))).toEqual([]);
    expect(new Set(specified).size).toBe(specified.length);
  });

  // Concurrently (vitest's maxConcurrency, 5 at a time): each route has a tenant of its own.
  describe.concurrent("every route", () => {
    for (const spec of ROUTE_SPECS) {
      const takesInput = spec.body !== undefined || spec.query !== undefined;
      it(`${routeLabel(spec)}: never 5xx, problems only, a refusal writes nothing`, {
        timeout: 90_000,
      }, async () => {
        const runner = await runnerFor(spec);
        await fc.assert(
          fc.asyncProperty(fc.noShrink(hostileRequests(spec, runner.fixture)), async (request) => {
            const before = await runner.snapshot();
            const response = await send(request, runner, spec.stream);
            await expectNo5xx(response, request, spec.stream);
            if (response.status >= 400) {
              expect(
                await runner.snapshot(),
                `a refused ${describeRequest(request)} changed stored data`,
              ).toEqual(before);
            }
          }),
          { numRuns: takesInput ? RUNS : RUNS_WITHOUT_INPUT },
        );
      });
    }
  });
});

/** Inputs that once answered 500, each refused now with a 422 and nothing written. */
const REGRESSIONS: {
  label: string;
  auth: "key" | "admin" | "public";
  request: (f: Fixture) => HostileRequest;
}[] = [
  {
    label: "GET /v1/usage with hour 25 (Date.parse gave NaN, then toISOString threw)",
    auth: "key",
    request: () => ({ method: "GET", url: "/v1/usage?to=2026-01-05T25:00:00Z", headers: {} }),
  },
  {
    label: "GET /v1/usage with an offset PostgreSQL and Date.parse refuse",
    auth: "key",
    request: () => ({ method: "GET", url: "/v1/usage?from=2026-01-05T10:00:00%2B99:99", headers: {} }),
  },
  {
    label: "GET /v1/admin/datasets/{ocdId}/versions with a malformed escape (decodeURIComponent threw)",
    auth: "admin",
    request: () => ({ method: "GET", url: "/v1/admin/datasets/%ZZ/versions", headers: {} }),
  },
  {
    label: "PUT /v1/admin/datasets/{ocdId}/source with an overlong UTF-8 escape",
    auth: "admin",
    request: () => ({
      method: "PUT",
      url: "/v1/admin/datasets/%C0%AF/source",
      body: {
        text: '{"sourceUrl":"https://example.test/d.json","trusted":true}',
        contentType: "application/json",
      },
      headers: {},
    }),
  },
  {
    label: "GET /v1/admin/datasets/{ocdId}/diff?from= with U+0000 (PostgreSQL refused the text)",
    auth: "admin",
    request: (f) => ({
      method: "GET",
      url: `/v1/admin/datasets/${encodeURIComponent(f.ocdId)}/diff?from=a%00b`,
      headers: {},
    }),
  },
  {
    label: "POST /v1/admin/overrides with U+0000 in a rule key (jsonb refused it)",
    auth: "admin",
    request: (f) => ({
      method: "POST",
      url: "/v1/admin/overrides",
      body: {
        text: JSON.stringify({
          jurisdiction: f.ocdId,
          action: "replace",
          ruleId: "FUZZ-INFO",
          rule: { severity: "major", "x\u0000": "y" },
          reason: "Emergency order",
          expiresAt: "2099-01-01",
        }),
        contentType: "application/json",
      },
      headers: {},
    }),
  },
  {
    label: "PUT /v1/admin/datasets/{ocdId}/source with U+0000 in the URL (PostgreSQL refused the text)",
    auth: "admin",
    request: (f) => ({
      method: "PUT",
      url: `/v1/admin/datasets/${encodeURIComponent(f.ocdId)}/source`,
      body: {
        text: '{"sourceUrl":"https://example.test/7\\u0000x","trusted":true}',
        contentType: "application/json",
      },
      headers: {},
    }),
  },
  {
    label: "POST /v1/keys with U+0000 in the name",
    auth: "key",
    request: () => ({
      method: "POST",
      url: "/v1/keys",
      body: { text: '{"name":"CI\\u0000key"}', contentType: "application/json" },
      headers: {},
    }),
  },
  {
    label: "POST /v1/groups with U+0000 in the name",
    auth: "key",
    request: () => ({
      method: "POST",
      url: "/v1/groups",
      body: { text: '{"name":"West\\u0000","kind":"region"}', contentType: "application/json" },
      headers: {},
    }),
  },
  {
    label: "POST /v1/auth/signup with a lone surrogate in the company name",
    auth: "public",
    request: () => ({
      method: "POST",
      url: "/v1/auth/signup",
      body: {
        text: JSON.stringify({
          companyName: "Kitchen \uD800",
          email: `lone-${crypto.randomUUID()}@example.test`,
          password: "correct horse battery staple",
        }),
        contentType: "application/json",
      },
      headers: {},
    }),
  },
];

describe("inputs that once answered 500", () => {
  it.each(REGRESSIONS)("$label", async ({ auth, request }) => {
    const runner = await runnerFor({ method: "GET", route: "/", auth });
    const hostile = request(runner.fixture);
    const before = await runner.snapshot();
    const response = await send(hostile, runner);
    await expectNo5xx(response, hostile);
    expect(response.status, describeRequest(hostile)).toBe(422);
    expect(await runner.snapshot()).toEqual(before);
  });
});
