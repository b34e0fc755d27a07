/**
 * Prepares a database for the Worker: migrations as the owner, the Worker's login role and
 * the bundled datasets. Shared by `npm start`, the test setup and `prep db migrate`.
 */
import { applyMigrations, ensureWorkerLogin } from "../migrate";
import { seedBundledDatasets } from "../seed";
import { openNodeDatabase } from "./node-database";

export const WORKER_ROLE = "prep_worker";

/** The Worker's connection string: the owner's, with the login role swapped in. */
export function workerDatabaseUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  url.username = WORKER_ROLE;
  url.password = "";
  return url.toString();
}

export async function prepareDatabase(ownerUrl: string): Promise<void> {
  const handle = await openNodeDatabase(ownerUrl);
  try {
    await applyMigrations(handle.db);
    await ensureWorkerLogin(handle.db, WORKER_ROLE);
    await seedBundledDatasets(handle.db);
  } finally {
    await handle.close();
  }
}
