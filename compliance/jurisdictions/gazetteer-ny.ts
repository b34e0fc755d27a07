// New York gazetteer: New York City is one OCD place spanning five counties, one per borough
// (Manhattan = New York County, Brooklyn = Kings, Queens, the Bronx, Staten Island = Richmond).
// Postal addresses name the borough as the city, so the borough names resolve to NYC too;
// "New York, NY" is the postal city of Manhattan. Other New York addresses (Buffalo, Albany)
// resolve with state-level coverage. A borough named by the address's county or its ZIP code
// resolves to NYC whatever the postal city (countyPlaces).
import { city, type StateGazetteer } from "./gazetteer";

const NYC = "new_york";
const BOROUGHS = ["new york", "kings", "queens", "bronx", "richmond"];
const borough = (county: string) => city(county, { place: NYC });

export const NEW_YORK: StateGazetteer = {
  name: "New York",
  counties: new Set(BOROUGHS),
  allCounties: false,
  cities: {
    "new york": city("new york", { place: NYC, otherCounties: BOROUGHS }),
    "new york city": city("new york", { place: NYC, otherCounties: BOROUGHS }),
    nyc: city("new york", { place: NYC, otherCounties: BOROUGHS }),
    manhattan: borough("new york"),
    brooklyn: borough("kings"),
    queens: borough("queens"),
    bronx: borough("bronx"),
    "the bronx": borough("bronx"),
    "staten island": borough("richmond"),
  },
  // A borough address under a neighbourhood's postal name (Flushing, Astoria, Jamaica) is in NYC.
  countyPlaces: Object.fromEntries(BOROUGHS.map((county) => [county, NYC])),
};
