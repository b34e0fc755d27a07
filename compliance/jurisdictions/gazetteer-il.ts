// Illinois gazetteer: Chicago (which extends from Cook into DuPage County at O'Hare) is the only
// city with its own dataset; other Illinois addresses resolve with state-level coverage.
import { city, type StateGazetteer } from "./gazetteer";

export const ILLINOIS: StateGazetteer = {
  name: "Illinois",
  counties: new Set(["cook", "dupage"]),
  allCounties: false,
  cities: {
    chicago: city("cook", { otherCounties: ["dupage"] }),
  },
};
