/**
 * `prep audit verify` — recomputes every audit hash chain (each tenant's audit_log and the
 * platform_audit_log) over the owner connection, which sees every tenant's rows. Prints
 * "ok: N tenant entries in M chains, K platform entries", or names the first broken link
 * (table, id, expected vs stored) on stderr and exits 1.
 */
import { describeReport, verifyAuditChains } from "../db/audit-chain";
import { UsageError, withDatabase } from "./shared";

export const AUDIT_USAGE = `  prep audit verify                        recompute the audit hash chains; exit 1 on a broken link`;

/** A chain does not verify: main prints the message and exits 1. */
export class AuditChainBrokenError extends Error {
  override name = "AuditChainBrokenError";
}

export async function auditCommand(verb: string): Promise<void> {
  if (verb !== "verify") throw new UsageError(`unknown command "audit ${verb}"`);
  const report = await withDatabase(verifyAuditChains);
  const line = describeReport(report);
  if (report.broken) throw new AuditChainBrokenError(line);
  process.stdout.write(`${line}\n`);
}
