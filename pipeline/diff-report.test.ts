// The data diff report's Markdown as a reviewer reads it: each changed rule with its citation,
// and a rule whose only change is its primary source (link, check date) on one line.
import { describe, expect, it } from "vitest";
import { bundledDatasets, type Dataset } from "../compliance/index";
import { buildReport, renderMarkdown } from "./diff-report";

const bundledTexas = bundledDatasets.find(
  (d) => d.jurisdiction === "ocd-division/country:us/state:tx",
) as Dataset;
/** Texas as it stood before its rules named their sources. */
const texas: Dataset = { ...bundledTexas, rules: bundledTexas.rules.map(({ source: _, ...rule }) => rule) };
const others = new Map(bundledDatasets.map((d) => [d.jurisdiction, d] as const));

function reportOf(next: Dataset): string {
  return renderMarkdown([
    buildReport({
      from: { ref: { versionId: null, version: texas.version }, dataset: texas },
      to: { ref: { versionId: null, version: next.version }, dataset: next },
      overrides: [],
      others,
      asOf: "2026-12-02",
    }),
  ]);
}

describe("the data diff report in Markdown", () => {
  it("puts a rule whose only change is its source on one line, with the link and the day it was checked", () => {
    const [first, ...rest] = texas.rules;
    if (!first) throw new Error("Texas has rules");
    const source = { url: "https://texreg.sos.state.tx.us/", checkedAt: "2026-12-02" };
    const markdown = reportOf({ ...texas, version: "2099.1.0", rules: [{ ...first, source }, ...rest] });
    expect(markdown).toContain(
      `- **Source checked** \`${first.id}\` ${first.title} (${first.citation}): ${source.url}, checked 2026-12-02`,
    );
    expect(markdown).not.toContain("**Changed**");
  });

  it("names a changed rule's citation beside the fields that changed", () => {
    const changed = texas.rules.find((r) => r.requirement.kind === "each_staff_credential");
    if (changed?.requirement.kind !== "each_staff_credential") throw new Error("no staff rule");
    const next = {
      ...texas,
      version: "2099.1.0",
      rules: texas.rules.map((r) =>
        r === changed ? { ...r, requirement: { ...changed.requirement, graceDays: 7 } } : r,
      ),
    } as Dataset;
    const markdown = reportOf(next);
    expect(markdown).toContain(`- **Changed** \`${changed.id}\` ${changed.title} (${changed.citation})`);
    expect(markdown).toContain(`| \`requirement.graceDays\` | ${changed.requirement.graceDays} | 7 |`);
  });
});
