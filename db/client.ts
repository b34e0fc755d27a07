/**
 * Opens the database and runs work inside tenant or platform transactions.
 *
 * One driver everywhere: the Neon serverless driver (Postgres over WebSocket) with drizzle.
 * In production it reaches Neon directly; locally and in tests `wsProxy` points it at the
 * WebSocket bridge in front of PGlite or the machine's PostgreSQL. A pool lives for one
 * request (Workers cannot share sockets across requests), so callers close it when done.
 *
 * With a read replica (`replicaUrl`), the handle is drizzle's `withReplicas`: plain selects and
 * reads through `withTenantRead` go to the replica until the handle writes; from then on, and
 * for every transaction, insert, update, delete and raw statement, the primary serves
 * (read-your-writes within a request). Only routes that tolerate replication lag call
 * `withTenantRead`; everything else stays on the primary.
 */
import { type Client, neonConfig, Pool } from "@neondatabase/serverless";
import { sql } from "drizzle-orm";
import { drizzle, type NeonDatabase } from "drizzle-orm/neon-serverless";
import { withReplicas } from "drizzle-orm/pg-core";
import * as schema from "./schema";

export type Database = NeonDatabase<typeof schema>;
/** What a transaction callback receives: the drizzle transaction. */
export type Tx = Parameters<Parameters<Database["transaction"]>[0]>[0];

export interface DatabaseConfig {
  databaseUrl: string;
  /** A read replica's connection string (`DATABASE_URL_REPLICA`); absent = the primary serves all. */
  replicaUrl?: string | undefined;
  /** `host:port/path` of a local WebSocket bridge; empty in production. */
  wsProxy?: string | undefined;
  /** Node has no global WebSocket before 22; scripts pass `ws`. */
  webSocketConstructor?: unknown;
}

export interface OpenOptions {
  /**
   * The handle sends large statements (the outbox's batches of records, megabytes each): every
   * write of the Postgres protocol goes out as its own WebSocket message. The driver's default
   * coalescing copies everything pending into a new buffer on each write, so a multi-megabyte
   * Bind was copied once per message after it: 7 % of a metered check in profiles on a loaded
   * machine, too little to show in quiet runs (docs/performance.md, "What moved in the object").
   */
  bulkWrites?: boolean;
}

export interface DatabaseHandle {
  db: Database;
  close(): Promise<void>;
}

export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

export function openDatabase(config: DatabaseConfig, options: OpenOptions = {}): DatabaseHandle {
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
  const primaryPool = newPool(config.databaseUrl, options);
  const primary = drizzle({ client: primaryPool, schema });
  if (!config.replicaUrl) return { db: primary, close: () => primaryPool.end() };

  const replicaPool = newPool(config.replicaUrl, options);
  const replica = drizzle({ client: replicaPool, schema });
  const state: Routing = { replica, wrote: false };
  const db = withReplicas(primary, [replica], () => (state.wrote ? primary : replica));
  // Anything that may write makes the rest of this handle's reads go to the primary.
  for (const method of ["insert", "update", "delete", "execute", "transaction"] as const) {
    const routed = db[method] as (...args: unknown[]) => unknown;
    (db as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
      state.wrote = true;
      return routed(...args);
    };
  }
  routing.set(db, state);
  return {
    db,
    close: async () => {
      await Promise.all([primaryPool.end(), replicaPool.end()]);
    },
  };
}

function newPool(connectionString: string, { bulkWrites = false }: OpenOptions): Pool {
  const pool = new Pool({ connectionString, max: 4 });
  // A pool error outside a query (a dropped socket) must not crash the isolate.
  pool.on("error", () => {});
  // Per connection, not neonConfig's process-wide default: other handles keep coalescing.
  if (bulkWrites)
    pool.on("connect", (client: Client) => {
      client.neonConfig.coalesceWrites = false;
    });
  return pool;
}

interface Routing {
  replica: Database;
  /** Set by the first statement that may write: reads then stay on the primary. */
  wrote: boolean;
}
const routing = new WeakMap<Database, Routing>();

/**
 * Where a read that tolerates replication lag goes: the replica, unless this handle has already
 * written (then the primary, so the request sees its own writes) or there is no replica.
 */
export function readerOf(db: Database): Database {
  const state = routing.get(db);
  return state && !state.wrote ? state.replica : db;
}

/**
 * `withTenant` for reads that tolerate replication lag (lists and single-record reads): on the
 * replica when `readerOf` says so (a hot standby accepts the role and setting this sets).
 */
export function withTenantRead<T>(db: Database, tenantId: string, work: (tx: Tx) => Promise<T>): Promise<T> {
  return withTenant(readerOf(db), tenantId, work);
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
