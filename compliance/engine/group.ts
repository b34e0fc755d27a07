// Presentation helper: findings grouped by the jurisdiction whose rule produced them, in verdict order.
import type { Finding, Verdict } from "./types";

export function findingsByLayer(verdict: Verdict): { jurisdiction: string; findings: Finding[] }[] {
  const groups = new Map<string, Finding[]>();
  for (const j of verdict.jurisdictions) groups.set(j, []);
  for (const f of verdict.findings) {
    const list = groups.get(f.jurisdiction);
    if (list) list.push(f);
    else groups.set(f.jurisdiction, [f]);
  }
  return [...groups].map(([jurisdiction, findings]) => ({ jurisdiction, findings }));
}
