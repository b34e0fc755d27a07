/**
 * Shared test helpers: call the Worker, open the database as the Worker does, and make
 * tenants with keys. Each test makes its own tenants, so files never see each other's data.
 */
import { env, exports } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { expect } from "vitest";
import type { ApiKeyScope } from "../db/api-keys";
import { type DatabaseHandle, openDatabase } from "../db/client";
import { createTenant, type TenantPlan } from "../db/tenants";

export const BASE = "https://prep.test";

export function call(
  path: string,
  init: RequestInit & { key?: string; json?: unknown } = {},
): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  let body = init.body;
  if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    if (!headers.has("content-type")) headers.set("content-type", "application/json");
  }
  return exports.default.fetch(new Request(`${BASE}${path}`, { ...init, headers, body }));
}

/** The Worker's own connection (the login role without BYPASSRLS). */
export function workerDb(): DatabaseHandle {
  return openDatabase({ databaseUrl: env.DATABASE_URL, wsProxy: env.DB_WS_PROXY });
}

/**
 * Enterprise (every state, no location limit, active) unless a test is about billing: tests
 * of checks and facilities in CA, TX, FL, IL, NY… must not be refused by a plan.
 */
export const UNLIMITED_PLAN: TenantPlan = { plan: "enterprise", states: [] };

export async function newTenant(
  name = "Test Kitchen Co",
  scopes?: readonly ApiKeyScope[],
  billing: TenantPlan | "trial" = UNLIMITED_PLAN,
) {
  const handle = workerDb();
  try {
    const created = await createTenant(handle.db, {
      name,
      mode: "test",
      actor: "test",
      ...(scopes ? { scopes } : {}),
      ...(billing === "trial" ? {} : { billing }),
    });
    return { tenantId: created.tenantId, key: created.apiKey.key, keyId: created.apiKey.id };
  } finally {
    await handle.close();
  }
}

/**
 * Moves a key's expiry into the past, straight in Postgres (the API only accepts future
 * expiries): for tests of what an expired key gets. Use it before the key's first request, so
 * no cached observation predates it.
 */
export async function expireKey(keyId: string): Promise<void> {
  const owner = openDatabase({ databaseUrl: env.OWNER_DATABASE_URL ?? "", wsProxy: env.DB_WS_PROXY });
  try {
    await owner.db.execute(
      sql`UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE id = ${keyId}`,
    );
  } finally {
    await owner.close();
  }
}

/** Asserts an RFC 9457 problem with this status and code; returns its body. */
export async function expectProblem(response: Response, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get("content-type")).toBe("application/problem+json");
  const body = (await response.json()) as Record<string, unknown>;
  expect(body).toMatchObject({ status, code, type: `https://prep.dev/problems/${code}` });
  expect(typeof body.title).toBe("string");
  expect(typeof body.detail).toBe("string");
  expect(body.requestId).toBe(response.headers.get("x-request-id"));
  return body;
}
