/**
 * Evaluates a facility against the active datasets of the places it stands in. Shared by
 * the check routes and the tenant Durable Object (deadline and rule-change re-evaluation),
 * so a verdict means the same thing wherever it was produced.
 *
 * It answers with a result rather than throwing: "no dataset covers this place" is an
 * ordinary outcome that each caller words for itself (the Worker as a 422 problem, the
 * object by no longer scheduling the facility).
 */
import { evaluate, type FacilityInput, resolveJurisdictions, type Verdict } from "../compliance";
import type { LoadedDataset } from "./dataset-registry";

export type Evaluation = { covered: true; verdict: Verdict } | { covered: false; why: string };

export function evaluateFacility(
  facility: FacilityInput,
  asOf: string,
  datasets: ReadonlyMap<string, LoadedDataset>,
): Evaluation {
  const resolution = resolveJurisdictions(facility.address);
  if (!resolution.ok) return { covered: false, why: resolution.detail };
  const layers = [];
  for (const jurisdiction of resolution.jurisdictions) {
    const loaded = datasets.get(jurisdiction);
    if (loaded) layers.push(loaded.compiled);
  }
  if (layers.length === 0) {
    return {
      covered: false,
      why: `No active dataset covers ${facility.address.city}, ${facility.address.state}.`,
    };
  }
  return { covered: true, verdict: evaluate(facility, layers, asOf) };
}

/** The calendar date a check is evaluated at: `asOf` as written (its own offset), else today in UTC. */
export function asOfDate(asOf: string | undefined, now = new Date()): string {
  return asOf ? asOf.slice(0, 10) : now.toISOString().slice(0, 10);
}
