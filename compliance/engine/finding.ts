// Building findings. A finding whose content depends only on its rule (an informational rule, a
// rule that does not apply to this kind of facility, a superseded rule) is built once when the
// rule is compiled and shared, frozen, by every verdict; the others are built per evaluation.
import type { Finding, FindingStatus, RuleMeta, Subject } from "./types";

export function newFinding(
  meta: RuleMeta,
  status: FindingStatus,
  message: string,
  subject: Subject,
  dueBy: string | null,
  startBy: string | null = null,
  validThrough: string | null = null,
): Finding {
  const finding: Finding = {
    ruleId: meta.id,
    jurisdiction: meta.jurisdiction,
    status,
    severity: meta.severity,
    title: meta.title,
    citation: meta.citation,
    message,
    subject,
    dueBy,
    startBy,
    validThrough,
    verified: meta.verified,
  };
  // Auditors see which manual override (not the published dataset) produced the finding.
  if (meta.override) finding.override = meta.override;
  return finding;
}

/** A `not_applicable` finding built once and shared by every verdict. */
export function sharedNotApplicable(meta: RuleMeta, message: string, subject: Subject = null): Finding {
  return Object.freeze(newFinding(meta, "not_applicable", message, subject, null));
}
