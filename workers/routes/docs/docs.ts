/**
 * GET /v1/openapi.json (OpenAPI 3.1 generated from the routes' valibot schemas) and
 * GET /docs (an interactive reference rendered by Scalar).
 */
import { Scalar } from "@scalar/hono-api-reference";
import { openAPIRouteHandler } from "hono-openapi";
import type { App } from "../index";

export function registerDocs(app: App): void {
  app.get(
    "/v1/openapi.json",
    openAPIRouteHandler(app, {
      documentation: {
        openapi: "3.1.0",
        info: {
          title: "Prep API",
          version: "1.0.0",
          description:
            "Food-safety compliance checks for every kitchen: which rule fails, the citation, what to do and by when. Errors are RFC 9457 problem details. Not legal advice.",
        },
        servers: [{ url: "/" }],
        components: {
          securitySchemes: {
            apiKey: { type: "http", scheme: "bearer", description: "prep_live_… or prep_test_…" },
          },
        },
        security: [{ apiKey: [] }],
      },
      exclude: ["/docs", "/v1/openapi.json"],
    }),
  );
  app.get("/docs", Scalar({ url: "/v1/openapi.json", pageTitle: "Prep API reference" }));
}
