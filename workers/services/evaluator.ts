/**
 * Evaluates a facility against the active datasets of the places it stands in. Shared by
 * the check routes and the tenant Durable Object (deadline and rule-change re-evaluation),
 * so a verdict means the same thing wherever it was produced.
 */
import { evaluate, type FacilityInput, resolveJurisdictions, type Verdict } from "../../compliance";
import { Problem } from "../http/problem";
import type { LoadedDataset } from "./dataset-registry";

export function notCovered(detail: string) {
  return new Problem({
    status: 422,
    code: "jurisdiction_not_covered",
    title: "Jurisdiction not covered",
    detail,
    errors: [{ pointer: "/facility/address", detail }],
  });
}

/** Throws a 422 problem when no dataset covers the facility's address. */
export function evaluateFacility(
  facility: FacilityInput,
  asOf: string,
  datasets: ReadonlyMap<string, LoadedDataset>,
): Verdict {
  const resolution = resolveJurisdictions(facility.address);
  if (!resolution.ok) throw notCovered(resolution.detail);
  const layers = [];
  for (const jurisdiction of resolution.jurisdictions) {
    const loaded = datasets.get(jurisdiction);
    if (loaded) layers.push(loaded.compiled);
  }
  if (layers.length === 0)
    throw notCovered(`No active dataset covers ${facility.address.city}, ${facility.address.state}.`);
  return evaluate(facility, layers, asOf);
}

/** The calendar date a check is evaluated at: `asOf` as written (its own offset), else today in UTC. */
export function asOfDate(asOf: string | undefined, now = new Date()): string {
  return asOf ? asOf.slice(0, 10) : now.toISOString().slice(0, 10);
}
