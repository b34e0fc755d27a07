/**
 * The audit log: who did what to which tenant resource. Written inside the same tenant
 * transaction as the change it records, so the two commit or fail together. Each tenant's
 * entries form a hash chain (db/audit-chain.ts): appending serialises on the chain's head.
 */
import { and, desc, lt, type SQL, sql } from "drizzle-orm";
import { appendTenantEntry } from "./audit-chain";
import type { Tx } from "./client";
import { newId } from "./ids";
import { auditLog } from "./schema";

export interface AuditEntry {
  tenantId: string;
  /** A key id, user id, or a tool ("cli", "npm start"). */
  actor: string;
  /** `<resource>.<verb>`, e.g. `api_key.revoked`. */
  action: string;
  target?: string;
  detail?: Record<string, unknown>;
}

export async function recordAudit(tx: Tx, entry: AuditEntry): Promise<void> {
  await appendTenantEntry(tx, entry.tenantId, {
    id: newId("aud"),
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    detail: entry.detail ?? null,
  });
}

/** One entry as the API shows it (tenant and platform alike; `tenantId` absent on the platform's). */
export interface AuditLogEntry {
  id: string;
  seq: number;
  at: string;
  actor: string;
  action: string;
  target: string | null;
  detail: Record<string, unknown> | null;
  prevHash: string;
  hash: string;
}

export interface AuditPage {
  data: AuditLogEntry[];
  nextCursor: string | null;
}

export const toAuditLogEntry = (row: {
  id: string;
  seq: number;
  at: string | Date;
  actor: string;
  action: string;
  target: string | null;
  detail: unknown;
  prevHash: string;
  hash: string;
}): AuditLogEntry => ({
  id: row.id,
  seq: Number(row.seq),
  at: new Date(row.at).toISOString(),
  actor: row.actor,
  action: row.action,
  target: row.target,
  detail: (row.detail as Record<string, unknown> | null) ?? null,
  prevHash: row.prevHash,
  hash: row.hash,
});

/**
 * The tenant's audit entries, newest first; `after` is the previous page's last id. Call
 * inside `withTenant` (row-level security limits it to the tenant).
 */
export async function listAuditEntries(
  tx: Tx,
  page: { after?: string | undefined; limit: number },
): Promise<AuditPage> {
  const conditions: SQL[] = [];
  if (page.after) {
    conditions.push(lt(auditLog.seq, sql`(SELECT seq FROM audit_log WHERE id = ${page.after})`));
  }
  const rows = await tx
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.seq))
    .limit(page.limit + 1);
  const data = rows.slice(0, page.limit).map(toAuditLogEntry);
  return { data, nextCursor: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}
