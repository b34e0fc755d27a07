/**
 * The platform audit log: what Prep's operators and jobs did to global data (overrides,
 * version approvals, admins). The tenant `audit_log` requires a tenant and sits behind
 * row-level security, so platform actions get their own table (docs/data-pipeline.md). Its
 * entries form one hash chain (db/audit-chain.ts).
 */
import { desc, lt, sql } from "drizzle-orm";
import { type AuditPage, toAuditLogEntry } from "./audit";
import { appendPlatformEntry } from "./audit-chain";
import type { Tx } from "./client";
import { newId } from "./ids";
import { platformAuditLog } from "./schema";

export interface PlatformAuditEntry {
  /** A platform admin id (`adm_…`) or a tool ("cli", "cron"). */
  actor: string;
  /** `<resource>.<verb>`, e.g. `override.approved`. */
  action: string;
  target?: string;
  detail?: Record<string, unknown>;
}

export async function recordPlatformAudit(tx: Tx, entry: PlatformAuditEntry): Promise<void> {
  await appendPlatformEntry(tx, {
    id: newId("aud"),
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    detail: entry.detail ?? null,
  });
}

/** Platform audit entries, newest first; `after` is the previous page's last id. Call inside `asPlatform`. */
export async function listPlatformAuditEntries(
  tx: Tx,
  page: { after?: string | undefined; limit: number },
): Promise<AuditPage> {
  const rows = await tx
    .select()
    .from(platformAuditLog)
    .where(
      page.after
        ? lt(platformAuditLog.seq, sql`(SELECT seq FROM platform_audit_log WHERE id = ${page.after})`)
        : undefined,
    )
    .orderBy(desc(platformAuditLog.seq))
    .limit(page.limit + 1);
  const data = rows.slice(0, page.limit).map(toAuditLogEntry);
  return { data, nextCursor: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}
