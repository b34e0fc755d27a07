/**
 * Opens the database from Node (CLI, migrations, seed, test setup) through the same driver
 * the Worker uses: an in-process WebSocket bridge to the PostgreSQL in `databaseUrl`.
 */
import { WebSocket } from "ws";
import { type DatabaseHandle, DatabaseUnavailableError, openDatabase } from "../client";
import { startWsBridge } from "./ws-bridge";

export async function openNodeDatabase(databaseUrl: string): Promise<DatabaseHandle> {
  const url = new URL(databaseUrl);
  const target = { host: url.hostname, port: Number(url.port || 5432) };
  const bridge = await startWsBridge({ target });
  const handle = openDatabase({ databaseUrl, wsProxy: bridge.proxy, webSocketConstructor: WebSocket });
  try {
    await handle.db.execute("select 1");
  } catch (error) {
    await handle.close().catch(() => {});
    await bridge.close();
    throw new DatabaseUnavailableError(
      `No database answered at ${url.host} (${(error as Error).message || "connection refused"}).`,
    );
  }
  return {
    db: handle.db,
    close: async () => {
      await handle.close();
      await bridge.close();
    },
  };
}
