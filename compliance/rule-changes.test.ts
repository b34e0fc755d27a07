// Rule changes ahead, pure (compliance/rule-changes.ts): which windows a version changes after
// today and how they read, the dates a candidate is evaluated at, and finding differences.
import { describe, expect, it } from "vitest";
import { bundledDatasets } from "./datasets";
import type { Finding, Verdict } from "./engine/types";
import { findingChanges, impactDates, upcomingRuleChanges, upcomingWindows } from "./rule-changes";
import type { Dataset, Rule } from "./schema/dataset";

const CA = bundledDatasets.find((d) => d.jurisdiction === "ocd-division/country:us/state:ca") as Dataset;

/** California with the card deadline cut to `days` from `from`. */
function cardDeadline(days: number, from: string): Dataset {
  const rules = CA.rules.flatMap((rule): Rule[] =>
    rule.id === "CA-FHC" && rule.requirement.kind === "each_staff_credential" && !rule.effectiveTo
      ? [
          { ...rule, effectiveTo: from },
          { ...rule, effectiveFrom: from, requirement: { ...rule.requirement, graceDays: days } } as Rule,
        ]
      : [rule],
  );
  return { ...CA, version: "2027.1.0", rules };
}

describe("upcomingRuleChanges", () => {
  it("describes a later window against the one in force until then", () => {
    expect(upcomingRuleChanges(CA, cardDeadline(14, "2027-01-15"), "2026-12-01")).toEqual([
      {
        ruleId: "CA-FHC",
        title: "Food handler card for every food employee",
        citation: "Cal. Health & Safety Code § 113948(a)",
        effectiveFrom: "2027-01-15",
        summary:
          "Food handler card for every food employee changes on 2027-01-15: requirement.graceDays 30 → 14.",
      },
    ]);
  });

  it("ignores what is already in force, and the same version", () => {
    expect(upcomingRuleChanges(CA, cardDeadline(14, "2026-11-01"), "2026-12-01")).toEqual([]);
    expect(upcomingRuleChanges(CA, CA, "2026-12-01")).toEqual([]);
  });

  it("names a brand-new rule as applying from its date, and lists the windows still ahead", () => {
    const added = {
      ...CA,
      rules: [
        ...CA.rules,
        {
          ...CA.rules[0],
          id: "CA-NEW",
          title: "New",
          effectiveFrom: "2027-03-01",
          effectiveTo: undefined,
        } as Rule,
      ],
    };
    expect(upcomingRuleChanges(CA, added, "2026-12-01")).toMatchObject([
      { ruleId: "CA-NEW", summary: "New applies from 2027-03-01." },
    ]);
    expect(upcomingWindows(added, "2026-12-01")).toEqual(["CA-NEW@2027-03-01"]);
  });
});

describe("impactDates", () => {
  it("is today plus each later date a changed window starts or ends", () => {
    expect(impactDates(CA, cardDeadline(14, "2027-01-15"), "2026-12-01")).toEqual([
      "2026-12-01",
      "2027-01-15",
    ]);
    expect(impactDates(CA, CA, "2026-12-01")).toEqual(["2026-12-01"]);
    expect(impactDates(null, CA, "2026-12-01")).toContain("2026-12-01");
  });
});

describe("findingChanges", () => {
  const finding = (ruleId: string, status: Finding["status"], subject: string | null = null) =>
    ({ ruleId, status, subject: subject ? { kind: "staff", id: subject } : null }) as Finding;
  const verdict = (findings: Finding[]) => ({ status: "compliant", findings }) as unknown as Verdict;

  it("reports per rule what changed, appeared or disappeared, once per status pair, without subjects", () => {
    const before = verdict([finding("A", "warn", "s-1"), finding("A", "warn", "s-2"), finding("B", "pass")]);
    const after = verdict([finding("A", "fail", "s-1"), finding("A", "fail", "s-2"), finding("C", "fail")]);
    expect(findingChanges(before, after)).toEqual([
      { ruleId: "A", from: "warn", to: "fail" },
      { ruleId: "C", from: null, to: "fail" },
      { ruleId: "B", from: "pass", to: null },
    ]);
    expect(findingChanges(before, before)).toEqual([]);
  });
});
