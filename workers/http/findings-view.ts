/**
 * `?include=not_applicable` as the findings view an answer uses (durable-objects/contract.ts):
 * every route that answers a verdict reads the query the same way.
 */
import type { FindingsView } from "../../durable-objects/contract";

export const findingsView = (query: { include?: "not_applicable" | undefined }): FindingsView => ({
  includeNotApplicable: query.include === "not_applicable",
});
