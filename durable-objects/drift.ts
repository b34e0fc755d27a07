/**
 * What changed between two verdicts of one facility: the overall status and each finding's
 * status, findings keyed by rule and subject. Pure; the tenant object turns a difference
 * into a drift event.
 */
import type { Finding, Verdict } from "../compliance";
import type { DriftChange } from "./contract";

function findingKey(finding: Finding): string {
  return finding.subject ? `${finding.ruleId}|${finding.subject.kind}:${finding.subject.id}` : finding.ruleId;
}

/** The changed findings, in the new verdict's order, then the ones that disappeared. */
export function changedFindings(previous: Verdict, next: Verdict): DriftChange[] {
  const before = new Map(previous.findings.map((finding) => [findingKey(finding), finding]));
  const changes: DriftChange[] = [];
  for (const finding of next.findings) {
    const key = findingKey(finding);
    const old = before.get(key);
    before.delete(key);
    if (old?.status === finding.status) continue;
    changes.push({
      ruleId: finding.ruleId,
      citation: finding.citation,
      subject: finding.subject,
      from: old?.status ?? null,
      to: finding.status,
    });
  }
  for (const gone of before.values()) {
    changes.push({
      ruleId: gone.ruleId,
      citation: gone.citation,
      subject: gone.subject,
      from: gone.status,
      to: null,
    });
  }
  return changes;
}
