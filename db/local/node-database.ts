/**
 * Opens the database from Node (CLI, migrations, seed, test setup) through the same driver
 * the Worker uses: an in-process WebSocket bridge to the PostgreSQL in `databaseUrl`.
 */
import { WebSocket } from "ws";
import { type DatabaseHandle, DatabaseUnavailableError, openDatabase } from "../client";
import { startWsBridge } from "./ws-bridge";

/** The innermost message: drizzle wraps the driver's error in "Failed query: …". */
function rootCause(error: unknown): string {
  let message = "connection refused";
  for (let current = error, depth = 0; current && typeof current === "object" && depth < 5; depth++) {
    const text = (current as { message?: unknown }).message;
    if (typeof text === "string" && text && !text.startsWith("Failed query")) message = text;
    current = (current as { cause?: unknown }).cause;
  }
  return message;
}

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
    throw new DatabaseUnavailableError(`No database answered at ${url.host} (${rootCause(error)}).`);
  }
  return {
    db: handle.db,
    close: async () => {
      await handle.close();
      await bridge.close();
    },
  };
}
