/**
 * The local database stack every Node-side entry point needs (npm start, the test setup,
 * the browser tests, benchmarks): PostgreSQL from DATABASE_URL or an embedded PGlite,
 * migrated and seeded, behind the WebSocket bridge the Worker's Neon driver talks through.
 */
import { type EmbeddedPostgres, startEmbeddedPostgres } from "./embedded";
import { prepareDatabase, workerDatabaseUrl } from "./prepare";
import { startWsBridge } from "./ws-bridge";

export interface LocalDatabase {
  kind: "postgres" | "pglite";
  /** Owner connection: migrations, the CLI, test assertions. */
  ownerUrl: string;
  /** The Worker's connection (login role without BYPASSRLS). */
  workerUrl: string;
  /** The Worker's `DB_WS_PROXY`. */
  wsProxy: string;
  /** Tests only: plays a database outage at the bridge (`ws-bridge.ts`). */
  setAvailable(available: boolean): void;
  stop(): Promise<void>;
}

export interface LocalDatabaseOptions {
  /** Use this PostgreSQL instead of an embedded one (normally `process.env.DATABASE_URL`). */
  databaseUrl?: string | undefined;
  /** Where the embedded database keeps its files; in memory when absent. */
  dataDir?: string;
  /** The embedded database's port; any free port when absent. */
  port?: number;
}

export async function startLocalDatabase(options: LocalDatabaseOptions): Promise<LocalDatabase> {
  let embedded: EmbeddedPostgres | undefined;
  let ownerUrl = options.databaseUrl;
  if (!ownerUrl) {
    embedded = await startEmbeddedPostgres({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      ...(options.port ? { port: options.port } : {}),
    });
    ownerUrl = embedded.url;
  }
  try {
    await prepareDatabase(ownerUrl);
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  const target = new URL(ownerUrl);
  const bridge = await startWsBridge({
    target: { host: target.hostname, port: Number(target.port || 5432) },
  });
  return {
    kind: embedded ? "pglite" : "postgres",
    ownerUrl,
    workerUrl: workerDatabaseUrl(ownerUrl),
    wsProxy: bridge.proxy,
    setAvailable: bridge.setAvailable,
    stop: async () => {
      await bridge.close();
      await embedded?.stop();
    },
  };
}
