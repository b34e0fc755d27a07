// docs/coverage.md is generated from the datasets; this fails when someone changes a dataset
// without regenerating it (workerd has no fs, so the committed file is imported as text).
import { describe, expect, it } from "vitest";
import committed from "../docs/coverage.md?raw";
import { countRules, coverageByState, renderCoverageMarkdown } from "./coverage-report";
import { bundledDatasets } from "./datasets";

describe("docs/coverage.md", () => {
  it("matches the datasets (regenerate with `npm run docs:coverage`)", () => {
    expect(committed).toBe(renderCoverageMarkdown(bundledDatasets));
  });
  it("lists every rule with its citation and flags unverified ones", () => {
    for (const d of bundledDatasets) for (const r of d.rules) expect(committed).toContain(`| ${r.id} |`);
    expect(committed).toMatch(/\| TX-FH \|.*\| \*\*unverified\*\* \|/);
  });
  it("counts a rule with several windows once, verified and sourced only if every window is", () => {
    const ca = bundledDatasets.find((d) => d.jurisdiction.endsWith("state:ca"));
    const [first, second, ...rest] = ca?.rules.filter((r) => r.id === "CA-FHC") ?? [];
    if (!first || !second) throw new Error("CA-FHC should have two windows");
    // Stripped of their sources, so the counts do not depend on whether the data has them yet.
    const [bareFirst, bareSecond, ...bareRest] = [first, second, ...rest].map(({ source: _, ...w }) => w);
    if (!bareFirst || !bareSecond) throw new Error("unreachable");
    const windows = [bareFirst, bareSecond, ...bareRest];
    const source = { url: "https://leginfo.legislature.ca.gov/", checkedAt: "2026-12-02" };
    expect(countRules(windows)).toMatchObject({ rules: 1, verified: 1, informational: 0, sourced: 0 });
    expect(countRules(windows.map((w) => ({ ...w, source })))).toMatchObject({ sourced: 1 });
    expect(
      countRules([
        { ...bareFirst, source },
        { ...bareSecond, verified: false },
      ]),
    ).toMatchObject({
      verified: 0,
      sourced: 0,
    });
  });
  it("reports the totals against the targets", () => {
    const total = bundledDatasets.reduce((n, d) => n + countRules(d.rules).rules, 0);
    expect(committed).toMatch(new RegExp(`\\| \\*\\*All jurisdictions\\*\\* \\| ${total} \\|`));
    expect(committed).toContain("Targets: at least 120 rules");
  });
  it("lists the cities with their own datasets per state", () => {
    const tx = coverageByState(bundledDatasets).find((s) => s.jurisdiction.endsWith("state:tx"));
    expect(tx?.local.map((l) => l.jurisdiction)).toEqual([
      "ocd-division/country:us/state:tx/place:austin",
      "ocd-division/country:us/state:tx/place:houston",
    ]);
    expect(coverageByState(bundledDatasets).find((s) => s.jurisdiction.endsWith("state:fl"))?.local).toEqual(
      [],
    );
  });
});
