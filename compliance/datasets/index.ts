// The datasets bundled with the engine, validated when the module loads (once per isolate): a
// broken JSON file fails loudly at startup instead of producing wrong verdicts.
import type { Dataset } from "../schema/dataset";
import { validateDataset } from "../schema/validate-dataset";
import us from "./us.json";
import usCa from "./us-ca.json";
import usCaLosAngeles from "./us-ca-los_angeles.json";
import usCaRiverside from "./us-ca-riverside.json";
import usCaSanBernardino from "./us-ca-san_bernardino.json";
import usCaSanDiego from "./us-ca-san_diego.json";
import usCaSanFrancisco from "./us-ca-san_francisco.json";
import usFl from "./us-fl.json";
import usIl from "./us-il.json";
import usIlChicago from "./us-il-chicago.json";
import usNy from "./us-ny.json";
import usNyNewYork from "./us-ny-new_york.json";
import usTx from "./us-tx.json";
import usTxAustin from "./us-tx-austin.json";
import usTxHouston from "./us-tx-houston.json";

const RAW: readonly unknown[] = [
  us,
  usCa,
  usCaRiverside,
  usCaSanBernardino,
  usCaSanDiego,
  usCaLosAngeles,
  usCaSanFrancisco,
  usTx,
  usTxAustin,
  usTxHouston,
  usFl,
  usIl,
  usIlChicago,
  usNy,
  usNyNewYork,
];

export const bundledDatasets: Dataset[] = RAW.map((json) => {
  const result = validateDataset(json);
  if (!result.ok) {
    const where = (json as { jurisdiction?: unknown }).jurisdiction;
    throw new Error(`bundled dataset ${String(where)} is invalid: ${JSON.stringify(result.problems)}`);
  }
  return result.dataset;
});

/** Bundled datasets for these divisions, in the given (broadest-first) order; divisions without one are skipped. */
export function bundledLayersFor(jurisdictions: readonly string[]): Dataset[] {
  const out: Dataset[] = [];
  for (const j of jurisdictions) {
    const d = bundledDatasets.find((x) => x.jurisdiction === j);
    if (d) out.push(d);
  }
  return out;
}
