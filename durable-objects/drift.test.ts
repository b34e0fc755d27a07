// What a dataset change alerts a tenant about: findings whose status changed, appeared or went
// away — but not rules that do not apply to the facility, before or after.
import { describe, expect, it } from "vitest";
import type { Finding, Verdict } from "../compliance";
import { changedFindings } from "./drift";

const finding = (ruleId: string, status: Finding["status"]): Finding => ({
  ruleId,
  jurisdiction: "ocd-division/country:us/state:tx",
  status,
  severity: "major",
  title: ruleId,
  citation: `citation of ${ruleId}`,
  message: "",
  subject: null,
  dueBy: null,
  startBy: null,
  validThrough: null,
  verified: true,
});

const verdict = (...findings: Finding[]): Verdict =>
  ({ status: "compliant", findings }) as unknown as Verdict;

describe("changedFindings", () => {
  const before = verdict(finding("TX-CFPM", "pass"));

  it("ignores a new rule that does not apply to the facility (a food-truck rule at a restaurant)", () => {
    expect(
      changedFindings(before, verdict(finding("TX-CFPM", "pass"), finding("TX-MFU", "not_applicable"))),
    ).toEqual([]);
  });

  it("reports a new rule that applies, from no finding to its status", () => {
    expect(changedFindings(before, verdict(finding("TX-CFPM", "pass"), finding("TX-MFU", "fail")))).toEqual([
      { ruleId: "TX-MFU", citation: "citation of TX-MFU", subject: null, from: null, to: "fail" },
    ]);
  });

  it("ignores a removed rule that never applied, and reports one that did", () => {
    const old = verdict(
      finding("TX-CFPM", "pass"),
      finding("TX-A", "not_applicable"),
      finding("TX-B", "warn"),
    );
    expect(changedFindings(old, before)).toEqual([
      { ruleId: "TX-B", citation: "citation of TX-B", subject: null, from: "warn", to: null },
    ]);
  });

  it("reports a rule that starts or stops applying", () => {
    const applying = verdict(finding("TX-CFPM", "fail"));
    const notApplying = verdict(finding("TX-CFPM", "not_applicable"));
    expect(changedFindings(applying, notApplying)).toMatchObject([{ from: "fail", to: "not_applicable" }]);
    expect(changedFindings(notApplying, applying)).toMatchObject([{ from: "not_applicable", to: "fail" }]);
  });
});
