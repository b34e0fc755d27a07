// What Prep covers, derived from the datasets themselves (never maintained by hand): per state,
// the counties and cities with their own datasets (elsewhere in the state: state-level only),
// and the markdown of docs/coverage.md. Pure, so the route, the generator script and the
// staleness test all produce exactly the same text.
import { type DivisionLevel, levelOf } from "./jurisdictions/ocd";
import type { Dataset, Requirement, Rule } from "./schema/dataset";
import { enumLabel } from "./wording";

export interface DatasetRef {
  jurisdiction: string;
  name: string;
}

export interface StateCoverage {
  jurisdiction: string;
  name: string;
  /** County and city datasets inside the state; every other place there has state-level coverage. */
  local: { jurisdiction: string; name: string; level: DivisionLevel }[];
}

/** The state datasets, each with the narrower datasets inside it, in jurisdiction order. */
export function coverageByState(datasets: readonly DatasetRef[]): StateCoverage[] {
  const sorted = [...datasets].sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction));
  return sorted
    .filter((d) => levelOf(d.jurisdiction) === "state")
    .map((state) => ({
      jurisdiction: state.jurisdiction,
      name: state.name,
      local: sorted
        .filter((d) => d.jurisdiction.startsWith(`${state.jurisdiction}/`))
        .map((d) => ({ jurisdiction: d.jurisdiction, name: d.name, level: levelOf(d.jurisdiction) })),
    }));
}

const cell = (text: string) => text.replaceAll("|", "\\|").replaceAll("\n", " ");
const list = (xs: readonly string[]) => xs.map(enumLabel).join(", ");
const years = (n: number | null) => (n === null ? "never expires" : `valid ${n} year${n === 1 ? "" : "s"}`);

/** One line saying what a requirement checks, in the dataset's own terms. */
export function describeRequirement(req: Requirement): string {
  switch (req.kind) {
    case "each_staff_credential": {
      const scope = req.onlyIfHolding ? ` holding a ${list(req.onlyIfHolding)}` : "";
      const exempt = req.exemptIfHolding ? `; holders of a ${list(req.exemptIfHolding)} exempt` : "";
      return `each ${list(req.roles)}${scope}: ${list([req.credential.type])} within ${req.graceDays} days of hire (${years(req.credential.validityYears)})${exempt}`;
    }
    case "credential_holder": {
      const what = req.credential
        ? `${list([req.credential.type])} (${years(req.credential.validityYears)})`
        : "present";
      const staffing = req.minimumStaffing
        ? `; when ${req.minimumStaffing.atLeast}+ ${list(req.minimumStaffing.roles)} work at once`
        : "";
      const grace =
        req.graceDaysFromOpening === undefined ? "" : `; within ${req.graceDaysFromOpening} days of opening`;
      return `one ${list(req.roles)} ${req.credential ? "holds a " : "is "}${what}${req.onSite ? ", on site" : ""}${staffing}${grace}`;
    }
    case "permit":
      return `valid ${list(req.permitTypes)} (${req.validityYears === null ? "until its expiry date" : years(req.validityYears)})${req.voidOnOwnershipChange ? "; void on change of ownership" : ""}`;
    case "temperature":
      return [
        req.coldMaxF === undefined ? "" : `cold ≤ ${req.coldMaxF}°F`,
        req.hotMinF === undefined ? "" : `hot ≥ ${req.hotMinF}°F`,
        `last ${req.lookbackDays} days of readings`,
      ]
        .filter(Boolean)
        .join(", ");
    case "inspection_grade":
      return `grade from the latest inspection: ${req.bands
        .map(
          (b) =>
            `${b.label} ${b.minScore !== undefined ? `≥ ${b.minScore}` : b.maxScore !== undefined ? `≤ ${b.maxScore}` : "above"}`,
        )
        .join(", ")}`;
    case "preemption":
      return `local rules preempted on: ${list(req.topics)}${req.exceptJurisdictions ? ` (except ${req.exceptJurisdictions.join(", ")})` : ""}`;
    case "posting":
      return `${enumLabel(req.notice)} listed among the facility's posted notices`;
    case "informational":
      return `not checkable from the payload: ${req.reason}`;
  }
}

function inForce(rule: Rule): string {
  return rule.effectiveTo
    ? `${rule.effectiveFrom} – ${rule.effectiveTo} (excl.)`
    : `from ${rule.effectiveFrom}`;
}

/** One jurisdiction's counts; a rule id with several in-force windows counts once. */
export interface RuleCounts {
  rules: number;
  /** Rules every window of which is verified against the primary text. */
  verified: number;
  /** Rules whose latest window only informs (not checkable from the payload). */
  informational: number;
  /** Rules every window of which names its primary source's URL and the day it was checked. */
  sourced: number;
}

export function countRules(rules: readonly Rule[]): RuleCounts {
  const byId = new Map<string, Rule[]>();
  for (const r of rules) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  const counts: RuleCounts = { rules: byId.size, verified: 0, informational: 0, sourced: 0 };
  for (const windows of byId.values()) {
    const latest = windows.reduce((a, b) => (b.effectiveFrom > a.effectiveFrom ? b : a));
    if (windows.every((w) => w.verified)) counts.verified++;
    if (latest.requirement.kind === "informational") counts.informational++;
    if (windows.every((w) => w.source)) counts.sourced++;
  }
  return counts;
}

const share = (part: number, whole: number) => (whole === 0 ? "—" : `${Math.round((100 * part) / whole)} %`);

function countsRow(name: string, c: RuleCounts): string {
  return `| ${cell(name)} | ${c.rules} | ${c.verified} (${share(c.verified, c.rules)}) | ${c.informational} (${share(c.informational, c.rules)}) | ${c.sourced} (${share(c.sourced, c.rules)}) |`;
}

/** The per-jurisdiction counts table with its total, in the order given. */
function renderCounts(datasets: readonly Dataset[]): string[] {
  const out = [
    "## Rules, verified and informational, per jurisdiction",
    "",
    "Targets: at least 120 rules, at least 90 % of them verified against the primary text, and fewer than 15 % that only inform (cannot be checked from the payload). " +
      "A rule with several windows in force over time counts once.",
    "",
    "| Jurisdiction | Rules | Verified | Informational only | Primary source URL and check date |",
    "|---|---:|---:|---:|---:|",
  ];
  const total: RuleCounts = { rules: 0, verified: 0, informational: 0, sourced: 0 };
  for (const d of datasets) {
    const c = countRules(d.rules);
    for (const key of Object.keys(total) as (keyof RuleCounts)[]) total[key] += c[key];
    out.push(countsRow(d.shortName ?? d.name, c));
  }
  out.push(countsRow("**All jurisdictions**", total));
  return out;
}

function sourceCell(rule: Rule): string {
  return rule.source ? `[checked ${rule.source.checkedAt}](${rule.source.url})` : "—";
}

/** docs/coverage.md for these datasets. */
export function renderCoverageMarkdown(datasets: readonly Dataset[]): string {
  const out: string[] = [
    "# Coverage",
    "",
    "<!-- Generated from compliance/datasets by `npm run docs:coverage` (scripts/generate-coverage.ts). Do not edit by hand: compliance/coverage-doc.test.ts fails when this file is stale. -->",
    "",
    "Not legal advice. Every jurisdiction Prep checks, its rules, their citations and whether each fact is verified. " +
      "Rules marked **unverified** encode facts not yet confirmed against a primary source.",
    "",
    "## Where Prep has local rules",
    "",
    "| State | Counties and cities with their own rules | Elsewhere in the state |",
    "|---|---|---|",
  ];
  const refs = datasets.map((d) => ({ jurisdiction: d.jurisdiction, name: d.shortName ?? d.name }));
  for (const s of coverageByState(refs)) {
    const local = s.local.map((l) => `${l.name} (${l.level})`).join("; ") || "none";
    out.push(`| ${cell(s.name)} | ${cell(local)} | state-level rules only |`);
  }
  const sorted = [...datasets].sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction));
  out.push("", ...renderCounts(sorted));
  for (const d of sorted) {
    const unverified = d.rules.filter((r) => !r.verified).length;
    out.push(
      "",
      `## ${d.shortName ?? d.name}`,
      "",
      `\`${d.jurisdiction}\` · ${d.name} · version ${d.version} · ${levelOf(d.jurisdiction)} level · ${d.rules.length} rules, ${unverified} unverified` +
        (d.parent ? ` · within \`${d.parent}\`` : ""),
      "",
      "| Rule | Title | Checks | In force | Composition | Citation | Verified | Source |",
      "|---|---|---|---|---|---|---|---|",
    );
    for (const r of d.rules) {
      out.push(
        `| ${r.id} | ${cell(r.title)} | ${cell(describeRequirement(r.requirement))} | ${inForce(r)} | ${r.composition} | ${cell(r.citation)} | ${r.verified ? "yes" : "**unverified**"} | ${sourceCell(r)} |`,
      );
    }
    if (d.leadTimes && d.leadTimes.length > 0) {
      out.push(
        "",
        "Renewal lead times (findings' `startBy` = the due date − these days, wherever no narrower layer states its own):",
        "",
        "| Credential or permit | Days | What they cover | Citation | Verified |",
        "|---|---|---|---|---|",
      );
      for (const l of d.leadTimes)
        out.push(
          `| ${enumLabel(l.type)} (${l.kind}) | ${l.days} | ${cell(l.basis)} | ${cell(l.citation)} | ${l.verified ? "yes" : "**unverified**"} |`,
        );
    }
  }
  return `${out.join("\n")}\n`;
}
