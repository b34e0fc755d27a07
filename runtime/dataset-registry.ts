/**
 * The active regulatory datasets, compiled once per version and held in isolate memory.
 *
 * The first request of an isolate loads the active versions from the edge store's snapshot
 * (Workers KV), or from Postgres when there is none; after that the registry answers from
 * memory and refreshes from Postgres in the background every `REFRESH_MS`, so a new version
 * reaches every isolate within a minute and no check waits on the database. A refresh that
 * finds a change writes the new snapshot to the edge store, which is how the snapshot is
 * built and rebuilt: there is no second writer to keep in step.
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
import { EDGE_KEYS, type EdgeStore } from "./edge-store";

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
   * response (`executionCtx.waitUntil`); `store`, where given, holds the snapshot a cold
   * isolate starts from and receives each new one.
   */
  current(
    db: () => Database,
    background: (work: Promise<unknown>) => void,
    store?: EdgeStore,
  ): Promise<ReadonlyMap<string, LoadedDataset>>;
  /** Forces the next call to reload from Postgres (after this isolate changed what is active). */
  invalidate(): void;
  /** Drops the compiled datasets as an isolate's eviction would (tests: a cold isolate). */
  evict(): void;
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

/** The active datasets as the edge store keeps them: overrides applied, ready to compile. */
interface DatasetSnapshot {
  writtenAt: string;
  datasets: { jurisdiction: string; versionId: string; lastRefreshedAt: string | null; dataset: Dataset }[];
}

function compileSnapshot(snapshot: DatasetSnapshot): Map<string, LoadedDataset> {
  const map = new Map<string, LoadedDataset>();
  for (const entry of snapshot.datasets) {
    map.set(entry.jurisdiction, { ...entry, compiled: compileDataset(entry.dataset) });
  }
  return map;
}

async function snapshotFromPostgres(db: () => Database): Promise<DatasetSnapshot> {
  const [rows, overrides] = await Promise.all([loadActiveDatasets(db()), loadApprovedOverrides(db())]);
  return {
    writtenAt: new Date().toISOString(),
    datasets: rows.map((row: ActiveDataset) => ({
      jurisdiction: row.jurisdiction,
      versionId: row.versionId,
      lastRefreshedAt: row.lastRefreshedAt,
      dataset: withOverrides(row.content, overrides.get(row.jurisdiction)),
    })),
  };
}

/** How long a cold request waits for another's load from Postgres, and how often it looks. */
const COLD_WAIT_MS = 5_000;
const COLD_POLL_MS = 10;

/** After a failed refresh, the next one is tried this much sooner than a full period. */
const RETRY_AFTER_FAILURE_MS = 5_000;

function createDatasetRegistry(now: () => number = Date.now): DatasetRegistry {
  let loaded: Map<string, LoadedDataset> | undefined;
  let loadedAt = 0;
  let refreshing = false;
  /** The snapshot's datasets as last read from or written to the edge store, to write only changes. */
  let published: string | undefined;
  /** Set when this isolate changed what is active: the edge store's snapshot is older than that. */
  let invalidated = false;
  /** A request of this isolate is loading the datasets from Postgres right now. */
  let loadingFromPostgres = false;

  function install(snapshot: DatasetSnapshot, at: number): Map<string, LoadedDataset> {
    loaded = compileSnapshot(snapshot);
    loadedAt = at;
    return loaded;
  }

  async function loadFromPostgres(db: () => Database, store: EdgeStore | undefined) {
    const snapshot = await snapshotFromPostgres(db);
    invalidated = false;
    const datasets = JSON.stringify(snapshot.datasets);
    if (store && datasets !== published) await store.write(EDGE_KEYS.activeDatasets, snapshot);
    published = datasets;
    return install(snapshot, now());
  }

  // A cold isolate starts from the edge store's snapshot when there is one (no Postgres on
  // the path, even in an outage) and refreshes from Postgres on its next request.
  async function loadCold(db: () => Database, store: EdgeStore | undefined) {
    const snapshot =
      store && !invalidated ? await store.read<DatasetSnapshot>(EDGE_KEYS.activeDatasets) : null;
    if (snapshot) {
      published = JSON.stringify(snapshot.datasets);
      return install(snapshot, 0);
    }
    // A burst of cold requests loads from Postgres once: the others wait for its result in
    // memory (a plain value; no promise crosses requests).
    for (let waited = 0; loadingFromPostgres && waited < COLD_WAIT_MS; waited += COLD_POLL_MS) {
      await new Promise((resolve) => setTimeout(resolve, COLD_POLL_MS));
      if (loaded) return loaded;
    }
    loadingFromPostgres = true;
    try {
      return await loadFromPostgres(db, store);
    } finally {
      loadingFromPostgres = false;
    }
  }

  async function refresh(db: () => Database, store: EdgeStore | undefined) {
    try {
      await loadFromPostgres(db, store);
    } catch (error) {
      loadedAt = now() - REFRESH_MS + RETRY_AFTER_FAILURE_MS;
      console.error(
        JSON.stringify({ level: "error", message: "dataset refresh failed", error: String(error) }),
      );
    } finally {
      refreshing = false;
    }
  }

  return {
    // Each request does its own I/O; only finished values are shared between requests
    // (workerd forbids awaiting a promise another request created).
    async current(db, background, store) {
      if (!loaded) return loadCold(db, store);
      if (now() - loadedAt > REFRESH_MS && !refreshing) {
        refreshing = true;
        background(refresh(db, store));
      }
      return loaded;
    },
    invalidate() {
      loaded = undefined;
      invalidated = true;
    },
    evict() {
      loaded = undefined;
      published = undefined;
    },
  };
}

export const datasetRegistry = createDatasetRegistry();
