/**
 * The active regulatory datasets, compiled once per version and held in isolate memory.
 *
 * The first request of an isolate loads the active versions from Postgres; after that the
 * registry answers from memory and refreshes in the background every `REFRESH_MS`, so a new
 * version reaches every isolate within a minute and no check waits on the database.
 * Approved manual overrides are folded into each dataset before it is compiled.
 */
import {
  applyOverrides,
  type CompiledDataset,
  compileDataset,
  type Dataset,
  type Override,
} from "../compliance/index";
import type { Database } from "../db/client";
import { type ActiveDataset, loadActiveDatasets } from "../db/datasets";
import { loadApprovedOverrides } from "../db/overrides";

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
  current(
    db: () => Database,
    background: (work: Promise<unknown>) => void,
  ): Promise<ReadonlyMap<string, LoadedDataset>>;
  /** Forces the next call to reload (after this isolate activated a version). */
  invalidate(): void;
}

/**
 * The dataset as checks see it: the published version plus its approved overrides. Overrides
 * were validated against the active version when created; if a newer version no longer
 * accepts them (say the replaced rule is gone), the published version applies and the
 * failure is logged, so the drift sweep and the diff report make the conflict visible.
 */
export function withOverrides(dataset: Dataset, overrides: readonly Override[] = []): Dataset {
  const applied = applyOverrides(dataset, overrides);
  if (applied.ok) return applied.dataset;
  console.error(
    JSON.stringify({
      level: "error",
      message: "overrides no longer apply",
      jurisdiction: dataset.jurisdiction,
      problems: applied.problems,
    }),
  );
  return dataset;
}

function toLoaded(
  rows: ActiveDataset[],
  overrides: ReadonlyMap<string, Override[]>,
): Map<string, LoadedDataset> {
  const map = new Map<string, LoadedDataset>();
  for (const row of rows) {
    const dataset = withOverrides(row.content, overrides.get(row.jurisdiction));
    map.set(row.jurisdiction, {
      jurisdiction: row.jurisdiction,
      versionId: row.versionId,
      dataset,
      compiled: compileDataset(dataset),
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
    pending ??= Promise.all([loadActiveDatasets(db()), loadApprovedOverrides(db())])
      .then(([rows, overrides]) => {
        loaded = toLoaded(rows, overrides);
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
