import { describe, expect, it } from "vitest";
import { bundledDatasets } from "../datasets";
import { validateDataset } from "./validate-dataset";

const rule = {
  id: "X-1",
  title: "t",
  citation: "Some Code § 1",
  severity: "minor",
  verified: true,
  effectiveFrom: "2020-01-01",
  topic: "t",
  composition: "additive",
  requirement: { kind: "informational", reason: "r", action: "a" },
};
const dataset = (rules: unknown[], extra: object = {}) => ({
  jurisdiction: "ocd-division/country:us/state:zz",
  name: "Test",
  version: "2026.1.0",
  source: { publisher: "p", retrievedAt: "2026-01-01" },
  disclaimer: "Not legal advice.",
  rules,
  ...extra,
});

describe("validateDataset", () => {
  it("accepts every bundled dataset", () => {
    expect(bundledDatasets.length).toBe(15);
    for (const d of bundledDatasets)
      expect(validateDataset(JSON.parse(JSON.stringify(d)))).toMatchObject({ ok: true });
  });
  it("rejects duplicate rule ids with overlapping dates, pointing at the second", () => {
    const r = validateDataset(dataset([rule, rule]));
    expect(r).toEqual({
      ok: false,
      problems: [{ pointer: "/rules/1/id", message: expect.stringMatching(/duplicate rule id X-1/) }],
    });
  });
  it("allows the same id as successive versions", () => {
    const v1 = { ...rule, effectiveTo: "2021-08-08" };
    const v2 = { ...rule, effectiveFrom: "2021-08-08" };
    expect(validateDataset(dataset([v1, v2])).ok).toBe(true);
  });
  it("rejects a missing or blank citation", () => {
    const { citation: _c, ...noCitation } = rule;
    const r1 = validateDataset(dataset([noCitation]));
    const r2 = validateDataset(dataset([{ ...rule, citation: "   " }]));
    expect(r1.ok || r1.problems[0]?.pointer).toBe("/rules/0/citation");
    expect(r2.ok || r2.problems[0]?.pointer).toBe("/rules/0/citation");
  });
  it("rejects bad and inverted dates", () => {
    const r1 = validateDataset(dataset([{ ...rule, effectiveFrom: "2021-02-30" }]));
    expect(r1.ok || r1.problems[0]?.pointer).toBe("/rules/0/effectiveFrom");
    const r2 = validateDataset(dataset([{ ...rule, effectiveTo: "2019-01-01" }]));
    expect(r2.ok || r2.problems[0]?.pointer).toBe("/rules/0/effectiveTo");
    const r3 = validateDataset(dataset([{ ...rule, effectiveTo: "2020-01-01" }]));
    expect(r3.ok).toBe(false);
  });
  it("requires the not-legal-advice disclaimer and a consistent parent", () => {
    const r = validateDataset(
      dataset([rule], { disclaimer: "Trust us.", parent: "ocd-division/country:us/state:ca" }),
    );
    expect(r.ok || r.problems.map((p) => p.pointer)).toEqual(["/disclaimer", "/parent"]);
  });
  it("rejects exclusions outside the dataset's state and unordered grade bands", () => {
    const bad = {
      ...rule,
      applicability: { excludedJurisdictions: ["ocd-division/country:us/state:ca/place:pasadena"] },
      requirement: {
        kind: "inspection_grade",
        bands: [
          { minScore: 80, label: "B", status: "pass" },
          { minScore: 90, label: "A", status: "pass" },
        ],
      },
    };
    const r = validateDataset(dataset([bad]));
    expect(r.ok || r.problems.map((p) => p.pointer)).toEqual([
      "/rules/0/applicability/excludedJurisdictions/0",
      "/rules/0/requirement/bands/1/minScore",
    ]);
  });
  it("checks lower_is_better bands: maxScore rising, only the last band open-ended", () => {
    const grade = (bands: object[]) =>
      validateDataset(
        dataset([{ ...rule, requirement: { kind: "inspection_grade", scoring: "lower_is_better", bands } }]),
      );
    expect(
      grade([
        { maxScore: 13, label: "A", status: "pass" },
        { label: "C", status: "pass" },
      ]),
    ).toMatchObject({ ok: true });
    const r = grade([
      { maxScore: 27, label: "B", status: "pass" },
      { maxScore: 13, label: "A", status: "pass" },
      { minScore: 28, label: "C", status: "pass" },
    ]);
    expect(r.ok || r.problems.map((p) => p.pointer)).toEqual([
      "/rules/0/requirement/bands/1/maxScore",
      "/rules/0/requirement/bands/2/minScore",
    ]);
  });
  it("never throws on garbage", () => {
    for (const g of [null, 1, "x", [], { rules: "no" }]) expect(validateDataset(g).ok).toBe(false);
  });
});
