// Row-level security on real Postgres: tenants never see each other's rows, even through raw SQL.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newTenant, workerDb } from "../test/helpers";
import { withTenant } from "./client";
import { newId } from "./ids";
import { facilities } from "./schema";

const handle = workerDb();
const db = handle.db;
let a: { tenantId: string };
let b: { tenantId: string };
let facilityOfA: string;

beforeAll(async () => {
  a = await newTenant("Tenant A");
  b = await newTenant("Tenant B");
  facilityOfA = newId("fac");
  await withTenant(db, a.tenantId, (tx) =>
    tx.insert(facilities).values({
      id: facilityOfA,
      tenantId: a.tenantId,
      name: "A's kitchen",
      type: "restaurant",
      city: "Oakland",
      state: "CA",
    }),
  );
});
afterAll(() => handle.close());

describe("row-level security", () => {
  it("shows a tenant its own rows", async () => {
    const rows = await withTenant(db, a.tenantId, (tx) => tx.execute(sql`SELECT id FROM facilities`));
    expect(rows.rows.map((r) => r.id)).toEqual([facilityOfA]);
  });

  it("shows nothing when no tenant is set", async () => {
    const rows = await db.transaction(async (tx) => {
      await tx.execute(sql`SET LOCAL ROLE prep_app`);
      return tx.execute(sql`SELECT count(*)::int AS n FROM facilities`);
    });
    expect(rows.rows[0]?.n).toBe(0);
  });

  // PGlite behind pglite-socket connects every client as a superuser; there isolation rests
  // on SET LOCAL ROLE (tested above). On PostgreSQL the login role itself is held to RLS.
  it.runIf(env.DATABASE_KIND === "postgres")(
    "shows nothing to the Worker's login role outside a tenant transaction",
    async () => {
      const rows = await db.execute(sql`SELECT count(*)::int AS n FROM facilities`);
      expect(rows.rows[0]?.n).toBe(0);
    },
  );

  it("never shows tenant B tenant A's rows, even by id through raw SQL", async () => {
    const rows = await withTenant(db, b.tenantId, (tx) =>
      tx.execute(sql`SELECT * FROM facilities WHERE id = ${facilityOfA}`),
    );
    expect(rows.rows).toHaveLength(0);
    const tenants = await withTenant(db, b.tenantId, (tx) => tx.execute(sql`SELECT id FROM tenants`));
    expect(tenants.rows.map((r) => r.id)).toEqual([b.tenantId]);
  });

  it("never lets tenant B change or delete tenant A's rows", async () => {
    const updated = await withTenant(db, b.tenantId, (tx) =>
      tx.execute(sql`UPDATE facilities SET name = 'pwned' WHERE id = ${facilityOfA}`),
    );
    expect(updated.rowCount).toBe(0);
    const deleted = await withTenant(db, b.tenantId, (tx) =>
      tx.execute(sql`DELETE FROM facilities WHERE id = ${facilityOfA}`),
    );
    expect(deleted.rowCount).toBe(0);
    const still = await withTenant(db, a.tenantId, (tx) =>
      tx.execute(sql`SELECT name FROM facilities WHERE id = ${facilityOfA}`),
    );
    expect(still.rows[0]?.name).toBe("A's kitchen");
  });

  it("refuses rows written into another tenant", async () => {
    await expect(
      withTenant(db, b.tenantId, (tx) =>
        tx.insert(facilities).values({
          id: newId("fac"),
          tenantId: a.tenantId,
          name: "planted",
          type: "restaurant",
          city: "Oakland",
          state: "CA",
        }),
      ),
    ).rejects.toSatisfy((error: Error) => /row-level security/.test(String((error.cause as Error)?.message)));
  });

  it.runIf(env.DATABASE_KIND === "postgres")(
    "connects the Worker as a role that cannot bypass row-level security",
    async () => {
      const role = await db.execute(
        sql`SELECT rolbypassrls, rolsuper FROM pg_roles WHERE rolname = current_user`,
      );
      expect(role.rows[0]).toEqual({ rolbypassrls: false, rolsuper: false });
    },
  );
});
