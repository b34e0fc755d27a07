/**
 * The platform audit log: what Prep's operators and jobs did to global data (overrides,
 * version approvals, admins). The tenant `audit_log` requires a tenant and sits behind
 * row-level security, so platform actions get their own table (docs/data-pipeline.md).
 */
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
  await tx.insert(platformAuditLog).values({
    id: newId("aud"),
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    detail: entry.detail ?? null,
  });
}
