// The catalog check (db/rls-catalog.ts): every tenant table has row-level security enabled
// and forced, and a permissive policy for prep_app covering SELECT, INSERT, UPDATE and DELETE.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { getTableConfig, PgTable } from "drizzle-orm/pg-core";
import { afterAll, describe, expect, it } from "vitest";
import { workerDb } from "../test/helpers";
import { openDatabase } from "./client";
import { KNOWN_RLS_FAILURES, RLS_FAILURES_SQL, TENANT_TABLES_RLS_SQL } from "./rls-catalog";
import * as schema from "./schema";

const handle = workerDb();
afterAll(() => handle.close());

/** The schema's tenant tables (db/schema.ts): those with `tenant_id`, and `tenants`. */
const schemaTenantTables = (Object.values(schema) as unknown[])
  .filter((value): value is PgTable => value instanceof PgTable)
  .map((table) => getTableConfig(table))
  .filter((config) => config.name === "tenants" || config.columns.some((c) => c.name === "tenant_id"))
  .map((config) => `public.${config.name}`)
  .sort();

describe("the catalog's row-level security", () => {
  it("audits every tenant table of the schema", async () => {
    const rows = (await handle.db.execute(sql.raw(TENANT_TABLES_RLS_SQL))).rows as { table_name: string }[];
    expect(schemaTenantTables.length).toBeGreaterThan(10);
    expect(rows.map((r) => r.table_name)).toEqual(expect.arrayContaining(schemaTenantTables));
  });

  it("enables and forces it on every tenant table, with a prep_app policy for every command", async () => {
    const rows = (await handle.db.execute(sql.raw(RLS_FAILURES_SQL))).rows as {
      table_name: string;
      problems: string;
    }[];
    expect(rows.map((r) => `${r.table_name}: ${r.problems}`).sort()).toEqual([...KNOWN_RLS_FAILURES].sort());
  });

  it("catches each way a tenant table can fall short", async () => {
    const owner = openDatabase({ databaseUrl: env.OWNER_DATABASE_URL ?? "", wsProxy: env.DB_WS_PROXY });
    const rolledBack = new Error("rolled back");
    let failures: { table_name: string; problems: string }[] = [];
    try {
      // Tables made and audited in one transaction that is rolled back: nobody else sees them.
      await expect(
        owner.db.transaction(async (tx) => {
          const forced = (table: string) =>
            `CREATE TABLE ${table} (id int, tenant_id text);
             ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY; ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;`;
          for (const statement of [
            "CREATE TABLE rls_probe_none (id int, tenant_id text)",
            "CREATE TABLE rls_probe_unforced (id int, tenant_id text)",
            "ALTER TABLE rls_probe_unforced ENABLE ROW LEVEL SECURITY",
            "CREATE POLICY p ON rls_probe_unforced FOR ALL TO prep_app USING (true)",
            forced("rls_probe_select_only"),
            "CREATE POLICY p ON rls_probe_select_only FOR SELECT TO prep_app USING (true)",
            forced("rls_probe_restrictive"),
            "CREATE POLICY p ON rls_probe_restrictive AS RESTRICTIVE FOR ALL TO prep_app USING (true)",
            forced("rls_probe_other_role"),
            "CREATE POLICY p ON rls_probe_other_role FOR ALL TO prep_platform USING (true)",
            forced("rls_probe_per_command"),
            "CREATE POLICY s ON rls_probe_per_command FOR SELECT TO prep_app USING (true)",
            "CREATE POLICY i ON rls_probe_per_command FOR INSERT TO prep_app WITH CHECK (true)",
            "CREATE POLICY u ON rls_probe_per_command FOR UPDATE TO prep_app USING (true)",
            "CREATE POLICY d ON rls_probe_per_command FOR DELETE TO prep_app USING (true)",
            forced("rls_probe_public"),
            "CREATE POLICY p ON rls_probe_public FOR ALL USING (true)",
          ])
            await tx.execute(sql.raw(statement));
          failures = (await tx.execute(sql.raw(RLS_FAILURES_SQL))).rows as typeof failures;
          throw rolledBack;
        }),
      ).rejects.toBe(rolledBack);
    } finally {
      await owner.close();
    }
    const probes = Object.fromEntries(
      failures.filter((f) => f.table_name.includes("rls_probe_")).map((f) => [f.table_name, f.problems]),
    );
    const everyCommand = "no permissive prep_app policy for SELECT, INSERT, UPDATE, DELETE";
    expect(probes).toEqual({
      "public.rls_probe_none": `row-level security not enabled; row-level security not forced; ${everyCommand}`,
      "public.rls_probe_unforced": "row-level security not forced",
      "public.rls_probe_select_only": "no permissive prep_app policy for INSERT, UPDATE, DELETE",
      "public.rls_probe_restrictive": everyCommand,
      "public.rls_probe_other_role": everyCommand,
    });
  });
});
