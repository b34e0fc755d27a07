// Renewal reminders on the Overview, in Chromium against the Worker: a San Francisco kitchen
// whose cook's food handler card expires in 40 days appears under "Renewals to start" as
// "Start by <E − 14 days> for <E>" (the datasets' lead time for a food handler card), with the
// location's link, and the location's findings say "start renewal by"; renewing the card (a
// new expiry years away) takes it off the list.
import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { signUpInBrowser } from "./accounts";
import { CHROMIUM, launchBrowser, postFromPage, screenshotOnFailure, watchConsole } from "./browser";
import { type AppServer, startAppServer } from "./server";

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const minusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

const CA = "ocd-division/country:us/state:ca";
const SF = "ocd-division/country:us/state:ca/place:san_francisco";
const EXPIRES = inDays(40);

const kitchen = (cardExpires: string) => ({
  name: "Valencia Street Kitchen",
  type: "restaurant",
  address: { line1: "900 Valencia St", city: "San Francisco", state: "CA", postalCode: "94110" },
  openedAt: "2020-01-15",
  permits: [
    { type: "health_permit", number: "SF-HP-9", issuer: SF, issuedAt: "2026-01-01", expiresAt: inDays(400) },
  ],
  staff: [
    {
      id: "mgr-1",
      name: "Ana",
      role: "manager",
      hiredAt: "2019-06-01",
      credentials: [{ type: "food_protection_manager", issuedAt: "2024-03-01", expiresAt: "2029-03-01" }],
    },
    {
      id: "cook-1",
      name: "Bo",
      role: "food_employee",
      hiredAt: "2024-01-01",
      credentials: [
        { type: "food_handler_card", issuer: CA, issuedAt: "2024-01-10", expiresAt: cardExpires },
      ],
    },
  ],
});

describe.skipIf(!existsSync(CHROMIUM))("renewal reminders on the Overview", () => {
  let server: AppServer;
  let browser: Browser;
  let page: Page;
  let facilityId = "";
  const consoleErrors: string[] = [];
  const step = screenshotOnFailure(() => page);
  const section = () => page.locator("section[aria-labelledby=renewals]");

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser();
    page = await (await browser.newContext({ baseURL: server.url })).newPage();
    watchConsole(page, consoleErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  step("lists a card to renew: start by D for E, with its location", async () => {
    await signUpInBrowser(page, server.mailUrl, {
      company: "Renewal Tacos",
      name: "Rosa",
      email: `renewals-${Date.now()}@example.test`,
    });
    const created = await postFromPage(page, "/v1/facilities", kitchen(EXPIRES));
    expect(created.status).toBe(201);
    facilityId = created.body.id as string;
    await page.goto("/");
    await section().getByRole("heading", { name: "Renewals to start" }).waitFor();
    const item = section().locator("li").filter({ hasText: "cook-1" });
    await item.waitFor();
    expect(await item.locator("time").nth(0).getAttribute("datetime")).toBe(minusDays(EXPIRES, 14));
    expect(await item.locator("time").nth(1).getAttribute("datetime")).toBe(EXPIRES);
    expect(await item.textContent()).toMatch(/^Start by .+ for .+: .*food handler/i);
    await item.getByRole("link", { name: "Valencia Street Kitchen" }).click();
    await page.waitForURL(`**/locations/${facilityId}`);
    // The location's findings (passes folded away) say when to start, beside the citation.
    const finding = page
      .locator("li.finding")
      .filter({ hasText: "cook-1" })
      .filter({ hasText: "start renewal by" });
    await finding.waitFor({ state: "attached" });
    expect(await finding.locator("time").last().getAttribute("datetime")).toBe(minusDays(EXPIRES, 14));
    expect(consoleErrors).toEqual([]);
  });

  step("drops it once the card is renewed", async () => {
    const renewed = await page.evaluate(
      async ([id, body]) => {
        const session = (await (await fetch("/v1/session")).json()) as { csrfToken: string };
        const response = await fetch(`/v1/facilities/${id}`, {
          method: "PATCH",
          headers: { "content-type": "application/json", "x-csrf-token": session.csrfToken },
          body: JSON.stringify(body),
        });
        return response.status;
      },
      [facilityId, { staff: kitchen(inDays(1000)).staff }] as const,
    );
    expect(renewed).toBe(200);
    await page.goto("/");
    await section()
      .getByText(/No renewal needs starting/)
      .waitFor();
    expect(await section().locator("li").count()).toBe(0);
    expect(consoleErrors).toEqual([]);
  });
});
