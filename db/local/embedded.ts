/**
 * The embedded PostgreSQL for `npm start` and for tests when DATABASE_URL is unset: PGlite
 * (Postgres compiled to WASM) served over TCP by pglite-socket, behind a proxy that keeps
 * each client's statements together (see serializing-proxy.ts). Data lives in `dataDir`
 * (under `.data/`) so it survives restarts; without one it is in memory.
 */
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";
import { startSerializingProxy } from "./serializing-proxy";

export interface EmbeddedPostgres {
  /** An owner connection string, e.g. `postgres://postgres@127.0.0.1:54329/postgres`. */
  readonly url: string;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(options: {
  dataDir?: string;
  port?: number;
}): Promise<EmbeddedPostgres> {
  const db = await PGlite.create(options.dataDir);
  const server = new PGLiteSocketServer({ db, port: 0, host: "127.0.0.1", maxConnections: 64 });
  await server.start();
  const internalPort = Number(server.getServerConn().split(":").at(-1));
  const proxy = await startSerializingProxy({ host: "127.0.0.1", port: internalPort }, options.port ?? 0);
  return {
    url: `postgres://postgres@127.0.0.1:${proxy.port}/postgres`,
    stop: async () => {
      await proxy.close();
      await server.stop();
      await db.close();
    },
  };
}
