// The data diff report on known versions: rules added, removed and changed field by field,
// and each rule's relation to the parent layers and the FDA model.
import { describe, expect, it } from "vitest";
import { compareLayers, diffDatasets, droppedRuleShare } from "./diff";
import type { Dataset, Rule } from "./schema/dataset";

const US = "ocd-division/country:us";
const ST = "ocd-division/country:us/state:ca";

const rule = (
  id: string,
  topic: string,
  requirement: Rule["requirement"],
  over: Partial<Rule> = {},
): Rule => ({
  id,
  title: `${id} title`,
  citation: `Code § ${id}`,
  severity: "major",
  verified: true,
  effectiveFrom: "2020-01-01",
  topic,
  composition: "override",
  requirement,
  ...over,
});
const hold = (coldMaxF: number, hotMinF = 135): Rule["requirement"] => ({
  kind: "temperature",
  coldMaxF,
  hotMinF,
  lookbackDays: 7,
});
const info: Rule["requirement"] = {
  kind: "informational",
  reason: "Not in the payload.",
  action: "Keep logs.",
};
const layer = (jurisdiction: string, rules: Rule[], version = "2026.1.0"): Dataset => ({
  jurisdiction,
  name: jurisdiction,
  version,
  source: { publisher: "test", retrievedAt: "2026-01-01" },
  disclaimer: "Not legal advice.",
  ...(jurisdiction === US ? {} : { parent: US }),
  rules,
});

describe("renewal lead times, version to version", () => {
  const lead = (days: number) => ({
    kind: "permit" as const,
    type: "health_permit" as const,
    days,
    verified: false,
    citation: "[V] test",
    basis: "test",
  });
  it("lists each type whose lead time was added, changed or removed", () => {
    const v1 = { ...layer(ST, [rule("A", "a", info)]), leadTimes: [lead(45)] };
    const v2 = { ...layer(ST, [rule("A", "a", info)], "2026.2.0"), leadTimes: [lead(60)] };
    expect(diffDatasets(v1, v2).leadTimes).toEqual([
      { key: "permit:health_permit", from: lead(45), to: lead(60) },
    ]);
    expect(diffDatasets(layer(ST, []), v1).leadTimes).toEqual([
      { key: "permit:health_permit", from: null, to: lead(45) },
    ]);
    expect(diffDatasets(v1, v1).leadTimes).toEqual([]);
  });
});

describe("version to version", () => {
  const v1 = layer(ST, [rule("A", "a", hold(41)), rule("B", "b", info), rule("C", "c", info)]);
  const v2 = layer(
    ST,
    [rule("A", "a", hold(40), { severity: "critical" }), rule("B", "b", info), rule("D", "d", info)],
    "2026.2.0",
  );

  it("lists added, removed and changed rules with each changed field", () => {
    const diff = diffDatasets(v1, v2);
    expect(diff).toMatchObject({ jurisdiction: ST, from: "2026.1.0", to: "2026.2.0", unchanged: 1 });
    expect(diff.added.map((r) => r.ruleId)).toEqual(["D"]);
    expect(diff.removed.map((r) => r.ruleId)).toEqual(["C"]);
    expect(diff.changed).toEqual([
      expect.objectContaining({
        ruleId: "A",
        changes: [
          { field: "requirement.coldMaxF", from: 41, to: 40 },
          { field: "severity", from: "major", to: "critical" },
        ],
      }),
    ]);
  });

  it("measures the share of rule ids dropped", () => {
    expect(droppedRuleShare(v1, v2)).toBeCloseTo(1 / 3);
    expect(droppedRuleShare(v1, v1)).toBe(0);
  });
});

describe("across layers", () => {
  const fda = layer(US, [rule("FDA-HOLD", "holding", hold(41)), rule("FDA-INFO", "info", info)]);
  const report = (rules: Rule[], extraFda: Rule[] = []) =>
    compareLayers([layer(US, [...fda.rules, ...extraFda]), layer(ST, rules)], "2026-06-01");

  it("tells stricter, looser, same, conflicting, additional, replaces, new and unverified apart", () => {
    const r = report([
      rule("S-STRICT", "holding", hold(40), { composition: "floor" }),
      rule("S-LOOSE", "holding", hold(45)),
      rule("S-MIXED", "holding", hold(40, 130)),
      rule("S-SAME", "holding", hold(41)),
      rule("S-KIND", "info", hold(41)),
      rule("S-ADD", "holding", hold(41), { composition: "additive" }),
      rule("S-NEW", "own_topic", info, { verified: false }),
      rule("S-OWN", "holding", hold(45, 140), { composition: "own_code" }),
    ]);
    const relation = Object.fromEntries(r.rules.map((x) => [x.ruleId, [x.relation, x.vsModel]]));
    expect(relation).toEqual({
      "S-STRICT": ["stricter", "stricter"],
      "S-LOOSE": ["looser", "looser"],
      "S-MIXED": ["conflicting", "conflicting"],
      "S-SAME": ["same", "same"],
      "S-KIND": ["conflicting", "conflicting"],
      "S-ADD": ["additional", "additional"],
      "S-NEW": ["new", null],
      "S-OWN": ["replaces", "replaces"],
    });
    expect(r.unverified).toEqual(["S-NEW"]);
    expect(r.chain.map((c) => c.jurisdiction)).toEqual([US, ST]);
  });

  it("marks preempted rules and names the preempting rule", () => {
    const preemption = rule(
      "FDA-NOLOCAL",
      "preemption",
      { kind: "preemption", topics: ["cards"] },
      { composition: "additive" },
    );
    const r = report(
      [
        rule("S-CARD", "cards", info, { composition: "additive" }),
        rule("S-OLD", "x", info, { composition: "preempted" }),
      ],
      [preemption],
    );
    expect(r.rules.map((x) => [x.ruleId, x.relation, x.preemptedBy])).toEqual([
      ["S-CARD", "preempted", "FDA-NOLOCAL"],
      ["S-OLD", "preempted", undefined],
    ]);
  });
});
