/**
 * Loads the repository's bundled datasets into Postgres as active dataset versions. Run by
 * `npm start`, the test setup and `prep db seed`; unchanged datasets are left alone.
 */
import { bundledDatasets } from "../compliance";
import type { Database } from "./client";
import { storeDatasetVersion } from "./datasets";

export async function seedBundledDatasets(db: Database): Promise<{ created: number; unchanged: number }> {
  let created = 0;
  for (const dataset of bundledDatasets) {
    const stored = await storeDatasetVersion(db, dataset, {
      source: `bundled:compliance/datasets/${dataset.jurisdiction}`,
      approvedBy: "seed",
      activate: true,
    });
    if (stored.created) created++;
  }
  return { created, unchanged: bundledDatasets.length - created };
}
