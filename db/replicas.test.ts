// Read replicas: reads that tolerate lag go to the replica until the request writes; after a
// write, and for every transaction, the primary serves, so a request sees its own writes.
// The owner connection stands in for the replica: which one answered shows in session_user.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sfRestaurant } from "../test/fixtures";
import { newTenant } from "../test/helpers";
import { createApp } from "../workers/app";
import { openDatabase, readerOf, type Tx, withTenant, withTenantRead } from "./client";

const sessionUser = async (tx: Tx) =>
  ((await tx.execute(sql`SELECT session_user AS u`)).rows[0] as { u: string }).u;

function withReplica() {
  return openDatabase({
    databaseUrl: env.DATABASE_URL,
    replicaUrl: env.OWNER_DATABASE_URL ?? env.DATABASE_URL,
    wsProxy: env.DB_WS_PROXY,
  });
}

describe("read replicas", () => {
  it("serves lag-tolerant reads from the replica until the handle writes, then the primary", async () => {
    const { tenantId } = await newTenant();
    const handle = withReplica();
    try {
      expect(readerOf(handle.db)).not.toBe(handle.db);
      const replicaUser = await withTenantRead(handle.db, tenantId, sessionUser);
      // A write (every transaction counts as one) runs on the primary, and the rest of the
      // handle's reads follow it there.
      const primaryUser = await withTenant(handle.db, tenantId, async (tx) => {
        await tx.execute(sql`UPDATE tenants SET name = 'Renamed Kitchen' WHERE id = ${tenantId}`);
        return sessionUser(tx);
      });
      expect(primaryUser).toBe(env.DATABASE_KIND === "postgres" ? "prep_worker" : primaryUser);
      // PGlite has one user for both connections; PostgreSQL tells them apart.
      if (env.DATABASE_KIND === "postgres") expect(replicaUser).not.toBe(primaryUser);
      expect(readerOf(handle.db)).toBe(handle.db);
      const after = await withTenantRead(handle.db, tenantId, async (tx) => ({
        user: await sessionUser(tx),
        name: (
          (await tx.execute(sql`SELECT name FROM tenants WHERE id = ${tenantId}`)).rows[0] as { name: string }
        ).name,
      }));
      expect(after).toEqual({ user: primaryUser, name: "Renamed Kitchen" });
    } finally {
      await handle.close();
    }
  });

  it("without a replica, every read is the primary's", async () => {
    const handle = openDatabase({ databaseUrl: env.DATABASE_URL, wsProxy: env.DB_WS_PROXY });
    try {
      expect(readerOf(handle.db)).toBe(handle.db);
    } finally {
      await handle.close();
    }
  });

  it("the Worker lists through the replica, tenant isolation included, when DATABASE_URL_REPLICA is set", async () => {
    const mine = await newTenant();
    const other = await newTenant();
    const replicaEnv = { ...env, DATABASE_URL_REPLICA: env.OWNER_DATABASE_URL ?? env.DATABASE_URL };
    const app = createApp();
    const created = await app.request(
      "/v1/facilities",
      {
        method: "POST",
        headers: { authorization: `Bearer ${mine.key}`, "content-type": "application/json" },
        body: JSON.stringify(sfRestaurant()),
      },
      replicaEnv,
    );
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const list = async (key: string) =>
      (await (
        await app.request("/v1/facilities", { headers: { authorization: `Bearer ${key}` } }, replicaEnv)
      ).json()) as { data: { id: string }[] };
    expect((await list(mine.key)).data.map((f) => f.id)).toEqual([id]);
    expect((await list(other.key)).data).toEqual([]);
  });
});
