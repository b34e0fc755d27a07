/**
 * What every CLI command shares: usage errors (exit 2), JSON output on stdout and a database
 * connection that is closed when the command is done.
 */
import type { Database } from "../db/client";
import { openNodeDatabase } from "../db/local/node-database";
import { resolveDatabaseUrl } from "./runtime";

export class UsageError extends Error {}

export const print = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);

export async function withDatabase<T>(work: (db: Database) => Promise<T>): Promise<T> {
  const handle = await openNodeDatabase(resolveDatabaseUrl());
  try {
    return await work(handle.db);
  } finally {
    await handle.close();
  }
}
