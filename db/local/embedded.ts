/**
 * The embedded PostgreSQL for `npm start` and for tests when DATABASE_URL is unset: PGlite
 * (Postgres compiled to WASM) served over TCP by pglite-socket. Data lives in `dataDir`
 * (under `.data/`) so it survives restarts; without one it is in memory.
 */
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedPostgres {
  /** An owner connection string, e.g. `postgres://postgres@127.0.0.1:54329/postgres`. */
  readonly url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: { dataDir?: string; port?: number }): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({ db, port: options.port ?? 0, host: "127.0.0.1", maxConnections: 16 });
  await server.start();
  const port = (server as unknown as { server?: { address(): { port: number } } }).server?.address().port;
  return {
    url: `postgres://postgres@127.0.0.1:${port ?? options.port}/postgres`,
    stop: async () => {
      await server.stop();
      await db.close();
    },
  };
}
