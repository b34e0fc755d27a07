// Florida gazetteer: Florida preempts restaurant regulation to the state (FS 509.032(7)), so
// Prep has no county or city datasets there and every Florida address has state-level coverage.
import type { StateGazetteer } from "./gazetteer";

export const FLORIDA: StateGazetteer = {
  name: "Florida",
  counties: new Set(),
  allCounties: false,
  cities: {},
};
