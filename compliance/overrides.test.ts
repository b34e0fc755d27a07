// Overrides fold into the dataset as effective windows: in force only inside
// [effectiveFrom, expiresAt), named on the findings, validated like any dataset.
import { describe, expect, it } from "vitest";
import { compileDataset } from "./engine/compile";
import { evaluate } from "./engine/evaluate";
import { applyOverrides, type Override } from "./overrides";
import type { Dataset, Rule } from "./schema/dataset";
import { facility } from "./test-helpers";

const ST = "ocd-division/country:us/state:ca";
const info = (reason: string): Rule["requirement"] => ({ kind: "informational", reason, action: "Act." });
const dataset: Dataset = {
  jurisdiction: ST,
  name: "Test",
  version: "2026.1.0",
  source: { publisher: "test", retrievedAt: "2026-01-01" },
  disclaimer: "Not legal advice.",
  rules: [
    {
      id: "T-INFO",
      title: "Notice",
      citation: "Code § 1",
      severity: "minor",
      verified: true,
      effectiveFrom: "2020-01-01",
      topic: "notice",
      composition: "additive",
      requirement: info("published"),
    },
  ],
};
const override = (over: Partial<Override> = {}): Override => ({
  id: "ovr_1",
  action: "replace",
  ruleId: "T-INFO",
  rule: { severity: "major", requirement: info("emergency") },
  reason: "Emergency order",
  effectiveFrom: "2026-03-01",
  expiresAt: "2026-04-01",
  ...over,
});

function findingAt(ds: Dataset, asOf: string, ruleId = "T-INFO") {
  return evaluate(facility(), [compileDataset(ds)], asOf, { jurisdictions: [ST] }).findings.find(
    (f) => f.ruleId === ruleId,
  );
}

describe("applyOverrides", () => {
  it("replaces a rule's fields only within the override's window", () => {
    const applied = applyOverrides(dataset, [override()]);
    if (!applied.ok) throw new Error(JSON.stringify(applied.problems));
    expect(
      applied.dataset.rules.map((r) => [r.effectiveFrom, r.effectiveTo ?? null, r.override?.id ?? null]),
    ).toEqual([
      ["2020-01-01", "2026-03-01", null],
      ["2026-03-01", "2026-04-01", "ovr_1"],
      ["2026-04-01", null, null],
    ]);
    expect(findingAt(applied.dataset, "2026-02-28")).toMatchObject({ severity: "minor" });
    expect(findingAt(applied.dataset, "2026-02-28")?.override).toBeUndefined();
    expect(findingAt(applied.dataset, "2026-03-15")).toMatchObject({
      severity: "major",
      message: expect.stringContaining("emergency"),
      override: { id: "ovr_1", reason: "Emergency order" },
    });
    expect(findingAt(applied.dataset, "2026-04-01")?.override).toBeUndefined();
  });

  it("adds a rule for the window", () => {
    const added = override({
      action: "add",
      ruleId: "T-NEW",
      rule: { ...dataset.rules[0], title: "New", topic: "fresh", effectiveFrom: "2000-01-01" },
    });
    const applied = applyOverrides(dataset, [added]);
    if (!applied.ok) throw new Error(JSON.stringify(applied.problems));
    expect(findingAt(applied.dataset, "2026-02-01", "T-NEW")).toBeUndefined();
    expect(findingAt(applied.dataset, "2026-03-01", "T-NEW")?.override?.id).toBe("ovr_1");
  });

  it("names the override on the finding of the parent rule its new rule supersedes", () => {
    const US = "ocd-division/country:us";
    const federal: Dataset = {
      ...dataset,
      jurisdiction: US,
      name: "Federal",
      rules: [{ ...(dataset.rules[0] as Rule), id: "F-INFO" }],
    };
    const added = override({
      action: "add",
      ruleId: "T-EMERGENCY",
      rule: { ...dataset.rules[0], title: "Emergency notice", composition: "override" },
    });
    const applied = applyOverrides({ ...dataset, parent: US }, [added]);
    if (!applied.ok) throw new Error(JSON.stringify(applied.problems));
    const layers = [federal, applied.dataset].map(compileDataset);
    const federalFinding = (asOf: string) =>
      evaluate(facility(), layers, asOf, { jurisdictions: [US, ST] }).findings.find(
        (f) => f.ruleId === "F-INFO",
      );
    expect(federalFinding("2026-03-15")?.message).toBe(
      "Superseded by T-EMERGENCY of Test (Code § 1), which replaces this rule there, as set by manual override ovr_1 (Emergency order).",
    );
    expect(federalFinding("2026-02-15")?.message).not.toMatch(/Superseded/);
  });

  it("refuses an override of a missing rule or one that breaks the dataset", () => {
    expect(applyOverrides(dataset, [override({ ruleId: "T-NONE" })]).ok).toBe(false);
    expect(applyOverrides(dataset, [override({ rule: { citation: "" } })]).ok).toBe(false);
    expect(applyOverrides(dataset, [override({ action: "add" })]).ok).toBe(false);
  });
});
