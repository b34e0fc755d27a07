/**
 * A Postgres outage, played at the bridge the Worker and the tenant objects reach the
 * database through (test/upstream-server.ts `PUT /database`). While it lasts, a cold isolate
 * still answers checks: keys and datasets come from the edge store (Workers KV), metering goes
 * to the tenant's object. After it, the objects' outboxes deliver every check to Postgres
 * exactly once.
 *
 * This file runs in the `workerd-serial` project: nothing else uses the database meanwhile.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { withTenant } from "../db/client";
import { datasetRegistry } from "../runtime/dataset-registry";
import { apiKeyVerifier } from "../workers/services/api-key-verifier";
import { TenantMeters } from "../workers/services/tenant-meters";
import { sfRestaurant } from "./fixtures";
import { call, newTenant, workerDb } from "./helpers";
import { upstreamUrl } from "./pipeline";

async function setDatabaseAvailable(available: boolean): Promise<void> {
  const response = await fetch(`${upstreamUrl()}/database`, {
    method: "PUT",
    body: JSON.stringify({ available }),
  });
  expect(response.status).toBe(204);
}

/** Forgets what this isolate holds in memory, as a new isolate would start. */
async function coldIsolate(): Promise<void> {
  await apiKeyVerifier.forget();
  datasetRegistry.evict();
}

const check = (key: string, name: string) =>
  call("/v1/checks", { method: "POST", key, json: { facility: sfRestaurant({ name }) } });

async function checkIdsInPostgres(tenantId: string): Promise<string[]> {
  const handle = workerDb();
  try {
    return await withTenant(handle.db, tenantId, async (tx) =>
      ((await tx.execute(sql`SELECT id FROM checks ORDER BY id`)).rows as { id: string }[]).map(
        (row) => row.id,
      ),
    );
  } finally {
    await handle.close();
  }
}

/** Runs the tenant object's alarm until its outbox has delivered `expected` checks (or gives up). */
async function drainOutbox(tenantId: string, expected: number): Promise<string[]> {
  let delivered: string[] = [];
  for (let attempt = 0; attempt < 10; attempt++) {
    await runDurableObjectAlarm(TenantMeters.of(env, tenantId).shard(0));
    delivered = await checkIdsInPostgres(tenantId);
    if (delivered.length >= expected) break;
  }
  return delivered;
}

afterEach(() => setDatabaseAvailable(true));

describe("a Postgres outage", () => {
  it("leaves checks answering from a cold isolate, usage exact, and history complete after it", async () => {
    const { key, tenantId } = await newTenant();
    // Before the outage: one check, so the edge store has seen this key and the datasets.
    const before = await check(key, "Before");
    expect(before.status).toBe(200);
    const ids = [((await before.json()) as { id: string }).id];

    await coldIsolate();
    await setDatabaseAvailable(false);
    for (let i = 0; i < 20; i++) {
      const response = await check(key, `During ${i} ☕ – ≥`);
      expect(response.status, await response.clone().text()).toBe(200);
      ids.push(((await response.json()) as { id: string }).id);
    }
    const usage = await call("/v1/usage?granularity=day", { key });
    expect(usage.status).toBe(200);
    expect(((await usage.json()) as { total: number }).total).toBe(21);

    await setDatabaseAvailable(true);
    const delivered = await drainOutbox(tenantId, ids.length);
    expect(delivered).toEqual([...ids].sort());
  });

  it("answers 503, never 500, for a key no isolate has seen yet", async () => {
    const { key } = await newTenant();
    await coldIsolate();
    await setDatabaseAvailable(false);
    // Never observed by any isolate: nobody can say whether it is valid.
    const unseen = await call("/v1/me", { key });
    expect(unseen.status).toBe(503);
    expect(unseen.headers.get("content-type")).toBe("application/problem+json");
    expect(unseen.headers.get("retry-after")).not.toBeNull();
  });
});
