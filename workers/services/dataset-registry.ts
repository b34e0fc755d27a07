/**
 * The active regulatory datasets, compiled once per version and held in isolate memory.
 *
 * The first request of an isolate loads the active versions from Postgres; after that the
 * registry answers from memory and refreshes in the background every `REFRESH_MS`, so a new
 * version reaches every isolate within a minute and no check waits on the database.
 */
import { type CompiledDataset, compileDataset, type Dataset } from "../../compliance";
import type { Database } from "../../db/client";
import { type ActiveDataset, loadActiveDatasets } from "../../db/datasets";

export const REFRESH_MS = 60_000;

export interface LoadedDataset {
  jurisdiction: string;
  versionId: string;
  dataset: Dataset;
  compiled: CompiledDataset;
  lastRefreshedAt: string | null;
}

export interface DatasetRegistry {
  /**
   * The loaded datasets by jurisdiction. `background` schedules work that may outlive the
   * response (`executionCtx.waitUntil`).
   */
  current(db: () => Database, background: (work: Promise<unknown>) => void): Promise<ReadonlyMap<string, LoadedDataset>>;
  /** Forces the next call to reload (after this isolate activated a version). */
  invalidate(): void;
}

function toLoaded(rows: ActiveDataset[]): Map<string, LoadedDataset> {
  const map = new Map<string, LoadedDataset>();
  for (const row of rows) {
    map.set(row.jurisdiction, {
      jurisdiction: row.jurisdiction,
      versionId: row.versionId,
      dataset: row.content,
      compiled: compileDataset(row.content),
      lastRefreshedAt: row.lastRefreshedAt,
    });
  }
  return map;
}

function createDatasetRegistry(now: () => number = Date.now): DatasetRegistry {
  let loaded: Map<string, LoadedDataset> | undefined;
  let loadedAt = 0;
  let pending: Promise<Map<string, LoadedDataset>> | undefined;

  const reload = (db: () => Database) => {
    pending ??= loadActiveDatasets(db())
      .then((rows) => {
        loaded = toLoaded(rows);
        loadedAt = now();
        return loaded;
      })
      .finally(() => {
        pending = undefined;
      });
    return pending;
  };

  return {
    async current(db, background) {
      if (!loaded) return reload(db);
      if (now() - loadedAt > REFRESH_MS) background(reload(db).catch(() => undefined));
      return loaded;
    },
    invalidate() {
      loaded = undefined;
    },
  };
}

export const datasetRegistry = createDatasetRegistry();
