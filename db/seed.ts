/**
 * Loads the repository's bundled datasets into Postgres as active dataset versions. Run by
 * `npm start`, the test setup and `prep db seed`; unchanged datasets are left alone. A dataset
 * without a configured source gets the bundled one (`bundled:<ocd id>`), so the refresh job
 * has something to refresh locally; production sources are set with `prep data source`.
 */
import { bundledDatasets } from "../compliance";
import type { Database } from "./client";
import { ensureSource, storeDatasetVersion } from "./datasets";

export async function seedBundledDatasets(db: Database): Promise<{ created: number; unchanged: number }> {
  let created = 0;
  for (const dataset of bundledDatasets) {
    const stored = await storeDatasetVersion(db, dataset, {
      source: `bundled:compliance/datasets/${dataset.jurisdiction}`,
      approvedBy: "seed",
      activate: true,
    });
    await ensureSource(db, dataset.jurisdiction, `bundled:${dataset.jurisdiction}`);
    if (stored.created) created++;
  }
  return { created, unchanged: bundledDatasets.length - created };
}
