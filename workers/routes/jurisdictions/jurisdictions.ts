/**
 * GET /v1/jurisdictions — what Prep covers: every active dataset with its version, freshness
 * and level, and per covered state the counties and cities with their own datasets (every
 * other place in the state has state-level coverage only, e.g. Dallas, TX). GET /v1/jurisdictions/{ocdId}/rules — that dataset's rules with citations.
 * Any valid API key may read them; nothing here is tenant data.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { coverageByState, levelOf } from "../../../compliance/index";
import { isFresh } from "../../../pipeline/freshness";
import type { LoadedDataset } from "../../../runtime/dataset-registry";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate } from "../../middleware/auth";
import type { App } from "../index";

const LevelSchema = v.picklist(["federal", "state", "county", "city"]);

const JurisdictionSchema = v.object({
  jurisdiction: v.string(),
  name: v.string(),
  level: LevelSchema,
  version: v.string(),
  rules: v.number(),
  unverifiedRules: v.number(),
  lastRefreshedAt: v.nullable(v.string()),
  fresh: v.boolean(),
});

const StateCoverageSchema = v.object({
  jurisdiction: v.string(),
  name: v.string(),
  local: v.array(v.object({ jurisdiction: v.string(), name: v.string(), level: LevelSchema })),
  elsewhere: v.literal("state"),
});

const OcdParams = v.object({
  ocdId: v.pipe(
    v.string(),
    v.regex(/^ocd-division\/country:[a-z]{2}(\/[a-z_]+:[a-z0-9_~.-]+)*$/, "must be an OCD division id"),
  ),
});

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

export function registerJurisdictions(app: App): void {
  app.get(
    "/v1/jurisdictions",
    describeRoute({
      tags: ["Jurisdictions"],
      summary: "List covered jurisdictions",
      responses: {
        200: jsonResponse(
          "Coverage",
          v.object({ data: v.array(JurisdictionSchema), coverage: v.array(StateCoverageSchema) }),
        ),
        ...problemResponses(401),
      },
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

  // OCD ids contain slashes: accept them raw or percent-encoded.
  app.get(
    "/v1/jurisdictions/:ocdId{.+}/rules",
    describeRoute({
      tags: ["Jurisdictions"],
      summary: "List a jurisdiction's rules",
      responses: {
        200: jsonResponse(
          "The active dataset's rules",
          v.object({
            jurisdiction: v.string(),
            version: v.string(),
            disclaimer: v.string(),
            rules: v.array(v.unknown()),
          }),
        ),
        ...problemResponses(401, 404, 422),
      },
    }),
    authenticate,
    validate("param", OcdParams),
    async (c) => {
      const { ocdId } = c.req.valid("param");
      const services = c.get("services");
      const datasets = await services.datasets.current(services.db, services.background);
      const loaded = datasets.get(decodeURIComponent(ocdId));
      if (!loaded) throw notFound(`Jurisdiction ${ocdId}`);
      return c.json({
        jurisdiction: loaded.jurisdiction,
        version: loaded.dataset.version,
        disclaimer: loaded.dataset.disclaimer,
        rules: loaded.dataset.rules,
      });
    },
  );
}
