/**
 * The data diff report (`data_diff_report`): version to version, what the approved overrides
 * change on top, and how the jurisdiction relates to its parent layers and the FDA model.
 * One builder for the admin endpoint, the CLI (database or two directories of dataset files,
 * as CI uses it) and the nightly refresh; JSON or Markdown.
 */
import {
  chainOf,
  compareLayers,
  type Dataset,
  diffDatasets,
  type LayerReport,
  type Override,
  type VersionDiff,
} from "../compliance/index";
import type { Database } from "../db/client";
import { listVersions, loadActiveDatasets, loadVersion } from "../db/datasets";
import { loadApprovedOverrides } from "../db/overrides";
import { withOverrides } from "../runtime/dataset-registry";

export interface VersionRef {
  versionId: string | null;
  version: string;
}

export interface DiffReport {
  jurisdiction: string;
  from: VersionRef | null;
  to: VersionRef;
  /** null when there is no earlier version to compare with. */
  versions: VersionDiff | null;
  /** What approved overrides change on top of `to`; null when none apply. */
  overrides: VersionDiff | null;
  layers: LayerReport;
}

export interface ReportInput {
  from: { ref: VersionRef; dataset: Dataset } | null;
  to: { ref: VersionRef; dataset: Dataset };
  overrides: readonly Override[];
  /** Every other jurisdiction's dataset (as checks see it), for the layer comparison. */
  others: ReadonlyMap<string, Dataset>;
  asOf: string;
}

export function buildReport(input: ReportInput): DiffReport {
  const effective = withOverrides(input.to.dataset, input.overrides);
  const all = new Map(input.others);
  all.set(effective.jurisdiction, effective);
  return {
    jurisdiction: input.to.dataset.jurisdiction,
    from: input.from?.ref ?? null,
    to: input.to.ref,
    versions: input.from ? diffDatasets(input.from.dataset, input.to.dataset) : null,
    overrides: input.overrides.length > 0 ? diffDatasets(input.to.dataset, effective) : null,
    layers: compareLayers(chainOf(effective.jurisdiction, all), input.asOf),
  };
}

export class VersionNotFound extends Error {}

/**
 * The report for `jurisdiction` from the database: `to` defaults to the active version, `from`
 * to the version stored before `to` (pending and rejected versions included, so a pending
 * version can be reviewed against the active one by passing it as `to`).
 */
export async function buildStoredReport(
  db: Database,
  jurisdiction: string,
  options: { from?: string | undefined; to?: string | undefined; asOf: string },
): Promise<DiffReport> {
  const [active, overrides] = await Promise.all([loadActiveDatasets(db), loadApprovedOverrides(db)]);
  const activeId = active.find((a) => a.jurisdiction === jurisdiction)?.versionId;
  const toId = options.to ?? activeId;
  const to = toId ? await loadVersion(db, jurisdiction, toId) : null;
  if (!to) throw new VersionNotFound(`No version ${toId ?? "(active)"} of ${jurisdiction}`);
  let fromId = options.from;
  if (fromId === undefined) {
    const versions = await listVersions(db, jurisdiction);
    fromId = versions.find((v) => v.id < to.id && v.status !== "rejected")?.id;
  }
  const from = fromId ? await loadVersion(db, jurisdiction, fromId) : null;
  if (fromId && !from) throw new VersionNotFound(`No version ${fromId} of ${jurisdiction}`);
  const others = new Map(
    active.map((a) => [a.jurisdiction, withOverrides(a.content, overrides.get(a.jurisdiction))] as const),
  );
  return buildReport({
    from: from ? { ref: { versionId: from.id, version: from.version }, dataset: from.content } : null,
    to: { ref: { versionId: to.id, version: to.version }, dataset: to.content },
    overrides: overrides.get(jurisdiction) ?? [],
    others,
    asOf: options.asOf,
  });
}

// ---- Markdown ----

const cell = (value: unknown) =>
  (typeof value === "string" ? value : (JSON.stringify(value) ?? "—"))
    .replaceAll("|", "\\|")
    .replaceAll("\n", " ");

/** "60 days (unverified)" */
const leadTimeText = (lead: VersionDiff["leadTimes"][number]["to"]) =>
  lead ? `${lead.days} days${lead.verified ? "" : " (unverified)"}` : "—";

function leadTimeLines(diff: VersionDiff): string[] {
  if (diff.leadTimes.length === 0) return [];
  const lines = ["", "Renewal lead times:", "", "  | Type | From | To | Citation |", "  |---|---|---|---|"];
  for (const c of diff.leadTimes)
    lines.push(
      `  | \`${c.key}\` | ${leadTimeText(c.from)} | ${leadTimeText(c.to)} | ${cell(c.to?.citation ?? c.from?.citation ?? "—")} |`,
    );
  return [...lines, ""];
}

function versionSection(title: string, diff: VersionDiff): string[] {
  const lines = [`### ${title}`, ""];
  if (diff.added.length + diff.removed.length + diff.changed.length === 0)
    return [...lines, "No rule changes.", ...leadTimeLines(diff), ""];
  for (const r of diff.added) lines.push(`- **Added** \`${r.ruleId}\` ${r.title} (${r.citation})`);
  for (const r of diff.removed) lines.push(`- **Removed** \`${r.ruleId}\` ${r.title} (${r.citation})`);
  // A rule whose only change is its primary source (link or check date) reads as one line.
  const sourceOnly = (r: VersionDiff["changed"][number]) =>
    r.changes.every((c) => c.field.startsWith("source."));
  for (const r of diff.changed.filter(sourceOnly)) {
    const url = r.changes.find((c) => c.field === "source.url")?.to;
    const checked = r.changes.find((c) => c.field === "source.checkedAt")?.to;
    lines.push(
      `- **Source checked** \`${r.ruleId}\` ${r.title} (${r.citation})${url ? `: ${url}` : ""}${checked ? `, checked ${checked}` : ""}`,
    );
  }
  for (const r of diff.changed.filter((r) => !sourceOnly(r))) {
    lines.push(
      `- **Changed** \`${r.ruleId}\` ${r.title} (${r.citation})${r.override ? ` — override ${r.override.id}: ${r.override.reason}` : ""}`,
    );
    lines.push("", "  | Field | From | To |", "  |---|---|---|");
    for (const c of r.changes) lines.push(`  | \`${c.field}\` | ${cell(c.from)} | ${cell(c.to)} |`);
    lines.push("");
  }
  lines.push("", `${diff.unchanged} rule(s) unchanged.`, ...leadTimeLines(diff), "");
  return lines;
}

function layerSection(layers: LayerReport): string[] {
  const lines = [
    `### Against parent layers (as of ${layers.asOf})`,
    "",
    `Chain: ${layers.chain.map((c) => `${c.jurisdiction}@${c.version}`).join(" → ")}`,
    "",
    "| Rule | Topic | Composition | vs parent layers | vs FDA model | Verified |",
    "|---|---|---|---|---|---|",
  ];
  for (const r of layers.rules) {
    const against = r.against.map((a) => `${a.relation} (${a.ruleIds.join(", ")})`).join("; ");
    const relation =
      r.relation === "preempted" && r.preemptedBy ? `preempted by ${r.preemptedBy}` : against || r.relation;
    lines.push(
      `| \`${r.ruleId}\`${r.override ? ` (override ${r.override.id})` : ""} | ${r.topic} | ${r.composition} | ${cell(relation)} | ${r.vsModel ?? "—"} | ${r.verified ? "yes" : "**no**"} |`,
    );
  }
  if (layers.unverified.length > 0)
    lines.push("", `Unverified: ${layers.unverified.map((id) => `\`${id}\``).join(", ")}`);
  lines.push("");
  return lines;
}

export function renderMarkdown(reports: readonly DiffReport[]): string {
  const lines = ["# Regulatory data diff report", ""];
  for (const report of reports) {
    const from = report.from ? `${report.from.version}` : "(none)";
    lines.push(`## ${report.jurisdiction}: ${from} → ${report.to.version}`, "");
    lines.push(
      ...(report.versions ? versionSection("Version to version", report.versions) : ["New dataset.", ""]),
    );
    if (report.overrides) lines.push(...versionSection("Manual overrides in force", report.overrides));
    lines.push(...layerSection(report.layers));
  }
  return lines.join("\n");
}
