/**
 * Opens the database and runs work inside tenant or platform transactions.
 *
 * One driver everywhere: the Neon serverless driver (Postgres over WebSocket) with drizzle.
 * In production it reaches Neon directly; locally and in tests `wsProxy` points it at the
 * WebSocket bridge in front of PGlite or the machine's PostgreSQL. A pool lives for one
 * request (Workers cannot share sockets across requests), so callers close it when done.
 */
import { neonConfig, Pool } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import * as schema from "./schema";

export type Database = NeonDatabase<typeof schema>;
/** What a transaction callback receives: the drizzle transaction. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface DatabaseConfig {
  databaseUrl: string;
  /** `host:port/path` of a local WebSocket bridge; empty in production. */
  wsProxy?: string | undefined;
  /** Node has no global WebSocket before 22; scripts pass `ws`. */
  webSocketConstructor?: unknown;
}

export interface DatabaseHandle {
  db: Database;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

export function openDatabase(config: DatabaseConfig): DatabaseHandle {
  if (!config.databaseUrl) throw new DatabaseUnavailableError("DATABASE_URL is not configured");
  // neonConfig is process-wide; every caller in one isolate passes the same settings (they
  // come from the Worker's env), so setting them on each open is idempotent.
  if (config.wsProxy) {
    neonConfig.wsProxy = (host, port) => `${config.wsProxy}?address=${host}:${port}`;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineConnect = false;
    neonConfig.pipelineTLS = false;
  }
  if (config.webSocketConstructor) {
    neonConfig.webSocketConstructor = config.webSocketConstructor as typeof neonConfig.webSocketConstructor;
  }
  const pool = new Pool({ connectionString: config.databaseUrl, max: 4 });
  // A pool error outside a query (a dropped socket) must not crash the isolate.
  pool.on("error", () => {});
  return { db: drizzle({ client: pool, schema }), close: () => pool.end() };
}

/**
 * Runs `work` in a transaction bound to one tenant: row-level security shows and accepts
 * only that tenant's rows. `SET LOCAL ROLE` matters where the connection is a superuser
 * (PGlite behind pglite-socket always is) since superusers bypass row-level security.
 */
export function withTenant<T>(db: Database, tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL ROLE prep_app`);
    await tx.execute(sql`SELECT set_config('app.tenant_id', ${tenantId}, true)`);
    return work(tx);
  });
}

/** Runs `work` as the platform role: global regulatory data, no tenant rows. */
export function asPlatform<T>(db: Database, work: (tx: Tx) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL ROLE prep_platform`);
    return work(tx);
  });
}
