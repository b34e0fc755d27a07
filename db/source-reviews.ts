/**
 * Source watchers' state and their review queue (pipeline/watchers.ts): each watched
 * official source as last seen (conditional-request validators, normalised text, hash, when
 * it last answered), and the review items a change of its text opens — at most one open item
 * per source, resolved by a platform admin with a note (audited in the platform audit log).
 */
import { and, arrayOverlaps, desc, eq, inArray, lt, notInArray, sql } from "drizzle-orm";
import type { WatchedSource } from "../compliance";
import { asPlatform, type Database, type Tx } from "./client";
import { newId } from "./ids";
import { recordPlatformAudit } from "./platform-audit";
import { datasetVersions, sourceReviews, watchedSources } from "./schema";

export type WatchedSourceRow = typeof watchedSources.$inferSelect;
export type SourceReviewRow = typeof sourceReviews.$inferSelect;
export type ReviewStatus = SourceReviewRow["status"];

/**
 * Writes what the list says about each source (a source whose URL changed starts over: its
 * validators and text belonged to the old address). With `retireOthers`, sources no longer
 * listed are forgotten (their review items stay). Returns the stored rows of `sources`.
 */
export function syncWatchedSources(
  db: Database,
  sources: readonly WatchedSource[],
  options: { retireOthers: boolean },
): Promise<WatchedSourceRow[]> {
  return asPlatform(db, async (tx) => {
    for (const s of sources) {
      const listed = { kind: s.kind, title: s.title, url: s.url, datasets: s.datasets, ruleIds: s.rules };
      await tx
        .insert(watchedSources)
        .values({ id: s.id, ...listed })
        .onConflictDoUpdate({
          target: watchedSources.id,
          set: {
            ...listed,
            // A new address: nothing known about it yet (the next answer is its baseline).
            etag: sql`CASE WHEN ${watchedSources.url} = excluded.url THEN ${watchedSources.etag} END`,
            lastModified: sql`CASE WHEN ${watchedSources.url} = excluded.url THEN ${watchedSources.lastModified} END`,
            contentHash: sql`CASE WHEN ${watchedSources.url} = excluded.url THEN ${watchedSources.contentHash} END`,
            contentText: sql`CASE WHEN ${watchedSources.url} = excluded.url THEN ${watchedSources.contentText} END`,
          },
        });
    }
    const ids = sources.map((s) => s.id);
    if (options.retireOthers) {
      await tx.delete(watchedSources).where(ids.length ? notInArray(watchedSources.id, ids) : undefined);
    }
    return ids.length ? tx.select().from(watchedSources).where(inArray(watchedSources.id, ids)) : [];
  });
}

/** An answer that was read: 304, or content (same hash or a first baseline). */
export function recordAnswer(
  db: Database,
  id: string,
  answer: {
    now: Date;
    etag?: string | null;
    lastModified?: string | null;
    /** New content's hash and text (a first baseline or an unchanged body); absent for a 304. */
    content?: { hash: string; text: string } | undefined;
  },
): Promise<void> {
  return asPlatform(db, async (tx) => {
    await tx
      .update(watchedSources)
      .set({
        ...succeeded(answer.now),
        ...validators(answer),
        ...(answer.content ? { contentHash: answer.content.hash, contentText: answer.content.text } : {}),
      })
      .where(eq(watchedSources.id, id));
  });
}

const succeeded = (now: Date) => ({
  lastCheckedAt: now.toISOString(),
  lastSuccessAt: now.toISOString(),
  failureCount: 0,
  nextAttemptAt: null,
  lastError: null,
});

/** Keeps the stored validator when an answer (a 304 may omit them) does not repeat it. */
function validators(answer: { etag?: string | null; lastModified?: string | null }) {
  return {
    ...(answer.etag ? { etag: answer.etag } : {}),
    ...(answer.lastModified ? { lastModified: answer.lastModified } : {}),
  };
}

export function recordFailure(
  db: Database,
  id: string,
  failure: { now: Date; error: string; nextAttemptAt: Date },
): Promise<void> {
  return asPlatform(db, async (tx) => {
    await tx
      .update(watchedSources)
      .set({
        lastCheckedAt: failure.now.toISOString(),
        failureCount: sql`${watchedSources.failureCount} + 1`,
        nextAttemptAt: failure.nextAttemptAt.toISOString(),
        lastError: failure.error.slice(0, 1000),
      })
      .where(eq(watchedSources.id, id));
  });
}

export interface SourceChange {
  now: Date;
  etag?: string | null;
  lastModified?: string | null;
  fromHash: string;
  toHash: string;
  text: string;
  /** The unified diff of two texts (the pipeline's: db/ knows no diff library). */
  diff(before: string, after: string): string;
}

/**
 * A changed text: stores it and opens the source's review item, or — while one is open —
 * updates that item's diff (from the text it was opened against) and change count. One
 * transaction; the open item row is locked, and the partial unique index keeps one per source.
 */
export function recordChange(
  db: Database,
  source: WatchedSourceRow,
  change: SourceChange,
): Promise<{ review: SourceReviewRow; opened: boolean }> {
  return asPlatform(db, async (tx) => {
    const at = change.now.toISOString();
    await tx
      .update(watchedSources)
      .set({
        ...succeeded(change.now),
        ...validators(change),
        contentHash: change.toHash,
        contentText: change.text,
        lastChangedAt: at,
      })
      .where(eq(watchedSources.id, source.id));
    const [open] = await tx
      .select()
      .from(sourceReviews)
      .where(and(eq(sourceReviews.sourceId, source.id), eq(sourceReviews.status, "open")))
      .for("update");
    const snapshot = {
      sourceKind: source.kind,
      sourceTitle: source.title,
      sourceUrl: source.url,
      datasets: source.datasets,
      ruleIds: source.ruleIds,
      toHash: change.toHash,
      updatedAt: at,
    };
    if (open) {
      const [updated] = await tx
        .update(sourceReviews)
        .set({ ...snapshot, diff: change.diff(open.baseText, change.text), changes: open.changes + 1 })
        .where(eq(sourceReviews.id, open.id))
        .returning();
      if (!updated) throw new Error("review update returned nothing");
      return { review: updated, opened: false };
    }
    const baseText = source.contentText ?? "";
    const [created] = await tx
      .insert(sourceReviews)
      .values({
        id: newId("srv", change.now.getTime()),
        sourceId: source.id,
        ...snapshot,
        fromHash: change.fromHash,
        baseText,
        diff: change.diff(baseText, change.text),
        status: "open",
        openedAt: at,
      })
      .returning();
    if (!created) throw new Error("review insert returned nothing");
    return { review: created, opened: true };
  });
}

/** A page of review items, newest first (`after`: the previous page's last id). */
export function listReviews(
  db: Database,
  query: { status?: ReviewStatus | undefined; after?: string | undefined; limit: number },
): Promise<{ data: SourceReviewRow[]; nextCursor: string | null }> {
  return asPlatform(db, async (tx) => {
    const rows = await tx
      .select()
      .from(sourceReviews)
      .where(
        and(
          query.status ? eq(sourceReviews.status, query.status) : undefined,
          query.after ? lt(sourceReviews.id, query.after) : undefined,
        ),
      )
      .orderBy(desc(sourceReviews.id))
      .limit(query.limit + 1);
    const data = rows.slice(0, query.limit);
    return { data, nextCursor: rows.length > query.limit ? (data.at(-1)?.id ?? null) : null };
  });
}

export type Resolution =
  | { resolution: "dataset_version"; datasetVersionId: string; note: string }
  | { resolution: "no_change_needed"; note: string };

export type ResolveResult =
  | { ok: true; review: SourceReviewRow }
  | { ok: false; reason: "not_found" | "already_resolved" | "unknown_version" | "version_not_cited" };

/**
 * Resolves an open item with its note and, for a dataset change, the version that addressed
 * it (a stored version of one of the datasets citing the source). Audited in the same
 * transaction (`source_review.resolved`).
 */
export function resolveReview(
  db: Database,
  id: string,
  actor: string,
  resolution: Resolution,
  now = new Date(),
): Promise<ResolveResult> {
  return asPlatform(db, async (tx) => {
    const [current] = await tx.select().from(sourceReviews).where(eq(sourceReviews.id, id)).for("update");
    if (!current) return { ok: false, reason: "not_found" };
    if (current.status !== "open") return { ok: false, reason: "already_resolved" };
    const versionId = resolution.resolution === "dataset_version" ? resolution.datasetVersionId : null;
    if (versionId) {
      const problem = await checkVersion(tx, versionId, current.datasets);
      if (problem) return { ok: false, reason: problem };
    }
    const [updated] = await tx
      .update(sourceReviews)
      .set({
        status: "resolved",
        resolvedAt: now.toISOString(),
        resolvedBy: actor,
        resolution: resolution.resolution,
        datasetVersionId: versionId,
        note: resolution.note,
      })
      .where(eq(sourceReviews.id, id))
      .returning();
    if (!updated) return { ok: false, reason: "not_found" };
    await recordPlatformAudit(tx, {
      actor,
      action: "source_review.resolved",
      target: id,
      detail: {
        sourceId: current.sourceId,
        datasets: current.datasets,
        resolution: resolution.resolution,
        datasetVersionId: versionId,
        note: resolution.note,
      },
    });
    return { ok: true, review: updated };
  });
}

async function checkVersion(
  tx: Tx,
  versionId: string,
  datasets: readonly string[],
): Promise<"unknown_version" | "version_not_cited" | null> {
  const [version] = await tx
    .select({ jurisdiction: datasetVersions.jurisdiction })
    .from(datasetVersions)
    .where(eq(datasetVersions.id, versionId));
  if (!version) return "unknown_version";
  return datasets.includes(version.jurisdiction) ? null : "version_not_cited";
}

/** What the freshness SLO needs: each source's datasets and last answer, and the open items' age. */
export interface WatchFreshnessInputs {
  sources: { id: string; datasets: string[]; lastSuccessAt: string | null }[];
  openReviews: { id: string; datasets: string[]; openedAt: string }[];
}

export function watchFreshnessInputs(db: Database, tx?: Tx): Promise<WatchFreshnessInputs> {
  const read = async (t: Tx) => ({
    sources: await t
      .select({
        id: watchedSources.id,
        datasets: watchedSources.datasets,
        lastSuccessAt: watchedSources.lastSuccessAt,
      })
      .from(watchedSources),
    openReviews: await t
      .select({ id: sourceReviews.id, datasets: sourceReviews.datasets, openedAt: sourceReviews.openedAt })
      .from(sourceReviews)
      .where(eq(sourceReviews.status, "open")),
  });
  return tx ? read(tx) : asPlatform(db, read);
}

/** Open items citing any of `datasets` (the incident sync and tests). */
export function openReviewsFor(db: Database, datasets: readonly string[]): Promise<SourceReviewRow[]> {
  return asPlatform(db, (tx) =>
    tx
      .select()
      .from(sourceReviews)
      .where(and(eq(sourceReviews.status, "open"), arrayOverlaps(sourceReviews.datasets, [...datasets]))),
  );
}

/** The review items with these ids (the incident sync: which of its open incidents' items are resolved). */
export function reviewsByIds(db: Database, ids: readonly string[]): Promise<SourceReviewRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return asPlatform(db, (tx) =>
    tx
      .select()
      .from(sourceReviews)
      .where(inArray(sourceReviews.id, [...ids])),
  );
}
