// Rule changes ahead in the browser: a dataset version whose new rule starts in ten days is
// refreshed and activated through the Worker's admin API; the signed-in owner then sees the
// coming change on the Overview ("Upcoming rule changes") and on its page, naming the location
// it will break. Synthetic data under Plumas County (CA), which nothing else uses.

import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Dataset } from "../../compliance";
import { configureSource, markPropagated, storeDatasetVersion } from "../../db/datasets";
import { openNodeDatabase } from "../../db/local/node-database";
import { createPlatformAdmin } from "../../db/platform-admins";
import { signUpInBrowser } from "./accounts";
import { CHROMIUM, launchBrowser, screenshot } from "./browser";
import { type AppServer, startAppServer } from "./server";

const PLUMAS = "ocd-division/country:us/state:ca/county:plumas";
const tag = `${Date.now()}`;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const EFFECTIVE = inDays(10);

function plumas(version: string, withCommissary: boolean): Dataset {
  const info = {
    id: "PLU-INFO",
    title: "Plumas notice",
    citation: "Test Code § PLU-INFO",
    severity: "minor",
    verified: true,
    effectiveFrom: "2020-01-01",
    topic: "plu_info",
    composition: "additive",
    requirement: { kind: "informational", reason: "Not in the payload.", action: "Keep records." },
  };
  const commissary = {
    ...info,
    id: "PLU-COMMISSARY",
    title: "Commissary agreement",
    citation: "Test Code § PLU-COMMISSARY",
    severity: "major",
    effectiveFrom: EFFECTIVE,
    topic: "plu_commissary",
    requirement: { kind: "permit", permitTypes: ["commissary_agreement"], validityYears: null },
  };
  return {
    jurisdiction: PLUMAS,
    name: `Synthetic Plumas ${tag}`,
    version,
    source: { publisher: `Prep e2e ${tag}`, retrievedAt: "2026-01-01" },
    disclaimer: "Not legal advice. Synthetic test data.",
    parent: "ocd-division/country:us/state:ca",
    rules: withCommissary ? [info, commissary] : [info],
  } as unknown as Dataset;
}

describe.skipIf(!existsSync(CHROMIUM))("upcoming rule changes in the app", () => {
  let server: AppServer;
  let upstream: Server;
  let browser: Browser;
  let page: Page;
  let adminKey = "";

  beforeAll(async () => {
    server = await startAppServer();
    // The dataset's upstream: serves v2 (the coming commissary rule) to the Worker's refresh.
    upstream = createServer((_request, response) => {
      response.writeHead(200, { "content-type": "application/json" });
      response.end(JSON.stringify(plumas("2026.2.0", true)));
    });
    await new Promise<void>((resolve) => upstream.listen(0, "127.0.0.1", resolve));
    const address = upstream.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const handle = await openNodeDatabase(server.ownerDatabaseUrl);
    try {
      const v1 = await storeDatasetVersion(handle.db, plumas("2026.1.0", false), {
        source: "e2e",
        approvedBy: "e2e",
        activate: true,
      });
      await configureSource(handle.db, PLUMAS, {
        sourceUrl: `http://127.0.0.1:${port}/plumas.json`,
        trusted: true,
      });
      // The tenants have heard of v1: v2's coming rule is a change to announce.
      await markPropagated(handle.db, PLUMAS, v1.versionId);
      adminKey = (await createPlatformAdmin(handle.db, `ops-${tag}@prep.test`, "e2e")).key;
    } finally {
      await handle.close();
    }
    browser = await launchBrowser();
    page = await (await browser.newContext({ baseURL: server.url })).newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => upstream?.close(resolve));
    await server?.stop();
  });

  it("shows a coming rule and the location it will break, on the Overview and its page", async () => {
    try {
      await signUpInBrowser(page, server.mailUrl, {
        company: "Quincy Eats",
        name: "Lee",
        email: `owner-${tag}@example.test`,
      });
      // A location in Quincy (Plumas County) without a commissary agreement, through the API as the browser.
      const session = (await (await page.request.get("/v1/session")).json()) as { csrfToken: string };
      const created = await page.request.post("/v1/facilities", {
        headers: { "x-csrf-token": session.csrfToken, origin: server.url },
        data: {
          name: "Quincy Kitchen",
          type: "restaurant",
          address: { line1: "1 Main St", city: "Quincy", county: "Plumas", state: "CA", postalCode: "95971" },
          openedAt: "2020-01-15",
          staff: [],
        },
      });
      expect(created.status(), await created.text()).toBe(201);

      const refreshed = await fetch(`${server.url}/v1/admin/refresh`, {
        method: "POST",
        headers: { authorization: `Bearer ${adminKey}`, "content-type": "application/json" },
        body: JSON.stringify({ jurisdictions: [PLUMAS] }),
      });
      const report = (await refreshed.json()) as {
        datasets: { outcome: string }[];
        propagation: { notices: number };
      };
      expect(report.datasets[0]?.outcome).toBe("created");
      expect(report.propagation.notices).toBe(1);

      await page.goto("/");
      const section = page.locator("section[aria-labelledby=rule-changes]");
      await section.getByText("Commissary agreement").waitFor();
      expect(await section.textContent()).toContain(EFFECTIVE);
      await section.getByRole("link", { name: "All rule changes" }).click();
      await page.getByRole("heading", { name: "Upcoming rule changes" }).waitFor();
      await page.getByRole("link", { name: "Quincy Kitchen" }).waitFor();
      expect(await page.locator("main").textContent()).toContain("Test Code § PLU-COMMISSARY");
    } catch (error) {
      const file = await screenshot(page, "rule-changes");
      throw new Error(`${(error as Error).message}\n(screenshot: ${file})`, { cause: error });
    }
  });
});
