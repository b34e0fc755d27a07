// Security headers on everything the browser gets, proven against the real thing: the static
// app (index.html, its assets and the single-page-app fallback, served by Workers assets
// with web/public/_headers under `wrangler dev`), /docs served from this deployment only,
// and both pages working in Chromium under their Content-Security-Policy with no violation.
import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUpInBrowser } from "./accounts";
import { CHROMIUM, launchBrowser, watchConsole } from "./browser";
import { type AppServer, startAppServer } from "./server";

const STATIC_HEADERS = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'",
  "strict-transport-security": "max-age=63072000; includeSubDomains; preload",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "permissions-policy":
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

/** The `src` and `href` of every script and link in an HTML page. */
function references(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)\b[^>]*?\s(?:src|href)="([^"]*)"/g)].map((m) => m[1] ?? "");
}

/** Records CSP violations (reported to the page, and logged by Chromium as console errors) and requests leaving the origin. */
async function watchPage(page: Page, origin: string) {
  const violations: string[] = [];
  const consoleErrors: string[] = [];
  const foreign: string[] = [];
  watchConsole(page, consoleErrors);
  await page.exposeFunction("__cspViolation", (text: string) => violations.push(text));
  await page.addInitScript(
    `document.addEventListener("securitypolicyviolation", (e) => window.__cspViolation(e.violatedDirective + " " + e.blockedURI + " " + e.sourceFile + ":" + e.lineNumber + ":" + e.columnNumber));`,
  );
  page.on("request", (request) => {
    const url = new URL(request.url());
    if (url.protocol !== "data:" && url.protocol !== "blob:" && url.host !== new URL(origin).host)
      foreign.push(request.url());
  });
  return { violations, consoleErrors, foreign };
}

describe.skipIf(!existsSync(CHROMIUM))("security headers on the static app and /docs", () => {
  let server: AppServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  it("puts them on index.html, a deep link (the SPA fallback) and every built asset", async () => {
    const index = await fetch(`${server.url}/`);
    const html = await index.text();
    const assets = references(html).filter((ref) => ref.startsWith("/assets/"));
    expect(assets.length).toBeGreaterThanOrEqual(2); // the app's script and stylesheet
    for (const path of ["/", "/locations", "/locations/not-a-real-id", "/index.html", ...assets]) {
      const response = await fetch(`${server.url}${path}`, { redirect: "manual" });
      expect(response.status, path).toBeLessThan(400);
      for (const [name, value] of Object.entries(STATIC_HEADERS))
        expect(response.headers.get(name), `${path} ${name}`).toBe(value);
    }
    // Vite emits no inline script the CSP would have to allow.
    expect(html).not.toMatch(/<script(?![^>]*\ssrc=)[^>]*>/);
  });

  it("serves /docs from this deployment: no third-party script or stylesheet, the UI script from the assets", async () => {
    const docs = await fetch(`${server.url}/docs`);
    expect(docs.status).toBe(200);
    const csp = docs.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toMatch(/https?:|\*/);
    const html = await docs.text();
    const refs = references(html);
    expect(refs).toContain("/vendor/scalar-api-reference.js");
    for (const ref of refs) expect(new URL(ref, server.url).host, ref).toBe(new URL(server.url).host);
    const script = await fetch(`${server.url}/vendor/scalar-api-reference.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect(script.headers.get("x-content-type-options")).toBe("nosniff");
  });

  it("runs the app under its CSP without a violation, the alert stream's WebSocket included", async () => {
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    const seen = await watchPage(page, server.url);
    await signUpInBrowser(page, server.mailUrl, {
      company: "Header Foods",
      name: "Hana",
      email: `headers-${Date.now()}@example.test`,
    });
    await page.goto("/alerts");
    // "Live" means the WebSocket to /v1/alerts/stream opened: connect-src 'self' allows ws(s) to this origin.
    await page.getByText("Live", { exact: true }).waitFor();
    expect(seen).toEqual({ violations: [], consoleErrors: [], foreign: [] });
    await context.close();
  });

  it("renders /docs under its CSP without a violation or a request to another origin", async () => {
    const context = await browser.newContext({ baseURL: server.url });
    const page = await context.newPage();
    const seen = await watchPage(page, server.url);
    await page.goto("/docs");
    await page.getByRole("heading", { name: "Prep API", exact: true }).waitFor();
    await page.getByText("Describe the calling API key").first().waitFor();
    // Let late work (lazy chunks, injected styles, the spec's follow-up fetches) happen too.
    await page.waitForTimeout(2_000);
    // Chromium's own console notes aside (Scalar prints its version with console.info).
    expect(seen).toEqual({ violations: [], consoleErrors: [], foreign: [] });
    await context.close();
  });
});
