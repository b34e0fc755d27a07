// Shapes shared by the per-state gazetteers: a state's counties and the cities Prep knows, each
// with its county, so an address giving only a city still resolves to its county and place.

export interface CityEntry {
  /** The county an address in this city is placed in when it names none. */
  county: string;
  /** Further counties the city extends into; an address naming one of them resolves there. */
  otherCounties?: readonly string[];
  /** OCD place slug when it differs from the slug of the name (aliases, boroughs). */
  place?: string;
  ownHealthDepartment?: boolean;
  /** Consolidated city-county (San Francisco). */
  consolidated?: boolean;
}

export interface StateGazetteer {
  name: string;
  /** Normalised county names (see ocd.ts normalizeName). */
  counties: ReadonlySet<string>;
  /**
   * true: `counties` is complete, so any other county name is an error. false: only the counties
   * that matter for Prep's datasets are listed; another county is accepted but adds no layer,
   * since Prep has no rules for it (the address then has state-level coverage).
   */
  allCounties: boolean;
  /** Keyed by normalised city name. */
  cities: Readonly<Record<string, CityEntry>>;
  /**
   * Counties lying wholly within one place (normalised county name → OCD place slug): an address
   * in such a county whose city the gazetteer does not know (a postal name such as "Flushing")
   * still gets that place's rules. New York City's boroughs.
   */
  countyPlaces?: Readonly<Record<string, string>>;
}

export const city = (county: string, extra: Omit<CityEntry, "county"> = {}): CityEntry => ({
  county,
  ...extra,
});
