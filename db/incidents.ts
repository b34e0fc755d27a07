/**
 * Incidents sent to the on-call webhook, by dedup key: whether one is open decides between
 * triggering (breach, not yet open), resolving (healthy, still open) and doing nothing.
 */
import { eq } from "drizzle-orm";
import { asPlatform, type Database } from "./client";
import { incidents } from "./schema";

export async function openIncident(db: Database, dedupKey: string): Promise<boolean> {
  const [row] = await asPlatform(db, (tx) =>
    tx.select({ status: incidents.status }).from(incidents).where(eq(incidents.dedupKey, dedupKey)),
  );
  return row?.status === "triggered";
}

export async function setIncident(
  db: Database,
  dedupKey: string,
  status: "triggered" | "resolved",
  summary: string,
): Promise<void> {
  const now = new Date().toISOString();
  await asPlatform(db, (tx) =>
    tx
      .insert(incidents)
      .values({ dedupKey, status, summary, triggeredAt: now, resolvedAt: status === "resolved" ? now : null })
      .onConflictDoUpdate({
        target: incidents.dedupKey,
        set:
          status === "triggered"
            ? { status, summary, triggeredAt: now, resolvedAt: null }
            : { status, resolvedAt: now },
      }),
  );
}
