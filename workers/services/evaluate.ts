/**
 * The Worker's side of evaluation: the shared facade's "not covered" becomes the 422
 * problem an API client can act on, pointing at the address it sent.
 */
import type { FacilityInput, Verdict } from "../../compliance";
import type { LoadedDataset } from "../../runtime/dataset-registry";
import { evaluateFacility } from "../../runtime/evaluation";
import { Problem } from "../http/problem";

export function notCovered(detail: string): Problem {
  return new Problem({
    status: 422,
    code: "jurisdiction_not_covered",
    title: "Jurisdiction not covered",
    detail,
    errors: [{ pointer: "/facility/address", detail }],
  });
}

/** The verdict, or a 422 problem when no dataset covers the facility's address. */
export function verdictFor(
  facility: FacilityInput,
  asOf: string,
  datasets: ReadonlyMap<string, LoadedDataset>,
): Verdict {
  const evaluation = evaluateFacility(facility, asOf, datasets);
  if (!evaluation.covered) throw notCovered(evaluation.why);
  return evaluation.verdict;
}
