/**
 * GET /v1/openapi.json (OpenAPI 3.1 generated from the routes' valibot schemas) and
 * GET /docs (an interactive reference rendered by Scalar).
 */
import { Scalar } from "@scalar/hono-api-reference";
import { openAPIRouteHandler } from "hono-openapi";
import type { PartnerScope } from "../../../db/partners";
import type { AppEnv } from "../../context";
import type { App } from "../index";

/** What each partner scope allows (ADR 0023); the OAuth scheme lists them. */
const PARTNER_SCOPE_DESCRIPTIONS: Record<PartnerScope, string> = {
  "tenants:write": "Onboard food businesses (create a tenant, invite its owner)",
  "tenants:read": "List linked businesses and their locations' statuses (and the grant must hold it)",
  "facilities:write": "Create a location at the marketplace's kitchen (and the grant must hold it)",
  "checks:write": "Run checks and read findings, metered to the business (and the grant must hold it)",
  "webhooks:write": "Register endpoints for linked businesses' status changes",
};

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
            // Partners (ADR 0023): access tokens from POST /oauth/token, and the client's own credentials there.
            partnerOAuth: {
              type: "oauth2",
              description:
                "Partner access tokens (EdDSA JWTs, 10 minutes, keys at /.well-known/jwks.json). Client credentials for the partner's own calls; the authorization code flow with PKCE (S256) links an existing business with its owner's consent.",
              flows: {
                clientCredentials: { tokenUrl: "/oauth/token", scopes: PARTNER_SCOPE_DESCRIPTIONS },
                authorizationCode: {
                  authorizationUrl: "/oauth/authorize",
                  tokenUrl: "/oauth/token",
                  scopes: PARTNER_SCOPE_DESCRIPTIONS,
                },
              },
            },
            partnerClientBasic: {
              type: "http",
              scheme: "basic",
              description: "A partner's client_id and client_secret (or both in the form body).",
            },
          },
        },
        security: [{ apiKey: [] }],
      },
      exclude: ["/docs", "/v1/openapi.json"],
    }),
  );
  const reference = Scalar<AppEnv>({
    url: "/v1/openapi.json",
    pageTitle: "Prep API reference",
    cdn: SCALAR_SCRIPT,
    // Scalar's defaults fetch fonts from fonts.scalar.com; the system fonts will do.
    withDefaultFonts: false,
    telemetry: false,
    showDeveloperTools: "never",
    // The AI agent talks to Scalar's servers (and the CSP would refuse it): off. An option of the
    // pinned UI newer than the Hono integration's types, hence the spread.
    ...{ agent: { disabled: true } },
  });
  app.get("/docs", async (c, next) => {
    const page = await reference(c, next);
    const nonce = newNonce();
    c.header("content-security-policy", docsCsp(nonce));
    return c.html(withNonce(await (page as Response).text(), nonce));
  });
}

/**
 * The reference UI's script, served by this deployment (web/vite.config.ts copies the pinned
 * @scalar/api-reference's standalone build into the static assets), never a CDN: a page on
 * the session cookie's origin runs only code we ship.
 */
export const SCALAR_SCRIPT = "/vendor/scalar-api-reference.js";

/**
 * Two `<style>` elements the reference UI adds without the nonce: its toasts' styles
 * (vue-sonner) and its default theme. Their text is fixed for a given @scalar/api-reference
 * version and configuration; after upgrading it, web/e2e/security-headers.e2e.test.ts fails
 * on a CSP violation that names the new hash to put here.
 */
const SCALAR_STYLE_HASHES = [
  "'sha256-l/2OpPg0d+2VLTLgwjf5mQo2CYwHDEqdj5TjbfEyVJI='",
  "'sha256-T13Uev3xCax2N28XaoAE8DOzQZKvPp7ZQVAi1iRREjo='",
];

/**
 * /docs loads scripts and styles from this origin only, plus the page's own inline bits
 * (Scalar's start-up script and theme, and the styles its script injects, which read the
 * nonce from `<meta property="csp-nonce">`) by a per-response nonce.
 */
export function docsCsp(nonce: string): string {
  return [
    "default-src 'none'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}' ${SCALAR_STYLE_HASHES.join(" ")}`,
    // The UI sets style attributes as it renders; attributes cannot carry a nonce.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join("; ");
}

function newNonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Marks Scalar's inline `<script>` and `<style>` elements with the nonce, publishes it for the
 * styles its script adds, and, first thing, tells the UI's bundled Zod to validate without
 * compiling code (`jitless`): otherwise it probes `Function("")`, which the CSP refuses.
 */
function withNonce(html: string, nonce: string): string {
  const head = [
    `<meta property="csp-nonce" content="${nonce}" />`,
    "<script>globalThis.__zod_globalConfig = { jitless: true };</script>",
  ].join("\n    ");
  return html.replace("<head>", `<head>\n    ${head}`).replace(/<(script|style)\b/g, `<$1 nonce="${nonce}"`);
}
