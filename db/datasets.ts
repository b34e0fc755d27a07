/**
 * Regulatory dataset versions in Postgres: storing an immutable version (with provenance and
 * its rules denormalised for querying), activating or rejecting it, loading the active
 * versions the Worker compiles into isolate memory, and each dataset's refresh bookkeeping
 * (source, ETag, last success, failures and the next retry).
 */

import { and, asc, desc, eq, inArray, isNotNull, isNull, lte, ne, or, sql } from "drizzle-orm";
import type { Dataset } from "../compliance";
import { asPlatform, type Database, type Tx } from "./client";
import { newId } from "./ids";
import { datasetSourceChanges, datasets, datasetVersions, rules } from "./schema";

export async function hashContent(content: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(content));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export interface StoreOptions {
  source: string;
  /** Who or what approved it ("seed", "auto:trusted-source", an admin id); null while pending review. */
  approvedBy: string | null;
  /** Who or what started the refresh that fetched it (db/schema.ts `dataset_versions.created_by`). */
  createdBy?: string;
  activate: boolean;
  fetchedAt?: string;
}

export interface StoredVersion {
  versionId: string;
  created: boolean;
  contentHash: string;
}

/** Stores `dataset` as a new version unless the same content is already stored. */
export async function storeDatasetVersion(
  db: Database,
  dataset: Dataset,
  options: StoreOptions,
): Promise<StoredVersion> {
  const contentHash = await hashContent(dataset);
  return asPlatform(db, async (tx) => {
    await tx
      .insert(datasets)
      .values({ jurisdiction: dataset.jurisdiction, name: dataset.name })
      .onConflictDoUpdate({ target: datasets.jurisdiction, set: { name: dataset.name } });
    const [existing] = await tx
      .select({ id: datasetVersions.id, status: datasetVersions.status })
      .from(datasetVersions)
      .where(
        and(
          eq(datasetVersions.jurisdiction, dataset.jurisdiction),
          eq(datasetVersions.contentHash, contentHash),
        ),
      );
    if (existing) {
      // Upstream went back to content stored before: make that version current again.
      if (options.activate && existing.status !== "active")
        await activate(tx, dataset.jurisdiction, existing.id);
      return { versionId: existing.id, created: false, contentHash };
    }

    const versionId = newId("dsv");
    await tx.insert(datasetVersions).values({
      id: versionId,
      jurisdiction: dataset.jurisdiction,
      version: dataset.version,
      contentHash,
      content: dataset,
      source: options.source,
      fetchedAt: options.fetchedAt ?? new Date().toISOString(),
      approvedBy: options.approvedBy,
      createdBy: options.createdBy ?? null,
      status: options.activate ? "active" : "pending",
    });
    if (dataset.rules.length > 0) {
      await tx.insert(rules).values(
        dataset.rules.map((rule, position) => ({
          datasetVersionId: versionId,
          position,
          ruleId: rule.id,
          title: rule.title,
          citation: rule.citation,
          severity: rule.severity,
          verified: rule.verified,
          effectiveFrom: rule.effectiveFrom ?? null,
          effectiveTo: rule.effectiveTo ?? null,
          body: rule,
        })),
      );
    }
    if (options.activate) await activate(tx, dataset.jurisdiction, versionId);
    return { versionId, created: true, contentHash };
  });
}

/** Makes `versionId` the jurisdiction's active version; the previous one is superseded. */
async function activate(tx: Tx, jurisdiction: string, versionId: string): Promise<void> {
  await tx
    .update(datasetVersions)
    .set({ status: "superseded" })
    .where(
      and(
        eq(datasetVersions.jurisdiction, jurisdiction),
        eq(datasetVersions.status, "active"),
        ne(datasetVersions.id, versionId),
      ),
    );
  await tx.update(datasetVersions).set({ status: "active" }).where(eq(datasetVersions.id, versionId));
  await tx
    .update(datasets)
    .set({ activeVersionId: versionId, lastRefreshedAt: sql`now()` })
    .where(eq(datasets.jurisdiction, jurisdiction));
}

export type ReviewDecision = "approve" | "reject";

export type ReviewResult =
  | { ok: true; versionId: string; status: "active" | "rejected" }
  | { ok: false; reason: "not_found" | "self_approval" };

/**
 * Approves (activates) or rejects a pending version. Four eyes: whoever started the refresh
 * that fetched it cannot approve it, nor can whoever proposed the source it came from (else
 * one admin could propose an untrusted upstream, have it approved as harmless, and approve
 * what the nightly refresh fetched from it).
 */
export function reviewVersion(
  db: Database,
  jurisdiction: string,
  versionId: string,
  decision: ReviewDecision,
  actor: string,
  audit: (tx: Tx) => Promise<void>,
): Promise<ReviewResult> {
  return asPlatform(db, async (tx) => {
    const [pending] = await tx
      .select({
        id: datasetVersions.id,
        createdBy: datasetVersions.createdBy,
        source: datasetVersions.source,
      })
      .from(datasetVersions)
      .where(
        and(
          eq(datasetVersions.id, versionId),
          eq(datasetVersions.jurisdiction, jurisdiction),
          eq(datasetVersions.status, "pending"),
        ),
      )
      .for("update");
    if (!pending) return { ok: false, reason: "not_found" };
    if (
      decision === "approve" &&
      (pending.createdBy === actor || (await sourceProposer(tx, jurisdiction, pending.source)) === actor)
    )
      return { ok: false, reason: "self_approval" };
    await tx.update(datasetVersions).set({ approvedBy: actor }).where(eq(datasetVersions.id, versionId));
    if (decision === "approve") await activate(tx, jurisdiction, versionId);
    else
      await tx.update(datasetVersions).set({ status: "rejected" }).where(eq(datasetVersions.id, versionId));
    await audit(tx);
    return { ok: true, versionId, status: decision === "approve" ? "active" : "rejected" };
  });
}

/** Who proposed the approved source change that set `sourceUrl` for the jurisdiction (the latest); null if none did. */
async function sourceProposer(tx: Tx, jurisdiction: string, sourceUrl: string): Promise<string | null> {
  const [change] = await tx
    .select({ createdBy: datasetSourceChanges.createdBy })
    .from(datasetSourceChanges)
    .where(
      and(
        eq(datasetSourceChanges.jurisdiction, jurisdiction),
        eq(datasetSourceChanges.sourceUrl, sourceUrl),
        eq(datasetSourceChanges.status, "approved"),
      ),
    )
    .orderBy(desc(datasetSourceChanges.decidedAt))
    .limit(1);
  return change?.createdBy ?? null;
}

export interface VersionRow {
  id: string;
  jurisdiction: string;
  version: string;
  status: string;
  contentHash: string;
  source: string;
  fetchedAt: string;
  approvedBy: string | null;
  createdBy: string | null;
  createdAt: string;
}

const versionColumns = {
  id: datasetVersions.id,
  jurisdiction: datasetVersions.jurisdiction,
  version: datasetVersions.version,
  status: datasetVersions.status,
  contentHash: datasetVersions.contentHash,
  source: datasetVersions.source,
  fetchedAt: datasetVersions.fetchedAt,
  approvedBy: datasetVersions.approvedBy,
  createdBy: datasetVersions.createdBy,
  createdAt: datasetVersions.createdAt,
};

/** A jurisdiction's versions, newest first (provenance only, no content). */
export function listVersions(db: Database, jurisdiction: string): Promise<VersionRow[]> {
  return asPlatform(db, (tx) =>
    tx
      .select(versionColumns)
      .from(datasetVersions)
      .where(eq(datasetVersions.jurisdiction, jurisdiction))
      .orderBy(desc(datasetVersions.id)),
  );
}

/** One version's content, by version id or by its dataset version string ("2026.11.0"). */
export async function loadVersion(
  db: Database,
  jurisdiction: string,
  idOrVersion: string,
): Promise<(VersionRow & { content: Dataset }) | null> {
  const [row] = await asPlatform(db, (tx) =>
    tx
      .select({ ...versionColumns, content: datasetVersions.content })
      .from(datasetVersions)
      .where(
        and(
          eq(datasetVersions.jurisdiction, jurisdiction),
          or(eq(datasetVersions.id, idOrVersion), eq(datasetVersions.version, idOrVersion)),
        ),
      )
      .orderBy(desc(datasetVersions.id))
      .limit(1),
  );
  return row ? { ...row, content: row.content as Dataset } : null;
}

// ---- Sources and refresh bookkeeping ----

export interface DatasetSource {
  jurisdiction: string;
  sourceUrl: string | null;
  trusted: boolean;
  etag: string | null;
  activeVersionId: string | null;
  failureCount: number;
  nextAttemptAt: string | null;
  lastRefreshedAt: string | null;
  lastError: string | null;
}

const sourceColumns = {
  jurisdiction: datasets.jurisdiction,
  sourceUrl: datasets.sourceUrl,
  trusted: datasets.trusted,
  etag: datasets.etag,
  activeVersionId: datasets.activeVersionId,
  failureCount: datasets.failureCount,
  nextAttemptAt: datasets.nextAttemptAt,
  lastRefreshedAt: datasets.lastRefreshedAt,
  lastError: datasets.lastError,
};

export interface SourceFilter {
  /** Only these jurisdictions (default: every dataset with a source). */
  jurisdictions?: readonly string[] | undefined;
  /** Only failed refreshes whose retry is due at this time. */
  dueAt?: string | undefined;
}

export function listSources(db: Database, filter: SourceFilter = {}): Promise<DatasetSource[]> {
  return asPlatform(db, (tx) =>
    tx
      .select(sourceColumns)
      .from(datasets)
      .where(
        and(
          isNotNull(datasets.sourceUrl),
          filter.jurisdictions ? inArray(datasets.jurisdiction, [...filter.jurisdictions]) : undefined,
          filter.dueAt ? lte(datasets.nextAttemptAt, filter.dueAt) : undefined,
        ),
      )
      .orderBy(asc(datasets.jurisdiction)),
  );
}

export interface SourceSetting {
  sourceUrl: string;
  trusted: boolean;
}

/**
 * Sets where a dataset is refreshed from, and whether new versions activate without review.
 * Not a door for operators: the admin API and the CLI propose a change that a second admin
 * approves (db/source-changes.ts); this applies an approved one (and sets up tests).
 */
export function configureSource(db: Database, jurisdiction: string, source: SourceSetting): Promise<boolean> {
  return asPlatform(db, (tx) => applySource(tx, jurisdiction, source));
}

/** configureSource inside a platform transaction; false when there is no such dataset. */
export async function applySource(tx: Tx, jurisdiction: string, source: SourceSetting): Promise<boolean> {
  const updated = await tx
    .update(datasets)
    .set({ sourceUrl: source.sourceUrl, trusted: source.trusted, etag: null })
    .where(eq(datasets.jurisdiction, jurisdiction))
    .returning({ jurisdiction: datasets.jurisdiction });
  return updated.length > 0;
}

/** Whether a dataset of this jurisdiction exists. */
export async function datasetExists(tx: Tx, jurisdiction: string): Promise<boolean> {
  const [row] = await tx
    .select({ jurisdiction: datasets.jurisdiction })
    .from(datasets)
    .where(eq(datasets.jurisdiction, jurisdiction));
  return row !== undefined;
}

/** Gives a dataset `sourceUrl` unless it already has a source (the seed's local default). */
export function ensureSource(db: Database, jurisdiction: string, sourceUrl: string): Promise<void> {
  return asPlatform(db, async (tx) => {
    await tx
      .update(datasets)
      .set({ sourceUrl })
      .where(and(eq(datasets.jurisdiction, jurisdiction), isNull(datasets.sourceUrl)));
  });
}

/** A refresh that reached the source and got usable content (new, unchanged or 304). */
export function recordRefreshSuccess(db: Database, jurisdiction: string, etag: string | null): Promise<void> {
  return asPlatform(db, async (tx) => {
    await tx
      .update(datasets)
      .set({ etag, lastRefreshedAt: sql`now()`, failureCount: 0, nextAttemptAt: null, lastError: null })
      .where(eq(datasets.jurisdiction, jurisdiction));
  });
}

/** A failed refresh: the active version stays; the retry is due at `nextAttemptAt`. */
export function recordRefreshFailure(
  db: Database,
  jurisdiction: string,
  error: string,
  nextAttemptAt: string,
): Promise<void> {
  return asPlatform(db, async (tx) => {
    await tx
      .update(datasets)
      .set({ failureCount: sql`${datasets.failureCount} + 1`, nextAttemptAt, lastError: error })
      .where(eq(datasets.jurisdiction, jurisdiction));
  });
}

// ---- Freshness and propagation ----

export interface DatasetState {
  jurisdiction: string;
  version: string | null;
  activeVersionId: string | null;
  lastRefreshedAt: string | null;
  propagatedFingerprint: string | null;
  /** Where the refresh reads it (`r2:…` the published bundle, `bundled:…` the Worker's own copy, a URL); null: nowhere. */
  sourceUrl?: string | null;
}

/** Every dataset with its active version string (null when none is active yet). */
export function listDatasetStates(db: Database, jurisdictions?: readonly string[]): Promise<DatasetState[]> {
  return asPlatform(db, (tx) =>
    tx
      .select({
        jurisdiction: datasets.jurisdiction,
        version: datasetVersions.version,
        activeVersionId: datasets.activeVersionId,
        lastRefreshedAt: datasets.lastRefreshedAt,
        propagatedFingerprint: datasets.propagatedFingerprint,
        sourceUrl: datasets.sourceUrl,
      })
      .from(datasets)
      .leftJoin(datasetVersions, eq(datasetVersions.id, datasets.activeVersionId))
      .where(jurisdictions ? inArray(datasets.jurisdiction, [...jurisdictions]) : undefined)
      .orderBy(asc(datasets.jurisdiction)),
  );
}

export function markPropagated(db: Database, jurisdiction: string, fingerprint: string): Promise<void> {
  return asPlatform(db, async (tx) => {
    await tx
      .update(datasets)
      .set({ propagatedFingerprint: fingerprint })
      .where(eq(datasets.jurisdiction, jurisdiction));
  });
}

export interface ActiveDataset {
  jurisdiction: string;
  versionId: string;
  content: Dataset;
  lastRefreshedAt: string | null;
}

export function loadActiveDatasets(db: Database): Promise<ActiveDataset[]> {
  return asPlatform(db, (tx) =>
    tx
      .select({
        jurisdiction: datasets.jurisdiction,
        versionId: datasetVersions.id,
        content: datasetVersions.content,
        lastRefreshedAt: datasets.lastRefreshedAt,
      })
      .from(datasets)
      .innerJoin(datasetVersions, eq(datasetVersions.id, datasets.activeVersionId)),
  ) as Promise<ActiveDataset[]>;
}
