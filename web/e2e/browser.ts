/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), and screenshots
 * of failing steps under test-results/. playwright-core gives each launch a fresh temporary
 * profile (its own --user-data-dir, removed on close); it refuses one passed in args.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";
import { it } from "vitest";

/** Debian's Chromium by default; CHROMIUM_PATH names another system Chromium or Chrome. */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
const RESULTS = resolve(import.meta.dirname, "../../test-results");

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Collects console errors and failed page scripts: the app must produce none. */
export function watchConsole(page: Page, sink: string[], expectedNotFound: readonly string[] = []): void {
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    // An API answer of 404 the page expects (e.g. "no schedule yet") is logged by the browser
    // as a failed resource; only those paths, only 404, are let through.
    const path = URL.canParse(message.location().url) ? new URL(message.location().url).pathname : "";
    if (expectedNotFound.includes(path) && message.text().includes("404")) return;
    sink.push(message.text());
  });
  page.on("pageerror", (error) => sink.push(String(error)));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `${name.replace(/[^\w-]+/g, "_")}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
  return file;
}

/**
 * A test step that saves a screenshot of the page when it fails, its path in the error:
 * `const step = screenshotOnFailure(() => page)`, then `step("does this", async () => …)`.
 */
export function screenshotOnFailure(page: () => Page) {
  return (name: string, body: () => Promise<void>) =>
    it(name, async () => {
      try {
        await body();
      } catch (error) {
        const file = await screenshot(page(), name);
        throw new Error(`${(error as Error).message}\n(screenshot: ${file})`, { cause: error });
      }
    });
}

/** POSTs JSON as the signed-in page does (its session cookie, the CSRF token from the session). */
export function postFromPage(page: Page, path: string, body: unknown) {
  return page.evaluate(
    async ([path, body]) => {
      const session = (await (await fetch("/v1/session")).json()) as { csrfToken: string };
      const response = await fetch(path as string, {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": session.csrfToken },
        body: JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    [path, body] as const,
  );
}
