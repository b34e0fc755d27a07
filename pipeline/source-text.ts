/**
 * An official source's answer as comparable text: each kind normalised to the lines that
 * carry its meaning (the JSON APIs' relevant fields; a page's visible text without markup,
 * scripts, navigation or whitespace noise), its SHA-256, and the unified diff between two
 * versions (jsdiff; ADR 0020). Pure functions: no I/O.
 */
import { createTwoFilesPatch } from "diff";
import { convert } from "html-to-text";
import type { SourceKind } from "../compliance";

/** Bodies larger than this are refused (no agency page or API answer Prep watches comes close). */
export const MAX_BODY_BYTES = 5 * 1024 * 1024;
/** A diff longer than this is cut (the review still says the text changed, and where it starts). */
export const MAX_DIFF_CHARS = 200_000;
/**
 * Myers' diff is O(N·D): a rewrite beyond this many edits, or taking longer than DIFF_TIMEOUT_MS,
 * is reported as rewritten rather than diffed (measured: an 8,000-line page rewritten throughout
 * took 7 s to give up at 5,000 edits; one changed line in it takes ~20 ms).
 */
const MAX_EDIT_LENGTH = 2_000;
const DIFF_TIMEOUT_MS = 1_000;

export class UnreadableSource extends Error {}

type Json = Record<string, unknown>;
const str = (value: unknown) => (value === null || value === undefined ? "" : String(value).trim());
const compact = (parts: string[]) => parts.filter((p) => p.length > 0).join(" ");

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new UnreadableSource(`not JSON: ${(error as Error).message}`);
  }
}

function arrayField(json: unknown, field: string, kind: string): Json[] {
  const list = (json as Json | null)?.[field];
  if (!Array.isArray(list)) throw new UnreadableSource(`${kind} answer has no ${field} array`);
  return list as Json[];
}

/**
 * eCFR versioner API (`/api/versioner/v1/versions/title-N.json?part=…`): one line per section
 * version (`content_versions[]`: identifier, name, amendment date, substantive, removed).
 * `meta` (issue dates that move daily) is left out.
 */
function ecfrText(json: unknown): string[] {
  return arrayField(json, "content_versions", "eCFR")
    .map((v) =>
      compact([
        `§ ${str(v.identifier)}`,
        str(v.name),
        `— amended ${str(v.amendment_date) || str(v.date)}`,
        v.substantive === false ? "(not substantive)" : "",
        v.removed === true ? "(removed)" : "",
      ]),
    )
    .sort();
}

/**
 * Federal Register documents search (`/api/v1/documents.json`): per document its date, type,
 * number, title, abstract and address (`results[]`); `count` and paging links are left out.
 */
function federalRegisterText(json: unknown): string[] {
  return arrayField(json, "results", "Federal Register")
    .map((d) => ({
      key: `${str(d.publication_date)} ${str(d.document_number)}`,
      lines: [
        compact([str(d.publication_date), str(d.type), str(d.document_number), "—", str(d.title)]),
        ...(str(d.abstract) ? [`  ${str(d.abstract).replace(/\s+/g, " ")}`] : []),
        ...(str(d.html_url) ? [`  ${str(d.html_url)}`] : []),
      ],
    }))
    .sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0))
    .flatMap((d) => d.lines);
}

/**
 * Legistar Web API matters (`/v1/{client}/matters`, a JSON array): per matter its file number,
 * type, status, title and the intro, passed and enactment dates.
 */
function legistarText(json: unknown): string[] {
  if (!Array.isArray(json)) throw new UnreadableSource("Legistar answer is not an array of matters");
  const date = (value: unknown) => str(value).slice(0, 10);
  return (json as Json[])
    .map((m) => ({
      key: str(m.MatterFile) || String(m.MatterId ?? ""),
      line: compact([
        str(m.MatterFile) || `#${str(m.MatterId)}`,
        `[${str(m.MatterTypeName)}]`,
        str(m.MatterStatusName),
        "—",
        str(m.MatterTitle) || str(m.MatterName),
        m.MatterIntroDate ? `(introduced ${date(m.MatterIntroDate)})` : "",
        m.MatterPassedDate ? `(passed ${date(m.MatterPassedDate)})` : "",
        m.MatterEnactmentDate
          ? `(enacted ${date(m.MatterEnactmentDate)} ${str(m.MatterEnactmentNumber)})`
          : "",
      ]),
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .map((m) => m.line.replace(/\s+/g, " "));
}

const SKIPPED = [
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "iframe",
  "nav",
  "header",
  "footer",
  "form",
  "button",
  "img",
];

/** A page's visible text: markup, scripts, styles, navigation, headers and footers dropped, links as their text. */
function htmlText(body: string): string[] {
  const text = convert(body, {
    wordwrap: false,
    selectors: [
      ...SKIPPED.map((selector) => ({ selector, format: "skip" })),
      { selector: "a", options: { ignoreHref: true } },
      { selector: "h1", options: { uppercase: false } },
      { selector: "h2", options: { uppercase: false } },
      { selector: "h3", options: { uppercase: false } },
      { selector: "table", format: "dataTable", options: { uppercaseHeaderCells: false } },
    ],
  });
  return text.split("\n");
}

/** The source's answer as text: lines trimmed, inner whitespace collapsed, blank lines dropped. */
export function normaliseSource(kind: SourceKind, body: string): string {
  const lines =
    kind === "html"
      ? htmlText(body)
      : kind === "ecfr"
        ? ecfrText(parseJson(body))
        : kind === "federal_register"
          ? federalRegisterText(parseJson(body))
          : legistarText(parseJson(body));
  const kept = lines
    .map((line) => line.replace(/[\s\u00a0]+/g, " ").trim())
    .filter((line) => line.length > 0);
  return kept.length ? `${kept.join("\n")}\n` : "";
}

export async function hashText(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The unified diff (3 lines of context) from `before` to `after`, named after the source. */
export function unifiedDiff(sourceId: string, before: string, after: string): string {
  const patch = createTwoFilesPatch(
    `${sourceId} (reviewed)`,
    `${sourceId} (now)`,
    before,
    after,
    undefined,
    undefined,
    {
      context: 3,
      maxEditLength: MAX_EDIT_LENGTH,
    },
  );
  if (patch === undefined) {
    const lines = (text: string) => text.split("\n").filter(Boolean).length;
    return `The text was rewritten beyond a line diff (over ${MAX_EDIT_LENGTH} edits or ${DIFF_TIMEOUT_MS} ms): ${lines(before)} lines before, ${lines(after)} now. Read the source.\n`;
  }
  return patch.length > MAX_DIFF_CHARS
    ? `${patch.slice(0, MAX_DIFF_CHARS)}\n… diff cut at ${MAX_DIFF_CHARS} characters; read the source for the rest.\n`
    : patch;
}
