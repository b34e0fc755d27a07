/**
 * Regulatory dataset versions in Postgres: storing an immutable version (with provenance and
 * its rules denormalised for querying), activating it, and loading the active versions the
 * Worker compiles into isolate memory.
 */
import type { Dataset } from "../compliance";
import { and, eq, ne, sql } from "drizzle-orm";
import { asPlatform, type Database } from "./client";
import { newId } from "./ids";
import { datasets, datasetVersions, rules } from "./schema";

export async function hashContent(content: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(content));
  const digest = await crypto.subtle.digest("SHA-256", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export interface StoreOptions {
  source: string;
  approvedBy: string;
  activate: boolean;
  fetchedAt?: string;
}

export interface StoredVersion {
  versionId: string;
  created: boolean;
  contentHash: string;
}

/** Stores `dataset` as a new version unless the same content is already stored. */
export async function storeDatasetVersion(db: Database, dataset: Dataset, options: StoreOptions): Promise<StoredVersion> {
  const contentHash = await hashContent(dataset);
  return asPlatform(db, async (tx) => {
    await tx
      .insert(datasets)
      .values({ jurisdiction: dataset.jurisdiction, name: dataset.name })
      .onConflictDoUpdate({ target: datasets.jurisdiction, set: { name: dataset.name } });
    const [existing] = await tx
      .select({ id: datasetVersions.id })
      .from(datasetVersions)
      .where(and(eq(datasetVersions.jurisdiction, dataset.jurisdiction), eq(datasetVersions.contentHash, contentHash)));
    if (existing) return { versionId: existing.id, created: false, contentHash };

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
      status: options.activate ? "active" : "pending",
    });
    if (dataset.rules.length > 0) {
      await tx.insert(rules).values(
        dataset.rules.map((rule) => ({
          datasetVersionId: versionId,
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
    if (options.activate) {
      await tx
        .update(datasetVersions)
        .set({ status: "superseded" })
        .where(
          and(
            eq(datasetVersions.jurisdiction, dataset.jurisdiction),
            eq(datasetVersions.status, "active"),
            ne(datasetVersions.id, versionId),
          ),
        );
      await tx
        .update(datasets)
        .set({ activeVersionId: versionId, lastRefreshedAt: sql`now()` })
        .where(eq(datasets.jurisdiction, dataset.jurisdiction));
    }
    return { versionId, created: true, contentHash };
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
