/**
 * Applies the committed migrations (as the database owner) and makes sure the Worker's login
 * role exists. Safe to run repeatedly: drizzle records what it applied.
 */
import { sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/neon-serverless/migrator";
import type { Database } from "./client";

export const MIGRATIONS_FOLDER = new URL("./migrations", import.meta.url).pathname;

export async function applyMigrations(db: Database): Promise<void> {
  await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
}

/**
 * Creates (if missing) a login role for the Worker that belongs to `prep_app` and
 * `prep_platform` and can bypass nothing. Local and test databases use trust auth, so it has
 * no password; in production the operator sets one (see RUNBOOK.md).
 */
export async function ensureWorkerLogin(db: Database, role = "prep_worker"): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(role)) throw new Error(`invalid role name: ${role}`);
  const exists = await db.execute(sql`SELECT 1 FROM pg_roles WHERE rolname = ${role}`);
  if (exists.rows.length === 0) {
    await db.execute(sql.raw(`CREATE ROLE ${role} LOGIN NOSUPERUSER NOBYPASSRLS`));
  }
  await db.execute(sql.raw(`GRANT prep_app, prep_platform TO ${role}`));
}
