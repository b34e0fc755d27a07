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

/**
 * The changed findings, in the new verdict's order, then the ones that disappeared. A finding
 * that does not apply is no change against no finding at all: a new dataset version adds
 * rules for every facility in its jurisdiction, and a rule for food trucks must not alert
 * every restaurant (nor its removal, when it never applied).
 */
export function changedFindings(previous: Verdict, next: Verdict): DriftChange[] {
  const before = new Map(previous.findings.map((finding) => [findingKey(finding), finding]));
  const changes: DriftChange[] = [];
  for (const finding of next.findings) {
    const key = findingKey(finding);
    const old = before.get(key);
    before.delete(key);
    if ((old?.status ?? "not_applicable") === finding.status) continue;
    changes.push({
      ruleId: finding.ruleId,
      citation: finding.citation,
      subject: finding.subject,
      from: old?.status ?? null,
      to: finding.status,
    });
  }
  for (const gone of before.values()) {
    if (gone.status === "not_applicable") continue;
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
