/**
 * How the Worker, the tenant object and scheduled jobs open Postgres from their bindings.
 */
import type { DatabaseConfig } from "../db/client";
import type { RuntimeEnv } from "./env";

export function databaseConfig(env: RuntimeEnv): DatabaseConfig {
  return {
    databaseUrl: env.DATABASE_URL,
    replicaUrl: env.DATABASE_URL_REPLICA || undefined,
    wsProxy: env.DB_WS_PROXY || undefined,
  };
}
