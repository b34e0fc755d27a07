// California gazetteer: the 58 counties and the covered cities with their county, so an address
// with only a city still resolves to its county. Cities flagged ownHealthDepartment run their
// own environmental-health program (county health ordinances such as LAC-GRADE do not reach
// them; the datasets encode that with applicability.excludedJurisdictions).
export const CA_COUNTIES = [
  "alameda", "alpine", "amador", "butte", "calaveras", "colusa", "contra costa", "del norte", "el dorado",
  "fresno", "glenn", "humboldt", "imperial", "inyo", "kern", "kings", "lake", "lassen", "los angeles",
  "madera", "marin", "mariposa", "mendocino", "merced", "modoc", "mono", "monterey", "napa", "nevada",
  "orange", "placer", "plumas", "riverside", "sacramento", "san benito", "san bernardino", "san diego",
  "san francisco", "san joaquin", "san luis obispo", "san mateo", "santa barbara", "santa clara",
  "santa cruz", "shasta", "sierra", "siskiyou", "solano", "sonoma", "stanislaus", "sutter", "tehama",
  "trinity", "tulare", "tuolumne", "ventura", "yolo", "yuba",
] as const; // biome-ignore format: a table

export interface CityEntry {
  county: string;
  /** OCD place slug when it differs from the slug of the name (aliases). */
  place?: string;
  ownHealthDepartment?: boolean;
  /** Consolidated city-county (San Francisco). */
  consolidated?: boolean;
}

const c = (county: string, extra: Omit<CityEntry, "county"> = {}): CityEntry => ({ county, ...extra });

export const CA_CITIES: Record<string, CityEntry> = {
  "san francisco": c("san francisco", { consolidated: true }),
  // Los Angeles County (Pasadena, Long Beach and Vernon have their own health departments)
  "los angeles": c("los angeles"),
  pasadena: c("los angeles", { ownHealthDepartment: true }),
  "long beach": c("los angeles", { ownHealthDepartment: true }),
  vernon: c("los angeles", { ownHealthDepartment: true }),
  "santa monica": c("los angeles"),
  glendale: c("los angeles"),
  burbank: c("los angeles"),
  torrance: c("los angeles"),
  inglewood: c("los angeles"),
  "west hollywood": c("los angeles"),
  "beverly hills": c("los angeles"),
  "culver city": c("los angeles"),
  pomona: c("los angeles"),
  lancaster: c("los angeles"),
  palmdale: c("los angeles"),
  "santa clarita": c("los angeles"),
  downey: c("los angeles"),
  compton: c("los angeles"),
  carson: c("los angeles"),
  whittier: c("los angeles"),
  alhambra: c("los angeles"),
  "el monte": c("los angeles"),
  "west covina": c("los angeles"),
  norwalk: c("los angeles"),
  // Riverside County
  riverside: c("riverside"),
  "moreno valley": c("riverside"),
  corona: c("riverside"),
  temecula: c("riverside"),
  murrieta: c("riverside"),
  "palm springs": c("riverside"),
  indio: c("riverside"),
  "jurupa valley": c("riverside"),
  menifee: c("riverside"),
  hemet: c("riverside"),
  // San Bernardino County
  "san bernardino": c("san bernardino"),
  fontana: c("san bernardino"),
  ontario: c("san bernardino"),
  "rancho cucamonga": c("san bernardino"),
  victorville: c("san bernardino"),
  rialto: c("san bernardino"),
  redlands: c("san bernardino"),
  chino: c("san bernardino"),
  upland: c("san bernardino"),
  // San Diego County
  "san diego": c("san diego"),
  "chula vista": c("san diego"),
  oceanside: c("san diego"),
  escondido: c("san diego"),
  carlsbad: c("san diego"),
  "el cajon": c("san diego"),
  vista: c("san diego"),
  "san marcos": c("san diego"),
  encinitas: c("san diego"),
  "la mesa": c("san diego"),
  "national city": c("san diego"),
  // Bay Area
  oakland: c("alameda"),
  berkeley: c("alameda", { ownHealthDepartment: true }),
  fremont: c("alameda"),
  hayward: c("alameda"),
  alameda: c("alameda"),
  livermore: c("alameda"),
  "san jose": c("santa clara"),
  "santa clara": c("santa clara"),
  sunnyvale: c("santa clara"),
  "mountain view": c("santa clara"),
  "palo alto": c("santa clara"),
  cupertino: c("santa clara"),
  milpitas: c("santa clara"),
  "san mateo": c("san mateo"),
  "redwood city": c("san mateo"),
  "daly city": c("san mateo"),
  richmond: c("contra costa"),
  concord: c("contra costa"),
  "walnut creek": c("contra costa"),
  // Sacramento and the Central Valley
  sacramento: c("sacramento"),
  "elk grove": c("sacramento"),
  folsom: c("sacramento"),
  "citrus heights": c("sacramento"),
  fresno: c("fresno"),
  clovis: c("fresno"),
  bakersfield: c("kern"),
  stockton: c("san joaquin"),
  modesto: c("stanislaus"),
  // Orange County
  anaheim: c("orange"),
  "santa ana": c("orange"),
  irvine: c("orange"),
  "huntington beach": c("orange"),
  "costa mesa": c("orange"),
  fullerton: c("orange"),
  "garden grove": c("orange"),
  "newport beach": c("orange"),
  // Central Coast
  "santa barbara": c("santa barbara"),
  ventura: c("ventura", { place: "san_buenaventura" }),
  "san buenaventura": c("ventura"),
  oxnard: c("ventura"),
  "thousand oaks": c("ventura"),
  "santa cruz": c("santa cruz"),
  salinas: c("monterey"),
  "san luis obispo": c("san luis obispo"),
};
