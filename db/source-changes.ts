/**
 * Proposed changes of a dataset's source (its URL and whether it is trusted): made by one
 * platform admin (or the CLI), in effect only after a different admin approves them. A trusted
 * source's new versions reach every tenant without review, so one person must never be able to
 * point a dataset at an upstream and trust it alone. Every step is written to the platform
 * audit log in the same transaction.
 */
import { and, desc, eq } from "drizzle-orm";
import { asPlatform, type Database } from "./client";
import { applySource, datasetExists, type SourceSetting } from "./datasets";
import { newId } from "./ids";
import { recordPlatformAudit } from "./platform-audit";
import { datasetSourceChanges } from "./schema";

export type SourceChangeStatus = "pending" | "approved" | "rejected";
export type SourceChangeRow = typeof datasetSourceChanges.$inferSelect;

/** The pending change, or null when there is no dataset of that jurisdiction. */
export function proposeSourceChange(
  db: Database,
  jurisdiction: string,
  source: SourceSetting,
  actor: string,
): Promise<SourceChangeRow | null> {
  return asPlatform(db, async (tx) => {
    if (!(await datasetExists(tx, jurisdiction))) return null;
    const [row] = await tx
      .insert(datasetSourceChanges)
      .values({ id: newId("dsc"), jurisdiction, ...source, status: "pending", createdBy: actor })
      .returning();
    if (!row) throw new Error("source change insert returned nothing");
    await recordPlatformAudit(tx, {
      actor,
      action: "dataset_source.proposed",
      target: row.id,
      detail: { jurisdiction, ...source },
    });
    return row;
  });
}

export type SourceDecision = "approve" | "reject";

export type SourceDecisionResult =
  | { ok: true; change: SourceChangeRow }
  | { ok: false; reason: "not_found" | "self_approval" | "wrong_status"; status?: SourceChangeStatus };

/** Approving applies the change (db/datasets.ts applySource) in the same transaction. */
export function decideSourceChange(
  db: Database,
  id: string,
  decision: SourceDecision,
  actor: string,
): Promise<SourceDecisionResult> {
  return asPlatform(db, async (tx) => {
    const [current] = await tx
      .select()
      .from(datasetSourceChanges)
      .where(eq(datasetSourceChanges.id, id))
      .for("update");
    if (!current) return { ok: false, reason: "not_found" };
    if (current.status !== "pending") return { ok: false, reason: "wrong_status", status: current.status };
    // Four eyes: whoever proposed the source cannot be the one who puts it in effect.
    if (decision === "approve" && current.createdBy === actor) return { ok: false, reason: "self_approval" };
    const status = decision === "approve" ? "approved" : "rejected";
    const [updated] = await tx
      .update(datasetSourceChanges)
      .set({ status, decidedBy: actor, decidedAt: new Date().toISOString() })
      .where(eq(datasetSourceChanges.id, id))
      .returning();
    if (!updated) return { ok: false, reason: "not_found" };
    if (decision === "approve") {
      await applySource(tx, current.jurisdiction, { sourceUrl: current.sourceUrl, trusted: current.trusted });
    }
    await recordPlatformAudit(tx, {
      actor,
      action: `dataset_source.${status}`,
      target: id,
      detail: {
        jurisdiction: current.jurisdiction,
        sourceUrl: current.sourceUrl,
        trusted: current.trusted,
        proposedBy: current.createdBy,
      },
    });
    return { ok: true, change: updated };
  });
}

export function listSourceChanges(
  db: Database,
  filter: { jurisdiction?: string | undefined; status?: SourceChangeStatus | undefined } = {},
): Promise<SourceChangeRow[]> {
  return asPlatform(db, (tx) =>
    tx
      .select()
      .from(datasetSourceChanges)
      .where(
        and(
          filter.jurisdiction ? eq(datasetSourceChanges.jurisdiction, filter.jurisdiction) : undefined,
          filter.status ? eq(datasetSourceChanges.status, filter.status) : undefined,
        ),
      )
      .orderBy(desc(datasetSourceChanges.id)),
  );
}
