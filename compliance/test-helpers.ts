// Test-only helpers (never imported by production code): build facilities through the real
// schema, resolve + compile the bundled layers, and pick findings out of a verdict.
import * as v from "valibot";
import { bundledLayersFor } from "./datasets";
import { compileDataset } from "./engine/compile";
import { evaluate } from "./engine/evaluate";
import type { Finding, Verdict } from "./engine/types";
import { resolveJurisdictions } from "./jurisdictions/resolve";
import type { Dataset } from "./schema/dataset";
import { type FacilityInput, FacilityInputSchema } from "./schema/facility";
import { validateDataset } from "./schema/validate-dataset";

/** Loosely typed on purpose: the real schema validates it (tests also feed it invalid shapes). */
export type FacilityDraft = Record<string, unknown>;

export function facility(draft: FacilityDraft = {}): FacilityInput {
  return v.parse(FacilityInputSchema, {
    name: "Test Kitchen",
    type: "restaurant",
    address: { city: "Oakland", state: "CA" },
    ...draft,
  });
}

/** Evaluate against the bundled datasets for the facility's resolved jurisdictions. */
export function check(draft: FacilityDraft, asOf: string): Verdict {
  const f = facility(draft);
  const r = resolveJurisdictions(f.address);
  if (!r.ok) throw new Error(r.detail);
  return evaluate(f, bundledLayersFor(r.jurisdictions).map(compileDataset), asOf);
}

export function findings(verdict: Verdict, ruleId: string): Finding[] {
  return verdict.findings.filter((f) => f.ruleId === ruleId);
}

export function only(verdict: Verdict, ruleId: string, subjectId?: string): Finding {
  const list = findings(verdict, ruleId).filter(
    (f) => subjectId === undefined || f.subject?.id === subjectId,
  );
  if (list.length !== 1) throw new Error(`expected one ${ruleId} finding, got ${JSON.stringify(list)}`);
  return list[0] as Finding;
}

/** A manager holding a current food safety certificate: satisfies CA-FSC / FDA-CFPM / FDA-PIC. */
export const CERTIFIED_MANAGER = {
  id: "m-1",
  name: "Ana",
  role: "manager",
  hiredAt: "2020-01-01",
  credentials: [{ type: "food_protection_manager", issuedAt: "2024-06-01" }],
} as const;

export const SF_PERMIT = { type: "health_permit", number: "P-1", issuedAt: "2026-01-01" } as const;

/**
 * A made-up city layer with one rule stricter than any state's (a food handler card within 7
 * days, renewed yearly), to show that a state's preemption or ceiling makes Prep ignore it.
 */
export function hypotheticalCityCardLayer(jurisdiction: string, parent: string, ruleId: string): Dataset {
  const local = validateDataset({
    jurisdiction,
    name: "Hypothetical city rule",
    version: "2026.1.0",
    source: { publisher: "test", retrievedAt: "2026-01-01" },
    disclaimer: "Not legal advice.",
    parent,
    rules: [
      {
        id: ruleId,
        title: "City food handler card within 7 days",
        citation: "Hypothetical",
        severity: "major",
        verified: true,
        effectiveFrom: "2020-01-01",
        topic: "food_handler_card",
        composition: "override",
        requirement: {
          kind: "each_staff_credential",
          roles: ["food_employee"],
          graceDays: 7,
          credential: { type: "food_handler_card", validityYears: 1 },
        },
      },
    ],
  });
  if (!local.ok) throw new Error(JSON.stringify(local.problems));
  return local.dataset;
}
