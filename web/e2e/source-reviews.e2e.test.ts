// Source reviews in the browser, for a platform admin: the watchers (run here in Node against
// the loopback official sources, test/regulator-server.ts, on the app's database) find a changed
// agency page; the admin opens /platform/reviews, gives their admin key, sees the review with its
// diff, the source and the rules citing it, and resolves it as "no change needed" — the item
// leaves the open list and the platform audit log names the admin.
import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import type { Dataset } from "../../compliance";
import { recordRefreshSuccess, storeDatasetVersion } from "../../db/datasets";
import { openNodeDatabase } from "../../db/local/node-database";
import { createPlatformAdmin } from "../../db/platform-admins";
import { DEFAULT_FETCH_TIMEOUT_MS, type JobContext } from "../../pipeline/context";
import { watchSources } from "../../pipeline/watchers";
import { type RegulatorServer, startRegulatorServer } from "../../test/regulator-server";
import { CHROMIUM, launchBrowser, screenshotOnFailure, watchConsole } from "./browser";
import { type AppServer, startAppServer } from "./server";

const tag = `${Date.now()}`;
const JURISDICTION = `ocd-division/country:us/state:zz/place:e2e_reviews_${tag}`;
const PAGE_URL = `https://health.example.gov/food-handlers-${tag}.html`;

const synthetic = {
  jurisdiction: JURISDICTION,
  name: `Synthetic reviews ${tag}`,
  version: "2026.1.0",
  source: { publisher: `Prep e2e ${tag}`, retrievedAt: "2026-01-01" },
  disclaimer: "Not legal advice. Synthetic test data.",
  rules: [
    {
      id: "ZZ-FHC",
      title: "Food handler cards",
      citation: "Test Code § ZZ-FHC",
      severity: "major",
      verified: true,
      effectiveFrom: "2020-01-01",
      topic: "zz_fhc",
      composition: "additive",
      requirement: { kind: "informational", reason: "Not in the payload.", action: "Keep records." },
    },
  ],
} as unknown as Dataset;

describe.skipIf(!existsSync(CHROMIUM))("source reviews in the app, for a platform admin", () => {
  let server: AppServer;
  let regulators: RegulatorServer;
  let browser: Browser;
  let page: Page;
  let adminKey = "";
  let adminId = "";
  let reviewId = "";
  const consoleErrors: string[] = [];
  const step = screenshotOnFailure(() => page);

  /** The watchers as the hourly job runs them, `hours` from now, on the app's database. */
  async function watch(databaseUrl: string, hours: number) {
    const handle = await openNodeDatabase(databaseUrl);
    try {
      const ctx: JobContext = {
        db: handle.db,
        fetch: (input, init) => fetch(input, init),
        now: () => new Date(Date.now() + hours * 3_600_000),
        log: () => {},
        fetchTimeoutMs: DEFAULT_FETCH_TIMEOUT_MS,
        invalidateDatasets: () => {},
        environment: "e2e",
      };
      const source = {
        id: `e2e-page-${tag}`,
        kind: "html" as const,
        title: `Food handler cards (agency page ${tag})`,
        url: PAGE_URL,
        datasets: [JURISDICTION],
        rules: ["ZZ-FHC"],
      };
      return await watchSources(ctx, {
        sources: [source],
        config: { mode: "mirror", origin: regulators.url },
      });
    } finally {
      await handle.close();
    }
  }

  async function regulate(html: string) {
    const u = new URL(PAGE_URL);
    const response = await fetch(`${regulators.url}/control`, {
      method: "PUT",
      body: JSON.stringify({ path: `/${u.host}${u.pathname}`, html }),
    });
    expect(response.status).toBe(204);
  }

  beforeAll(async () => {
    server = await startAppServer();
    regulators = await startRegulatorServer();
    const handle = await openNodeDatabase(server.ownerDatabaseUrl);
    try {
      await storeDatasetVersion(handle.db, synthetic, { source: "e2e", approvedBy: "e2e", activate: true });
      await recordRefreshSuccess(handle.db, JURISDICTION, null);
      const admin = await createPlatformAdmin(handle.db, `ops-reviews-${tag}@prep.test`, "e2e");
      adminKey = admin.key;
      adminId = admin.adminId;
    } finally {
      await handle.close();
    }
    await regulate("<h1>Food handler cards</h1><p>Within 30 days of hire.</p>");
    expect((await watch(server.ownerDatabaseUrl, 0)).checked[0]?.outcome).toBe("baseline");
    await regulate("<h1>Food handler cards</h1><p>Within 14 days of hire.</p>");
    const changed = (await watch(server.ownerDatabaseUrl, 13)).checked[0];
    expect(changed?.outcome).toBe("changed");
    reviewId = changed?.reviewId ?? "";
    browser = await launchBrowser();
    page = await (await browser.newContext({ baseURL: server.url })).newPage();
    watchConsole(page, consoleErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await regulators?.close();
    await server?.stop();
  });

  step("asks for the platform admin key, and refuses a wrong one", async () => {
    await page.goto("/platform/reviews");
    await page.getByRole("heading", { name: "Source reviews" }).waitFor();
    await page.getByLabel("Platform admin key").fill("prep_admin_not_a_real_key");
    await page.getByRole("button", { name: "Show open reviews" }).click();
    await page.getByText("not valid or has been revoked").waitFor();
  });

  step("shows the open review with its diff, source and the rules citing it", async () => {
    await page.getByLabel("Platform admin key").fill(adminKey);
    await page.getByRole("button", { name: "Show open reviews" }).click();
    const review = page.locator("section.review", { hasText: `agency page ${tag}` });
    await review.waitFor();
    // Each changed line says what it is to a screen reader too ("Removed: ", "Added: ").
    expect(await review.locator(".diff-del").allTextContents()).toContain(
      "Removed: -Within 30 days of hire.\n",
    );
    expect(await review.locator(".diff-add").allTextContents()).toContain(
      "Added: +Within 14 days of hire.\n",
    );
    const text = (await review.textContent()) ?? "";
    expect(text).toContain(JURISDICTION);
    expect(text).toContain("ZZ-FHC");
    expect(await review.getByRole("link", { name: "the official text" }).getAttribute("href")).toBe(PAGE_URL);
  });

  step("resolves it as no change needed: it leaves the list and the audit log names the admin", async () => {
    const form = page.getByRole("form", {
      name: `Resolve the review of Food handler cards (agency page ${tag})`,
    });
    await form.getByLabel("Outcome").selectOption("no_change_needed");
    await form.getByLabel("Note").fill("Grace period wording only; our dataset already says 14 days.");
    await form.getByRole("button", { name: "Resolve" }).click();
    await page.getByRole("status").getByText("Resolved 1 review.").waitFor();
    expect(await page.locator("section.review", { hasText: `agency page ${tag}` }).count()).toBe(0);

    const api = (path: string) =>
      fetch(`${server.url}${path}`, { headers: { authorization: `Bearer ${adminKey}` } });
    const resolved = (await (await api("/v1/admin/reviews?status=resolved&limit=100")).json()) as {
      data: { id: string; resolution: string; resolvedBy: string }[];
    };
    expect(resolved.data.find((r) => r.id === reviewId)).toMatchObject({
      resolution: "no_change_needed",
      resolvedBy: adminId,
    });
    const audit = (await (await api("/v1/admin/audit-log?limit=20")).json()) as {
      data: { action: string; target: string | null; actor: string }[];
    };
    expect(audit.data).toContainEqual(
      expect.objectContaining({ action: "source_review.resolved", target: reviewId, actor: adminId }),
    );
    expect(consoleErrors.filter((e) => !e.includes("401"))).toEqual([]);
  });
});
