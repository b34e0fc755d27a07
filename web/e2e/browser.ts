/**
 * Debian's Chromium driven by playwright-core (never a downloaded browser), and screenshots
 * of failing steps under test-results/. playwright-core gives each launch a fresh temporary
 * profile (its own --user-data-dir, removed on close); it refuses one passed in args.
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

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
export function watchConsole(page: Page, sink: string[]): void {
  page.on("console", (message) => {
    if (message.type() === "error") sink.push(message.text());
  });
  page.on("pageerror", (error) => sink.push(String(error)));
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `${name.replace(/[^\w-]+/g, "_")}.png`);
  await page.screenshot({ path: file, fullPage: true }).catch(() => undefined);
  return file;
}
