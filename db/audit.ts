/**
 * The audit log: who did what to which tenant resource. Written inside the same tenant
 * transaction as the change it records, so the two commit or fail together.
 */
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
  await tx.insert(auditLog).values({
    id: newId("aud"),
    tenantId: entry.tenantId,
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    detail: entry.detail ?? null,
  });
}
