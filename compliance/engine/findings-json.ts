// Findings as JSON text. Most of a verdict's findings are the shared, frozen ones built once
// per rule at compile time (finding.ts); their text is cached the first time it is needed, so
// serialising a verdict costs roughly what its per-facility findings cost (about a third of
// the work JSON.stringify does on a whole San Francisco verdict).
import type { Finding } from "./types";

/** Text of frozen findings, by identity. A frozen finding never changes, so neither does its text. */
const frozenText = new WeakMap<Finding, string>();

function findingJson(finding: Finding): string {
  if (!Object.isFrozen(finding)) return JSON.stringify(finding);
  let text = frozenText.get(finding);
  if (text === undefined) {
    text = JSON.stringify(finding);
    frozenText.set(finding, text);
  }
  return text;
}

/** `JSON.stringify(findings)`, byte for byte. */
export function findingsJson(findings: readonly Finding[]): string {
  let text = "[";
  for (let index = 0; index < findings.length; index++) {
    if (index > 0) text += ",";
    text += findingJson(findings[index] as Finding);
  }
  return `${text}]`;
}
