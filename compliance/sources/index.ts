/**
 * The official sources each dataset's rules come from (`watched.json`), watched for changes
 * by the pipeline (pipeline/watchers.ts). Data only: how a source is fetched and read lives
 * in the pipeline; here is what is watched and which rules a change concerns. The list is
 * checked when the module loads, so a broken entry fails loudly rather than going unwatched.
 */
import raw from "./watched.json";

/**
 * - `ecfr`: the eCFR versioner API (`/api/versioner/v1/versions/title-N.json?part=…`), JSON;
 * - `federal_register`: the Federal Register documents search (`/api/v1/documents.json`), JSON;
 * - `legistar`: a city's matters in the Legistar Web API (`/v1/{client}/matters`), JSON;
 * - `html`: an agency, legislature or code page.
 */
export const SOURCE_KINDS = ["ecfr", "federal_register", "legistar", "html"] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];

export interface WatchedSource {
  /** Stable id: lower-case letters, digits and dashes. */
  id: string;
  kind: SourceKind;
  title: string;
  /** The official address (https). */
  url: string;
  /** OCD ids of the datasets whose rules come from it. */
  datasets: string[];
  /** The rule ids that cite it (may be empty: watched for rules not modelled yet). */
  rules: string[];
  note?: string | undefined;
}

const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** The sources of `input` (watched.json's shape), or an error naming the first bad entry. */
export function parseWatchedSources(input: unknown): WatchedSource[] {
  const list = (input as { sources?: unknown })?.sources;
  if (!Array.isArray(list)) throw new Error("watched sources: `sources` must be an array");
  const seen = new Set<string>();
  return list.map((entry, index) => {
    const s = entry as Record<string, unknown>;
    const where = `watched sources[${index}]`;
    if (typeof s.id !== "string" || !ID.test(s.id)) throw new Error(`${where}: bad id`);
    if (seen.has(s.id)) throw new Error(`${where}: duplicate id ${s.id}`);
    seen.add(s.id);
    if (!SOURCE_KINDS.includes(s.kind as SourceKind)) throw new Error(`${where}: unknown kind`);
    if (typeof s.title !== "string" || s.title.length === 0) throw new Error(`${where}: missing title`);
    if (typeof s.url !== "string" || !s.url.startsWith("https://"))
      throw new Error(`${where}: url must be https`);
    const strings = (value: unknown) => Array.isArray(value) && value.every((x) => typeof x === "string");
    if (!strings(s.datasets) || (s.datasets as string[]).length === 0)
      throw new Error(`${where}: datasets must name at least one dataset`);
    if (!strings(s.rules)) throw new Error(`${where}: rules must be rule ids`);
    return {
      id: s.id,
      kind: s.kind as SourceKind,
      title: s.title,
      url: s.url,
      datasets: [...(s.datasets as string[])],
      rules: [...(s.rules as string[])],
      note: typeof s.note === "string" ? s.note : undefined,
    };
  });
}

/** The committed list. */
export const watchedSources: readonly WatchedSource[] = parseWatchedSources(raw);
