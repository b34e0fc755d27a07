// The Evidence page in Chromium against the Worker under `wrangler dev`: an owner creates an
// export of a location, watches it become ready (the tenant object's alarm builds it into
// Miniflare's R2), downloads its files, checks them with `npx prep evidence verify` (the CLI's
// own code, in Node: exit 0, then exit 1 naming the file after one byte changes), shares it
// with an auditor whose visit is then listed, and revokes the link (410); and sets a monthly
// schedule of one location, sees it after a reload, and turns it off.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, vi } from "vitest";
import { main } from "../../cli/main";
import { signUpInBrowser } from "./accounts";
import { CHROMIUM, launchBrowser, postFromPage, screenshotOnFailure, watchConsole } from "./browser";
import { type AppServer, startAppServer } from "./server";

describe.skipIf(!existsSync(CHROMIUM))("the Evidence page in a browser", () => {
  let server: AppServer;
  let browser: Browser;
  let page: Page;
  let folder: string;
  let shareUrl: string;
  const consoleErrors: string[] = [];

  const step = screenshotOnFailure(() => page);

  const apiFromPage = (path: string, body: unknown) => postFromPage(page, path, body);

  /** Runs the CLI in this process; returns its exit code and what it wrote. */
  async function verify(path: string) {
    const out: string[] = [];
    const stdout = vi.spyOn(process.stdout, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    try {
      return { code: await main(["evidence", "verify", path]), output: out.join("") };
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
    }
  }

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser();
    const context = await browser.newContext({ baseURL: server.url, acceptDownloads: true });
    page = await context.newPage();
    // No export schedule is a 404 from GET /v1/exports/schedule, which the page shows as "off".
    watchConsole(page, consoleErrors, ["/v1/exports/schedule"]);
    folder = mkdtempSync(join(tmpdir(), "prep-evidence-"));
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  step("creates an export of a location and shows it ready", async () => {
    await signUpInBrowser(page, server.mailUrl, {
      company: "Évidence Tacos",
      name: "Rosa",
      email: `evidence-${Date.now()}@example.test`,
    });
    const facility = await apiFromPage("/v1/facilities", {
      name: "Mission St – Ünïcode",
      type: "restaurant",
      address: { line1: "2000 Mission St", city: "San Francisco", state: "CA", postalCode: "94110" },
      staff: [{ id: "s-1", name: "Maria", role: "food_employee", hiredAt: "2026-01-05" }],
    });
    expect(facility.status).toBe(201);
    expect((await apiFromPage(`/v1/facilities/${facility.body.id}/checks`, {})).status).toBe(200);

    await page.getByRole("link", { name: "Evidence" }).click();
    await page.getByRole("heading", { name: "Evidence", level: 1 }).waitFor();
    await page.getByLabel("Mission St – Ünïcode", { exact: true }).check();
    await page.getByRole("button", { name: "Create export" }).click();
    await page.getByTestId("export-status").filter({ hasText: "Ready" }).waitFor({ timeout: 45_000 });
  });

  step(
    "schedules monthly exports of one location, shows it after a reload, then turns them off",
    async () => {
      const form = page.getByRole("form", { name: "Scheduled exports" });
      await form.getByText("Off: exports are made only when asked for.").waitFor();
      await form.getByLabel("Cadence").selectOption("monthly");
      await form.getByLabel("Schedule Mission St – Ünïcode").check();
      await form.getByRole("button", { name: "Save schedule" }).click();
      await form.getByRole("status").filter({ hasText: "Saved: an export every month." }).waitFor();
      const saved = await page.evaluate(async () => (await fetch("/v1/exports/schedule")).json());
      expect(saved).toMatchObject({ cadence: "monthly", facilityIds: [expect.stringMatching(/^fac_/)] });

      await page.reload();
      const reloaded = page.getByRole("form", { name: "Scheduled exports" });
      await reloaded.getByText(/An export of each closed month/).waitFor();
      expect(await reloaded.getByLabel("Cadence").inputValue()).toBe("monthly");
      expect(await reloaded.getByLabel("Schedule Mission St – Ünïcode").isChecked()).toBe(true);

      await reloaded.getByLabel("Cadence").selectOption("off");
      await reloaded.getByRole("button", { name: "Save schedule" }).click();
      await reloaded.getByText("Off: exports are made only when asked for.").waitFor();
      expect(await page.evaluate(async () => (await fetch("/v1/exports/schedule")).status)).toBe(404);
    },
  );

  step("downloads the files, which verify offline and fail after one byte changes", async () => {
    const download = page.waitForEvent("download");
    await page.getByRole("link", { name: "report.pdf" }).click();
    const pdf = await (await download).path();
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe("%PDF-");

    const links = await page
      .getByTestId("export")
      .first()
      .locator("ul.files a")
      .evaluateAll((anchors) =>
        anchors.map((a) => ({ name: a.textContent ?? "", href: (a as unknown as { href: string }).href })),
      );
    expect(links.map((link) => link.name)).toContain("manifest.jws");
    for (const link of links) {
      const bytes = await page.evaluate(
        async (href) => [...new Uint8Array(await (await fetch(href)).arrayBuffer())],
        link.href,
      );
      mkdirSync(dirname(join(folder, link.name)), { recursive: true });
      writeFileSync(join(folder, link.name), Uint8Array.from(bytes));
    }
    const ok = await verify(folder);
    expect(ok.output).toContain('"ok": true');
    expect(ok.code).toBe(0);

    // The whole export as one zip verifies as it is.
    const zipDownload = page.waitForEvent("download");
    await page.getByRole("link", { name: "Download everything (zip)" }).click();
    const zip = await zipDownload;
    expect(zip.suggestedFilename()).toMatch(/^exp_.+\.zip$/);
    const zipped = await verify((await zip.path()) as string);
    expect(zipped.output).toContain('"ok": true');
    expect(zipped.code).toBe(0);

    const location = links.find((link) => link.name.startsWith("locations/"))?.name as string;
    const bytes = readFileSync(join(folder, location));
    bytes[5] = (bytes[5] as number) ^ 1;
    writeFileSync(join(folder, location), bytes);
    const failed = await verify(folder);
    expect(failed.code).toBe(1);
    expect(failed.output).toContain(`FAIL ${location}`);
  });

  step("shares the export; the auditor's visit is listed; a revoked link answers 410", async () => {
    await page.getByLabel("Auditor's email (optional)").fill("auditor@example.test");
    await page.getByRole("button", { name: "Create link" }).click();
    shareUrl = (await page.getByTestId("share-url").textContent()) ?? "";
    expect(shareUrl).toMatch(/\/share\/[A-Za-z0-9_-]{43}$/);

    const auditor = await browser.newPage();
    const visit = await auditor.goto(shareUrl);
    expect(visit?.status()).toBe(200);
    await auditor.getByRole("link", { name: "manifest.json" }).waitFor();

    await page.reload();
    await page.getByTestId("access").first().waitFor();
    expect(await page.getByTestId("share-state").first().textContent()).toMatch(/^Active until/);

    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Revoke" }).click();
    await page.getByTestId("share-state").filter({ hasText: "Revoked" }).waitFor();
    const gone = await auditor.goto(shareUrl);
    expect(gone?.status()).toBe(410);
    await auditor.getByText("no longer available").waitFor();
    await auditor.close();
    expect(consoleErrors).toEqual([]);
  });
});
