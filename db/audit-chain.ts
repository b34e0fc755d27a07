/**
 * The audit trail's hash chains: one per tenant (`audit_log`) and one for the platform
 * (`platform_audit_log`). Each entry stores `seq` (its position, from 1), `prev_hash` (the
 * previous entry's hash; GENESIS for the first) and `hash`: SHA-256 (hex) over the canonical
 * serialisation `prep_audit_canonical(prev_hash, seq, id, tenant_id, actor, action, target,
 * detail, at)` — a jsonb-rendered array, defined once in migration 0009 so the append, the
 * migration's backfill and the verification below all serialise the same bytes.
 *
 * Appending takes a transaction-scoped advisory lock on the chain first, so two requests
 * auditing at once queue instead of forking the chain (the unique index on the chain
 * position backs this up); the lock is released when the audited change commits or fails.
 *
 * Verification reads every chain in one repeatable-read snapshot, recomputes each hash here
 * (WebCrypto: Node and workerd alike) and reports the first broken link.
 */
import { sql } from "drizzle-orm";
import type { Database, Tx } from "./client";

export const GENESIS_HASH = "0".repeat(64);

/** Advisory lock namespaces (the first key of `pg_advisory_xact_lock(int, int)`). */
const TENANT_CHAIN_LOCK = 730_001;
const PLATFORM_CHAIN_LOCK = 730_002;

export interface ChainFields {
  id: string;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
}

const detailParam = (detail: Record<string, unknown> | null) =>
  detail === null ? sql`NULL::jsonb` : sql`${JSON.stringify(detail)}::jsonb`;

/** Appends to the tenant's chain. Call inside the tenant transaction of the audited change. */
export async function appendTenantEntry(tx: Tx, tenantId: string, entry: ChainFields): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${TENANT_CHAIN_LOCK}, hashtext(${tenantId}))`);
  await tx.execute(sql`
    WITH head AS (
      SELECT seq, hash FROM audit_log WHERE tenant_id = ${tenantId} ORDER BY seq DESC LIMIT 1
    ), entry AS (
      SELECT ${entry.id}::text AS id, ${tenantId}::text AS tenant_id, ${entry.actor}::text AS actor,
        ${entry.action}::text AS action, ${entry.target}::text AS target, ${detailParam(entry.detail)} AS detail,
        now() AS at, coalesce((SELECT seq FROM head), 0) + 1 AS seq,
        coalesce((SELECT hash FROM head), ${GENESIS_HASH}::text) AS prev_hash
    )
    INSERT INTO audit_log (id, tenant_id, actor, action, target, detail, at, seq, prev_hash, hash)
    SELECT id, tenant_id, actor, action, target, detail, at, seq, prev_hash,
      prep_audit_hash(prev_hash, seq, id, tenant_id, actor, action, target, detail, at)
    FROM entry`);
}

/** Appends to the platform chain. Call inside the transaction of the audited change. */
export async function appendPlatformEntry(tx: Tx, entry: ChainFields): Promise<void> {
  await tx.execute(sql`SELECT pg_advisory_xact_lock(${PLATFORM_CHAIN_LOCK}, 0)`);
  await tx.execute(sql`
    WITH head AS (
      SELECT seq, hash FROM platform_audit_log ORDER BY seq DESC LIMIT 1
    ), entry AS (
      SELECT ${entry.id}::text AS id, ${entry.actor}::text AS actor, ${entry.action}::text AS action,
        ${entry.target}::text AS target, ${detailParam(entry.detail)} AS detail, now() AS at,
        coalesce((SELECT seq FROM head), 0) + 1 AS seq,
        coalesce((SELECT hash FROM head), ${GENESIS_HASH}::text) AS prev_hash
    )
    INSERT INTO platform_audit_log (id, actor, action, target, detail, at, seq, prev_hash, hash)
    SELECT id, actor, action, target, detail, at, seq, prev_hash,
      prep_audit_hash(prev_hash, seq, id, NULL, actor, action, target, detail, at)
    FROM entry`);
}

export type AuditTable = "audit_log" | "platform_audit_log";

export interface BrokenLink {
  table: AuditTable;
  /** The tenant id, or "platform". */
  chain: string;
  id: string;
  seq: number;
  /** Which stored value disagrees with the recomputation. */
  field: "hash" | "prev_hash" | "seq";
  expected: string;
  stored: string;
}

export interface ChainReport {
  tenantEntries: number;
  tenantChains: number;
  platformEntries: number;
  /** The first broken link (tenant chains first, by tenant id), or null when every chain holds. */
  broken: BrokenLink | null;
}

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

interface ChainRow {
  id: string;
  chain: string;
  seq: string | number;
  prev_hash: string;
  hash: string;
  canonical: string;
}

const BATCH = 1000;

/**
 * Walks one table's chains in (chain, seq) order, batch by batch; returns the first broken
 * link and the counts. `chainKey` is the SQL expression naming an entry's chain.
 */
async function walk(
  tx: Tx,
  table: AuditTable,
): Promise<{ entries: number; chains: number; broken: BrokenLink | null }> {
  const chainKey = table === "audit_log" ? sql.raw("tenant_id") : sql.raw("'platform'::text");
  const tenantArg = table === "audit_log" ? sql.raw("tenant_id") : sql.raw("NULL::text");
  let entries = 0;
  let chains = 0;
  let current: string | null = null;
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  let after: { chain: string; seq: number } | null = null;
  for (;;) {
    const where = after
      ? sql`WHERE (${chainKey}, seq) > (${after.chain}::text, ${after.seq}::bigint)`
      : sql``;
    const result = await tx.execute(sql`
      SELECT id, ${chainKey} AS chain, seq, prev_hash, hash,
        prep_audit_canonical(prev_hash, seq, id, ${tenantArg}, actor, action, target, detail, at) AS canonical
      FROM ${sql.raw(table)} ${where}
      ORDER BY ${chainKey}, seq LIMIT ${BATCH}`);
    const rows = result.rows as unknown as ChainRow[];
    for (const row of rows) {
      const seq = Number(row.seq);
      if (row.chain !== current) {
        current = row.chain;
        chains += 1;
        expectedPrev = GENESIS_HASH;
        expectedSeq = 1;
      }
      entries += 1;
      const link = { table, chain: row.chain, id: row.id, seq };
      if (seq !== expectedSeq) {
        return {
          entries,
          chains,
          broken: { ...link, field: "seq", expected: String(expectedSeq), stored: String(seq) },
        };
      }
      if (row.prev_hash !== expectedPrev) {
        return {
          entries,
          chains,
          broken: { ...link, field: "prev_hash", expected: expectedPrev, stored: row.prev_hash },
        };
      }
      const expected = await sha256Hex(row.canonical);
      if (row.hash !== expected) {
        return { entries, chains, broken: { ...link, field: "hash", expected, stored: row.hash } };
      }
      expectedPrev = row.hash;
      expectedSeq = seq + 1;
    }
    const last = rows.at(-1);
    if (!last || rows.length < BATCH) return { entries, chains, broken: null };
    after = { chain: last.chain, seq: Number(last.seq) };
  }
}

/**
 * Recomputes every chain. Needs a connection that sees every tenant's rows: the database
 * owner (`prep audit verify`), not the Worker's role.
 */
export async function verifyAuditChains(db: Database): Promise<ChainReport> {
  return db.transaction(
    async (tx) => {
      const tenant = await walk(tx, "audit_log");
      const platform = tenant.broken ? null : await walk(tx, "platform_audit_log");
      return {
        tenantEntries: tenant.entries,
        tenantChains: tenant.chains,
        platformEntries: platform?.entries ?? 0,
        broken: tenant.broken ?? platform?.broken ?? null,
      };
    },
    { isolationLevel: "repeatable read", accessMode: "read only" },
  );
}

/** The one-line summary `prep audit verify` prints. */
export function describeReport(report: ChainReport): string {
  const { broken } = report;
  if (!broken) {
    return `ok: ${report.tenantEntries} tenant entries in ${report.tenantChains} chains, ${report.platformEntries} platform entries`;
  }
  return (
    `broken: ${broken.table} id ${broken.id} (chain ${broken.chain}, seq ${broken.seq}): ` +
    `${broken.field} expected ${broken.expected}, stored ${broken.stored}`
  );
}
