/**
 * GET /v1/jurisdictions — what Prep covers: every active dataset with its version, freshness
 * and level, and per covered state the counties and cities with their own datasets (every
 * other place in the state has state-level coverage only, e.g. Dallas, TX). Any valid API
 * key may read it; nothing here is tenant data.
 */
import { describeRoute } from "hono-openapi";
import { coverageByState, levelOf } from "../../../compliance/index";
import { isFresh } from "../../../pipeline/freshness";
import type { LoadedDataset } from "../../../runtime/dataset-registry";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { authenticate } from "../../middleware/auth";
import type { App } from "../index";
import { CoverageSchema } from "./schemas";

function summary(loaded: LoadedDataset) {
  return {
    jurisdiction: loaded.jurisdiction,
    name: loaded.dataset.name,
    level: levelOf(loaded.jurisdiction),
    version: loaded.dataset.version,
    rules: loaded.dataset.rules.length,
    unverifiedRules: loaded.dataset.rules.filter((rule) => !rule.verified).length,
    lastRefreshedAt: loaded.lastRefreshedAt,
    fresh: isFresh(loaded.lastRefreshedAt, new Date()),
  };
}

export function registerListJurisdictions(app: App): void {
  app.get(
    "/v1/jurisdictions",
    describeRoute({
      tags: ["Jurisdictions"],
      summary: "List covered jurisdictions",
      responses: { 200: jsonResponse("Coverage", CoverageSchema), ...problemResponses(401) },
    }),
    authenticate,
    async (c) => {
      const services = c.get("services");
      const datasets = await services.datasets.current(services.db, services.background);
      const data = [...datasets.values()]
        .map(summary)
        .sort((a, b) => a.jurisdiction.localeCompare(b.jurisdiction));
      const refs = [...datasets.values()].map((d) => ({
        jurisdiction: d.jurisdiction,
        name: d.dataset.shortName ?? d.dataset.name,
      }));
      const coverage = coverageByState(refs).map((state) => ({ ...state, elsewhere: "state" as const }));
      return c.json({ data, coverage });
    },
  );
}
