/**
 * A check's findings grouped by jurisdiction layer (federal, state, county, city), problems
 * first, each with its citation, message and due date. Passing rules fold away; rules that do
 * not apply to the location are only counted (the API leaves them out unless asked).
 */
import type { ComponentChildren } from "preact";
import type { CheckResult, Finding } from "../../api/types";
import { formatDate, formatDateTime, jurisdictionName } from "../../format";
import { StatusBadge } from "../ui";

const ORDER: Record<Finding["status"], number> = { fail: 0, warn: 1, pass: 2, not_applicable: 3 };
const LABEL: Record<Finding["status"], string> = {
  fail: "Fails",
  warn: "Warning",
  pass: "Passes",
  not_applicable: "Not applicable",
};

function FindingItem({ finding }: { finding: Finding }) {
  return (
    <li class={`finding finding-${finding.status}`}>
      <p>
        <span class={`pill pill-${finding.status}`}>{LABEL[finding.status]}</span>{" "}
        <strong>{finding.title}</strong>
      </p>
      <p>{finding.message}</p>
      <p class="muted">
        <cite>{finding.citation}</cite>
        {finding.dueBy && (
          <>
            {" "}
            · due by <time dateTime={finding.dueBy}>{formatDate(finding.dueBy)}</time>
          </>
        )}
        {finding.startBy && finding.status !== "fail" && (
          <>
            {" "}
            · {finding.validThrough ? "start renewal by" : "start by"}{" "}
            <time dateTime={finding.startBy}>{formatDate(finding.startBy)}</time>
          </>
        )}
        {!finding.verified && " · citation not yet verified"}
      </p>
    </li>
  );
}

/** What the panel shows: a check's result, or a facility's latest verdict. */
export type Evaluated = Pick<
  CheckResult,
  "status" | "jurisdictions" | "findings" | "evaluatedAt" | "asOf" | "notApplicableCount"
>;

/** `note` says what produced these findings, or why they are not the latest. */
export function Findings({ result, note }: { result: Evaluated; note?: ComponentChildren }) {
  const layers = result.jurisdictions.map((jurisdiction) => ({
    jurisdiction,
    findings: result.findings
      .filter((f) => f.jurisdiction === jurisdiction)
      .sort((a, b) => ORDER[a.status] - ORDER[b.status]),
  }));
  return (
    <div>
      <p>
        <StatusBadge status={result.status} /> Checked {formatDateTime(result.evaluatedAt)} as of{" "}
        {formatDate(result.asOf)}.{note && <strong> {note}</strong>}
      </p>
      {result.notApplicableCount > 0 && (
        <p class="muted">
          {result.notApplicableCount} rule{result.notApplicableCount === 1 ? " does" : "s do"} not apply to
          this location.
        </p>
      )}
      {layers.map(({ jurisdiction, findings }) => {
        const open = findings.filter((f) => f.status === "fail" || f.status === "warn");
        const rest = findings.filter((f) => f.status === "pass" || f.status === "not_applicable");
        return (
          <section key={jurisdiction} class="layer" aria-label={jurisdictionName(jurisdiction)}>
            <h3>{jurisdictionName(jurisdiction)}</h3>
            {open.length === 0 ? (
              <p class="muted">No problems at this level.</p>
            ) : (
              <ul class="findings">
                {open.map((f) => (
                  <FindingItem key={`${f.ruleId}-${f.subject?.id ?? ""}`} finding={f} />
                ))}
              </ul>
            )}
            {rest.length > 0 && (
              <details>
                <summary>
                  {rest.length} rule{rest.length === 1 ? "" : "s"} passing or not applicable
                </summary>
                <ul class="findings">
                  {rest.map((f) => (
                    <FindingItem key={`${f.ruleId}-${f.subject?.id ?? ""}`} finding={f} />
                  ))}
                </ul>
              </details>
            )}
          </section>
        );
      })}
    </div>
  );
}
