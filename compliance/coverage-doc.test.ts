// docs/coverage.md is generated from the datasets; this fails when someone changes a dataset
// without regenerating it (workerd has no fs, so the committed file is imported as text).
import { describe, expect, it } from "vitest";
import committed from "../docs/coverage.md?raw";
import { coverageByState, renderCoverageMarkdown } from "./coverage-report";
import { bundledDatasets } from "./datasets";

describe("docs/coverage.md", () => {
  it("matches the datasets (regenerate with `npm run docs:coverage`)", () => {
    expect(committed).toBe(renderCoverageMarkdown(bundledDatasets));
  });
  it("lists every rule with its citation and flags unverified ones", () => {
    for (const d of bundledDatasets) for (const r of d.rules) expect(committed).toContain(`| ${r.id} |`);
    expect(committed).toMatch(/\| TX-FH \|.*\| \*\*unverified\*\* \|/);
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
