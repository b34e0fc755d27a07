// The Billing page in Chromium against the Worker in local mode (no Stripe keys): a new
// company's trial banner and usage against what is included, the owner moving to Starter
// with one state at once, a check in another state refused with the add-on named, and the
// usage count after a check.
import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { signUpInBrowser } from "./accounts";
import { CHROMIUM, launchBrowser, postFromPage, screenshotOnFailure, watchConsole } from "./browser";
import { type AppServer, startAppServer } from "./server";

describe.skipIf(!existsSync(CHROMIUM))("the Billing page in a browser", () => {
  let server: AppServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  const step = screenshotOnFailure(() => page);

  const apiFromPage = (path: string, body: unknown) => postFromPage(page, path, body);

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser();
    const context = await browser.newContext({ baseURL: server.url });
    page = await context.newPage();
    watchConsole(page, consoleErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  step("shows a new company's trial, local mode and usage against what is included", async () => {
    await signUpInBrowser(page, server.mailUrl, {
      company: "Billing Tacos",
      name: "Rosa",
      email: `billing-${Date.now()}@example.test`,
    });
    await page.getByRole("link", { name: "Billing" }).click();
    await page.getByRole("heading", { name: "Billing", level: 1 }).waitFor();
    await page.getByText(/Free trial until/).waitFor();
    await page.getByTestId("local-mode").waitFor();
    expect(await page.getByTestId("usage-summary").textContent()).toBe("0 of 5,000 checks");
    expect(await page.getByTestId("estimate").textContent()).toBe("$0.00");
  });

  step("lets the owner choose Starter in California, applied at once", async () => {
    await page.getByRole("combobox", { name: "New plan" }).selectOption("starter");
    await page.getByLabel("States").fill("CA");
    await page.getByRole("button", { name: "Change plan" }).click();
    await page.getByRole("status").filter({ hasText: "Plan changed." }).waitFor();
    await page.getByText("Starter ($49.00 per month)").waitFor();
    expect(await page.getByText(/Free trial/).count()).toBe(0);
    expect(await page.getByTestId("usage-summary").textContent()).toBe("0 of 2,000 checks");
    expect(await page.getByTestId("estimate").textContent()).toBe("$49.00");
  });

  step("counts a check in the plan's state and refuses one in another, naming the add-on", async () => {
    const inCa = await apiFromPage("/v1/checks", {
      facility: { name: "Mission St", type: "restaurant", address: { city: "San Francisco", state: "CA" } },
    });
    expect(inCa.status).toBe(200);
    const inTx = await apiFromPage("/v1/checks", {
      facility: { name: "Congress Ave", type: "restaurant", address: { city: "Austin", state: "TX" } },
    });
    expect(inTx).toMatchObject({ status: 403, body: { code: "state_not_in_plan", state: "TX" } });
    await page.reload();
    await page.getByTestId("usage-summary").waitFor();
    expect(await page.getByTestId("usage-summary").textContent()).toBe("1 of 2,000 checks");
    // The refused check's 403 is the only error the browser logged.
    expect(consoleErrors.filter((text) => !text.includes("403"))).toEqual([]);
  });
});
