/**
 * API keys: `prep_live_…` / `prep_test_…`, shown once, stored as SHA-256.
 *
 * A key is `prep_<mode>_<8 lookup chars><32 secret chars>`. The first 18 characters
 * (`prep_test_3FA9C1D2`) are the non-secret prefix stored beside the hash: lookups use it,
 * lists show it, and nothing that reaches the database can rebuild the key.
 */
import { eq, sql } from "drizzle-orm";
import { type Database, type Tx, withTenant } from "./client";
import { newId } from "./ids";
import { apiKeys } from "./schema";

export const API_KEY_SCOPES = [
  "checks:write",
  "checks:read",
  "facilities:read",
  "facilities:write",
  "alerts:read",
  "alerts:write",
  "usage:read",
  "billing:read",
  "keys:write",
] as const;
export type ApiKeyScope = (typeof API_KEY_SCOPES)[number];
export type ApiKeyMode = "live" | "test";

const KEY_PATTERN = /^prep_(live|test)_([0-9A-Za-z]{8})([0-9A-Za-z]{32})$/;
const ALPHANUMERIC = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomAlphanumeric(length: number): string {
  // 62 does not divide 256: reject the top bytes so every character is equally likely.
  let out = "";
  while (out.length < length) {
    for (const byte of crypto.getRandomValues(new Uint8Array(length * 2))) {
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62];
    }
  }
  return out;
}

export interface ParsedApiKey {
  mode: ApiKeyMode;
  prefix: string;
}

/** Splits a presented key; null when it is not shaped like a Prep key. */
export function parseApiKey(key: string): ParsedApiKey | null {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  return { mode: match[1] as ApiKeyMode, prefix: key.slice(0, 18) };
}

const HEX_BYTES = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));

/** Compares two hex digests in time that depends only on their length (no early exit on a mismatch). */
export function timingSafeEqualHex(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

/** Lower-case hex SHA-256 of the key (what `api_keys.hash` stores); runs on every API request. */
export async function hashApiKey(key: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key)));
  let hex = "";
  for (const byte of digest) hex += HEX_BYTES[byte];
  return hex;
}

export interface CreatedApiKey {
  id: string;
  key: string;
  prefix: string;
  name: string;
  mode: ApiKeyMode;
  scopes: ApiKeyScope[];
  createdAt: string;
}

export async function createApiKey(
  tx: Tx,
  input: { tenantId: string; name: string; mode: ApiKeyMode; scopes: readonly ApiKeyScope[] },
): Promise<CreatedApiKey> {
  const key = `prep_${input.mode}_${randomAlphanumeric(40)}`;
  const prefix = key.slice(0, 18);
  const [row] = await tx
    .insert(apiKeys)
    .values({
      id: newId("key"),
      tenantId: input.tenantId,
      name: input.name,
      prefix,
      hash: await hashApiKey(key),
      mode: input.mode,
      scopes: [...input.scopes],
    })
    .returning();
  if (!row) throw new Error("api key insert returned nothing");
  return {
    id: row.id,
    key,
    prefix,
    name: row.name,
    mode: row.mode,
    scopes: row.scopes as ApiKeyScope[],
    createdAt: row.createdAt,
  };
}

/** Revokes a key of the current tenant; its lookup prefix, or null when there is no such key. */
export async function revokeApiKey(tx: Tx, keyId: string): Promise<string | null> {
  const rows = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(eq(apiKeys.id, keyId))
    .returning({ prefix: apiKeys.prefix });
  return rows[0]?.prefix ?? null;
}

export interface StoredApiKey {
  id: string;
  tenantId: string;
  hash: string;
  mode: ApiKeyMode;
  scopes: string[];
  revokedAt: string | null;
}

/** Finds a key by its prefix across tenants, through the one SECURITY DEFINER door. */
export async function findApiKeyByPrefix(db: Database, prefix: string): Promise<StoredApiKey | null> {
  const result = await db.execute(sql`SELECT * FROM prep_find_api_key(${prefix})`);
  const row = result.rows[0] as
    | { id: string; tenant_id: string; hash: string; mode: ApiKeyMode; scopes: string[]; revoked_at: unknown }
    | undefined;
  if (!row) return null;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    hash: row.hash,
    mode: row.mode,
    scopes: row.scopes,
    revokedAt: row.revoked_at == null ? null : String(row.revoked_at),
  };
}

/**
 * Which tenant owns a key: the CLI revokes by key id alone. It reads across tenants, so it
 * works only on an owner connection (the CLI's); under `prep_app` it finds nothing.
 */
export async function findApiKeyTenant(db: Database, keyId: string): Promise<string | null> {
  const result = await db.execute(sql`SELECT tenant_id FROM api_keys WHERE id = ${keyId}`);
  return (result.rows[0] as { tenant_id: string } | undefined)?.tenant_id ?? null;
}

export function listApiKeys(db: Database, tenantId: string) {
  return withTenant(db, tenantId, (tx) =>
    tx
      .select({
        id: apiKeys.id,
        name: apiKeys.name,
        prefix: apiKeys.prefix,
        mode: apiKeys.mode,
        scopes: apiKeys.scopes,
        createdAt: apiKeys.createdAt,
        revokedAt: apiKeys.revokedAt,
      })
      .from(apiKeys)
      .orderBy(apiKeys.id),
  );
}
