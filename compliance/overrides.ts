// Manual overrides: a rule change an operator applies faster than the dataset refresh. They are
// folded into the dataset BEFORE compilation, so checks still run compiled closures only, and
// they are expressed as effective windows, so expiry is asOf-aware without any reload: outside
// [effectiveFrom, expiresAt) the published rule applies exactly as before.
import type { Dataset, Rule } from "./schema/dataset";
import { type ValidateDatasetResult, validateDataset } from "./schema/validate-dataset";

export interface Override {
  id: string;
  /** `replace`: change fields of the rule `ruleId`; `add`: a new rule `ruleId`. */
  action: "replace" | "add";
  ruleId: string;
  /** replace: the fields to replace; add: the whole rule (id and dates are taken from the override). */
  rule: Record<string, unknown>;
  reason: string;
  /** First day in force (YYYY-MM-DD). */
  effectiveFrom: string;
  /** First day no longer in force (exclusive, like a rule's effectiveTo). */
  expiresAt: string;
}

/** Fields an override never sets: identity and the window come from the override itself. */
const RESERVED = ["id", "effectiveFrom", "effectiveTo", "override"] as const;

const later = (a: string, b: string) => (a > b ? a : b);
const earlier = (a: string, b: string | undefined) => (b !== undefined && b < a ? b : a);

function withoutReserved(fields: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...fields };
  for (const key of RESERVED) delete copy[key];
  return copy;
}

/** Splits `rule` around the override window; the middle piece carries the replaced fields. */
function replaceWithin(rule: Rule, override: Override): Rule[] {
  const start = later(rule.effectiveFrom, override.effectiveFrom);
  const end = earlier(override.expiresAt, rule.effectiveTo);
  if (start >= end) return [rule];
  const pieces: Rule[] = [];
  if (rule.effectiveFrom < start) pieces.push({ ...rule, effectiveTo: start });
  pieces.push({
    ...rule,
    ...(withoutReserved(override.rule) as Partial<Rule>),
    id: rule.id,
    effectiveFrom: start,
    effectiveTo: end,
    override: { id: override.id, reason: override.reason },
  });
  if (rule.effectiveTo === undefined || end < rule.effectiveTo) pieces.push({ ...rule, effectiveFrom: end });
  return pieces;
}

function applyOne(rules: Rule[], override: Override): Rule[] | string {
  if (override.action === "add") {
    const from = later(String(override.rule.effectiveFrom ?? override.effectiveFrom), override.effectiveFrom);
    const added = {
      ...withoutReserved(override.rule),
      id: override.ruleId,
      effectiveFrom: from,
      effectiveTo: earlier(override.expiresAt, override.rule.effectiveTo as string | undefined),
      override: { id: override.id, reason: override.reason },
    } as Rule;
    return [...rules, added];
  }
  if (!rules.some((rule) => rule.id === override.ruleId)) {
    return `override ${override.id} replaces rule ${override.ruleId}, which the dataset does not have`;
  }
  return rules.flatMap((rule) => (rule.id === override.ruleId ? replaceWithin(rule, override) : [rule]));
}

/**
 * The dataset with `overrides` applied (in effectiveFrom order), validated like any dataset:
 * an override can never produce a dataset the engine would refuse.
 */
export function applyOverrides(dataset: Dataset, overrides: readonly Override[]): ValidateDatasetResult {
  if (overrides.length === 0) return { ok: true, dataset };
  const ordered = [...overrides].sort(
    (a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || a.id.localeCompare(b.id),
  );
  let rules = dataset.rules;
  for (const override of ordered) {
    const next = applyOne(rules, override);
    if (typeof next === "string") return { ok: false, problems: [{ pointer: "/rules", message: next }] };
    rules = next;
  }
  return validateDataset({ ...dataset, rules });
}
