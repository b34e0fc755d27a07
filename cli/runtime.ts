/**
 * Where the CLI finds the database: DATABASE_URL, else the embedded one that `npm start`
 * is serving (it records its address in .data/runtime.json while it runs).
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

export const DATA_DIR = resolve(import.meta.dirname, "..", ".data");
export const RUNTIME_FILE = resolve(DATA_DIR, "runtime.json");

export interface Runtime {
  /** Owner connection string of the embedded database. */
  databaseUrl: string;
  /** The URL the Worker answers on. */
  url: string;
  pid: number;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function readRuntime(): Runtime | null {
  if (!existsSync(RUNTIME_FILE)) return null;
  const runtime = JSON.parse(readFileSync(RUNTIME_FILE, "utf8")) as Runtime;
  return isAlive(runtime.pid) ? runtime : null;
}

export class NoDatabaseError extends Error {}

export function resolveDatabaseUrl(): string {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const runtime = readRuntime();
  if (runtime) return runtime.databaseUrl;
  throw new NoDatabaseError(
    "No database to talk to: start Prep with `npm start` (it serves the embedded database) or set DATABASE_URL to a PostgreSQL connection string.",
  );
}
