/**
 * GET /v1/jurisdictions/{ocdId}/rules — the active dataset's rules of one jurisdiction, with
 * their citations and the dataset's disclaimer. OCD ids contain slashes: accepted raw or
 * percent-encoded. Any valid API key may read them; nothing here is tenant data.
 */
import { describeRoute } from "hono-openapi";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate } from "../../middleware/auth";
import type { App } from "../index";
import { OcdParams, RulesSchema } from "./schemas";

export function registerJurisdictionRules(app: App): void {
  app.get(
    "/v1/jurisdictions/:ocdId{.+}/rules",
    describeRoute({
      tags: ["Jurisdictions"],
      summary: "List a jurisdiction's rules",
      responses: {
        200: jsonResponse("The active dataset's rules", RulesSchema),
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
