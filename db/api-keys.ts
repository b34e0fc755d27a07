/**
 * API keys: `prep_live_…` / `prep_test_…`, shown once, stored as SHA-256. A key may expire,
 * and records the user who made it: it lives only as long as their membership and role allow,
 * unless an owner made it as a service key.
 *
 * A key is `prep_<mode>_<8 lookup chars><32 secret chars>`. The first 18 characters
 * (`prep_test_3FA9C1D2`) are the non-secret prefix stored beside the hash: lookups use it,
 * lists show it, and nothing that reaches the database can rebuild the key.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
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
  // Webhook endpoints, their secrets and delivery logs (ADR 0015).
  "webhooks:write",
  // Evidence vault: see exports and their share links (read); create exports, share links, schedules (write).
  "exports:read",
  "exports:write",
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
  expiresAt: string | null;
  createdBy: string | null;
  service: boolean;
}

export interface NewApiKey {
  tenantId: string;
  name: string;
  mode: ApiKeyMode;
  scopes: readonly ApiKeyScope[];
  /** RFC 3339; absent = no expiry. */
  expiresAt?: string | null | undefined;
  /** The user it belongs to (absent for operator-made keys). */
  createdBy?: string | null | undefined;
  /** Outlives its creator's membership (only owners make these: the route checks). */
  service?: boolean | undefined;
}

export async function createApiKey(tx: Tx, input: NewApiKey): Promise<CreatedApiKey> {
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
      expiresAt: input.expiresAt ?? null,
      createdBy: input.createdBy ?? null,
      service: input.service ?? false,
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
    expiresAt: row.expiresAt,
    createdBy: row.createdBy,
    service: row.service,
  };
}

/** The user a key of the current tenant belongs to (null: none), for a key it makes. */
export async function keyCreator(tx: Tx, keyId: string): Promise<string | null> {
  const [row] = await tx.select({ createdBy: apiKeys.createdBy }).from(apiKeys).where(eq(apiKeys.id, keyId));
  return row?.createdBy ?? null;
}

export type CreatorChange = "creator_removed" | "creator_demoted";

/**
 * Revokes the live keys `userId` made in the current tenant, except service keys and those
 * `keep` accepts (scopes the user's new role may still hold); returns what was revoked, so the
 * caller can make the key cache forget them and close their sockets.
 */
export async function revokeKeysOfCreator(
  tx: Tx,
  userId: string,
  reason: CreatorChange,
  keep: (scopes: readonly string[]) => boolean = () => false,
): Promise<{ id: string; prefix: string }[]> {
  const live = await tx
    .select({ id: apiKeys.id, prefix: apiKeys.prefix, scopes: apiKeys.scopes })
    .from(apiKeys)
    .where(and(eq(apiKeys.createdBy, userId), eq(apiKeys.service, false), isNull(apiKeys.revokedAt)));
  const revoked = live.filter((key) => !keep(key.scopes));
  for (const key of revoked) {
    await tx
      .update(apiKeys)
      .set({ revokedAt: sql`now()`, revokedReason: reason })
      .where(eq(apiKeys.id, key.id));
  }
  return revoked.map(({ id, prefix }) => ({ id, prefix }));
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
  expiresAt: string | null;
}

/** Finds a key by its prefix across tenants, through the one SECURITY DEFINER door. */
export async function findApiKeyByPrefix(db: Database, prefix: string): Promise<StoredApiKey | null> {
  // The expiry as RFC 3339 in UTC, whatever text form the driver gives timestamps.
  const result = await db.execute(
    sql`SELECT *, to_char(expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS expires_iso FROM prep_find_api_key(${prefix})`,
  );
  const row = result.rows[0] as
    | {
        id: string;
        tenant_id: string;
        hash: string;
        mode: ApiKeyMode;
        scopes: string[];
        revoked_at: unknown;
        expires_iso: string | null;
      }
    | undefined;
  if (!row) return null;
  return {
    id: row.id,
    tenantId: row.tenant_id,
    hash: row.hash,
    mode: row.mode,
    scopes: row.scopes,
    revokedAt: row.revoked_at == null ? null : String(row.revoked_at),
    expiresAt: row.expires_iso,
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
        revokedReason: apiKeys.revokedReason,
        expiresAt: apiKeys.expiresAt,
        createdBy: apiKeys.createdBy,
        service: apiKeys.service,
      })
      .from(apiKeys)
      .orderBy(apiKeys.id),
  );
}
