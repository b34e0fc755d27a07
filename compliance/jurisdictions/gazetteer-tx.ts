// Texas gazetteer: only the cities with their own datasets (Austin, Houston) and the counties
// they span. Every other Texas address resolves with state-level coverage (25 TAC 228 only).
import { city, type StateGazetteer } from "./gazetteer";

export const TEXAS: StateGazetteer = {
  name: "Texas",
  counties: new Set(["travis", "williamson", "hays", "harris", "fort bend", "montgomery"]),
  allCounties: false,
  cities: {
    austin: city("travis", { otherCounties: ["williamson", "hays"] }),
    houston: city("harris", { otherCounties: ["fort bend", "montgomery"] }),
  },
};
