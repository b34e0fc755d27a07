/**
 * A stored facility's past checks, newest first, from the `checks` table (which the tenant
 * Durable Object's outbox fills, so the latest check may take a moment to appear). Call
 * inside `withTenant`.
 */
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { Tx } from "./client";
import { checks } from "./schema";

export interface CheckSummary {
  id: string;
  asOf: string;
  evaluatedAt: string;
  status: "compliant" | "at_risk" | "non_compliant";
  /** How many findings failed. */
  failing: number;
}

export async function listFacilityChecks(
  tx: Tx,
  facilityId: string,
  page: { before?: string | undefined; limit: number },
): Promise<{ data: CheckSummary[]; nextCursor: string | null }> {
  const conditions: SQL[] = [eq(checks.facilityId, facilityId)];
  if (page.before) conditions.push(lt(checks.id, page.before));
  const rows = await tx
    .select()
    .from(checks)
    .where(and(...conditions))
    .orderBy(desc(checks.id))
    .limit(page.limit + 1);
  const data = rows.slice(0, page.limit).map((row) => ({
    id: row.id,
    asOf: row.asOf,
    evaluatedAt: new Date(row.evaluatedAt).toISOString(),
    status: row.status as CheckSummary["status"],
    failing: ((row.result as { findings?: { status: string }[] }).findings ?? []).filter(
      (f) => f.status === "fail",
    ).length,
  }));
  return { data, nextCursor: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}
