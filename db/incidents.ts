/**
 * Incidents sent to the on-call webhook, by dedup key: whether one is open decides between
 * triggering (breach, not yet open), resolving (healthy, still open) and doing nothing.
 * Each occurrence is also kept in `incident_history` with its opened and resolved times, so
 * MTTR is computed from what happened.
 */
import { and, desc, eq, gte, isNotNull, isNull, like, lt, notLike, sql } from "drizzle-orm";
import { asPlatform, type Database } from "./client";
import { newId } from "./ids";
import { incidentHistory, incidents } from "./schema";

/**
 * Marks the dedup keys of source-review incidents (`prep-<env>-source-review-<review id>`,
 * pipeline/watchers.ts): low-urgency work items open until a reviewer resolves them, not
 * outages, so MTTR leaves them out.
 */
export const REVIEW_INCIDENT_MARK = "-source-review-";

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
  now = new Date(),
): Promise<void> {
  const at = now.toISOString();
  await asPlatform(db, async (tx) => {
    await tx
      .insert(incidents)
      .values({ dedupKey, status, summary, triggeredAt: at, resolvedAt: status === "resolved" ? at : null })
      .onConflictDoUpdate({
        target: incidents.dedupKey,
        set:
          status === "triggered"
            ? { status, summary, triggeredAt: at, resolvedAt: null }
            : { status, resolvedAt: at },
      });
    if (status === "triggered") {
      await tx
        .insert(incidentHistory)
        .values({ id: newId("inc", now.getTime()), dedupKey, summary, openedAt: at });
    } else {
      await tx
        .update(incidentHistory)
        .set({ resolvedAt: at })
        .where(and(eq(incidentHistory.dedupKey, dedupKey), isNull(incidentHistory.resolvedAt)));
    }
  });
}

/** The open occurrence for a dedup key, if any. */
export async function openOccurrence(
  db: Database,
  dedupKey: string,
): Promise<{ id: string; openedAt: string } | null> {
  const [row] = await asPlatform(db, (tx) =>
    tx
      .select({ id: incidentHistory.id, openedAt: incidentHistory.openedAt })
      .from(incidentHistory)
      .where(and(eq(incidentHistory.dedupKey, dedupKey), isNull(incidentHistory.resolvedAt)))
      .orderBy(desc(incidentHistory.openedAt))
      .limit(1),
  );
  return row ?? null;
}

/**
 * Mean time to resolve, in hours, of the incidents opened in [since, until) and resolved; null
 * when none was. Open incidents are not counted (their time to resolve is not known yet), nor
 * source-review items (REVIEW_INCIDENT_MARK: work items, not outages).
 */
export async function mttrHours(db: Database, since: Date, until = new Date()): Promise<number | null> {
  const [row] = await asPlatform(db, (tx) =>
    tx
      .select({
        hours: sql<
          string | null
        >`avg(extract(epoch from (${incidentHistory.resolvedAt} - ${incidentHistory.openedAt}))) / 3600`,
      })
      .from(incidentHistory)
      .where(
        and(
          gte(incidentHistory.openedAt, since.toISOString()),
          lt(incidentHistory.openedAt, until.toISOString()),
          isNotNull(incidentHistory.resolvedAt),
          notLike(incidentHistory.dedupKey, `%${REVIEW_INCIDENT_MARK}%`),
        ),
      ),
  );
  return row?.hours == null ? null : Number(row.hours);
}

/** The dedup keys of triggered incidents starting with `prefix` (the review-incident sync). */
export async function openIncidentKeys(db: Database, prefix: string): Promise<string[]> {
  const rows = await asPlatform(db, (tx) =>
    tx
      .select({ dedupKey: incidents.dedupKey })
      .from(incidents)
      .where(and(eq(incidents.status, "triggered"), like(incidents.dedupKey, `${prefix}%`))),
  );
  return rows.map((r) => r.dedupKey);
}
