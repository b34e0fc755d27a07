// The admin app end to end in Chromium against the Worker: sign up, add a location, run a
// check and see a failing finding with its citation, add the missing credential and see it
// pass, watch the drift alert arrive live, create and revoke an API key, a viewer who can
// change nothing, and a password change. Emails (sign-up, invite) are read from the catcher.
import { existsSync } from "node:fs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { linkUrl as mailLink, waitForMail } from "../../test/mail";
import { PASSWORD, signUpInBrowser } from "./accounts";
import { CHROMIUM, launchBrowser, screenshotOnFailure, watchConsole } from "./browser";
import { type AppServer, startAppServer } from "./server";

const email = (label: string) => `${label}-${Date.now()}@example.test`;
const FOOD_HANDLER_CITATION = "Cal. Health & Safety Code § 113948";

/** The local calendar date `days` from today, as YYYY-MM-DD (the browser shares this clock). */
function localDate(days: number): string {
  const date = new Date();
  date.setDate(date.getDate() + days);
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, "0")}-${String(date.getDate()).padStart(2, "0")}`;
}

describe.skipIf(!existsSync(CHROMIUM))("the admin app in a browser", () => {
  let server: AppServer;
  let browser: Browser;
  let owner: BrowserContext;
  let page: Page;
  let locationUrl = "";
  const consoleErrors: string[] = [];

  /** A test step that leaves a screenshot in test-results/ when it fails. */
  const step = screenshotOnFailure(() => page);

  beforeAll(async () => {
    server = await startAppServer();
    browser = await launchBrowser();
    owner = await browser.newContext({ baseURL: server.url });
    page = await owner.newPage();
    watchConsole(page, consoleErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  step("signs up a new company, confirms the email and lands on the overview", async () => {
    await signUpInBrowser(page, server.mailUrl, {
      company: "Bay Tacos",
      name: "Rosa",
      email: email("owner"),
    });
    await page.getByText("No locations yet.").waitFor();
  });

  step("adds a location", async () => {
    await page.getByRole("link", { name: "Add a location" }).first().click();
    await page.getByLabel("Name").fill("Mission Street Kitchen");
    await page.getByLabel("Street address").fill("2000 Mission St");
    await page.getByLabel("City").fill("San Francisco");
    await page.getByLabel("State").fill("CA");
    await page.getByRole("button", { name: "Add location" }).click();
    await page.getByRole("heading", { name: "Mission Street Kitchen" }).waitFor();
    locationUrl = page.url();
  });

  step("shows the findings behind the location's stored status, not 'No check yet'", async () => {
    // Adding the location evaluated it and stored a status; the page shows that status's findings.
    const badge = page.locator(".page-head .badge").first();
    const findings = page.locator("section[aria-labelledby=findings]");
    await findings.locator(".layer").first().waitFor();
    expect(await findings.getByText("No check yet").count()).toBe(0);
    expect(await findings.locator(".badge").first().textContent()).toBe(await badge.textContent());
    // The verdict behind the status, read without running (and billing) a check.
    await findings.getByText("Worked out when the location was added.").waitFor();
    expect(await page.locator("section[aria-labelledby=history] li").count()).toBe(0);
  });

  step("runs a check and shows the failing finding with its citation", async () => {
    await page.getByText("Add a person").click();
    await page.getByLabel("Name", { exact: true }).last().fill("Maria");
    await page.getByLabel("Hired on").fill("2024-01-15");
    await page.getByRole("button", { name: "Add person" }).click();
    await page.getByText("Food employee, hired").waitFor();
    await page.getByRole("button", { name: "Run a check" }).click();
    const finding = page.locator(".finding", { hasText: FOOD_HANDLER_CITATION }).filter({ hasText: "Fails" });
    await finding.first().waitFor();
    expect(await finding.first().textContent()).toContain(FOOD_HANDLER_CITATION);
  });

  step("adds the missing credential; the alert arrives live and the check passes", async () => {
    const alerts = await owner.newPage();
    watchConsole(alerts, consoleErrors);
    await alerts.goto("/alerts");
    await alerts.getByText("Live", { exact: true }).waitFor();
    const before = await alerts.locator(".alerts > li").count();

    await page.getByRole("button", { name: "Add credential for Maria" }).click();
    const form = page.getByRole("form", { name: "Add a credential for Maria" });
    await form.getByLabel("Credential", { exact: true }).selectOption("food_handler_card");
    await form.getByLabel("Issued on").fill("2024-02-01");
    await form.getByLabel("Expires on").fill("2030-02-01");
    await form.getByRole("button", { name: "Save credential" }).click();
    await page.getByText("Food handler card: issued").waitFor();

    // The drift alert arrives over the WebSocket, without reloading the alerts page.
    await alerts.locator(".alerts > li").nth(before).waitFor({ timeout: 15_000 });
    expect(await alerts.locator(".alerts > li").first().textContent()).toContain("Mission Street Kitchen");
    await alerts.close();

    await page.getByRole("button", { name: "Run a check" }).click();
    await page.getByText("Worked out when the location was last checked.").waitFor();
    const passing = page.locator(".finding", { hasText: FOOD_HANDLER_CITATION });
    await expect.poll(async () => (await passing.allTextContents()).join(" ")).toContain("Passes");
    expect((await passing.allTextContents()).join(" ")).not.toContain("Fails");
  });

  step("creates an API key shown once, with an expiry, as a service key, and revokes it", async () => {
    await page.getByRole("link", { name: "API keys" }).click();
    await page.getByLabel("Key name").fill("POS");
    const expiresOn = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel("Expires on").fill(expiresOn);
    await page.getByLabel(/Service key/).check();
    await page.getByRole("button", { name: "Create key" }).click();
    const key = (await page.getByTestId("new-key").textContent())?.trim() ?? "";
    expect(key).toMatch(/^prep_test_/);
    const me = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(me.status).toBe(200);
    const row = page.locator("tr", { hasText: "POS" });
    await row.getByText("Service key").waitFor();
    expect(await row.textContent()).not.toContain("Never");

    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Revoke POS" }).click();
    await page.getByText(/^Revoked /).waitFor();
    const revoked = await fetch(`${server.url}/v1/me`, { headers: { authorization: `Bearer ${key}` } });
    expect(revoked.status).toBe(401);
  });

  step("a viewer sees everything and can change nothing", async () => {
    await page.getByRole("link", { name: "Team" }).click();
    const viewerEmail = email("viewer");
    await page.getByLabel("Email").fill(viewerEmail);
    await page.getByLabel("Role").last().selectOption("viewer");
    await page.getByRole("button", { name: "Send invite" }).click();
    await page.getByTestId("invite-sent").waitFor();
    const link = mailLink(await waitForMail(server.mailUrl, viewerEmail, { subject: "invited" }));

    const viewer = await browser.newContext({ baseURL: server.url });
    const viewerPage = await viewer.newPage();
    watchConsole(viewerPage, consoleErrors);
    await viewerPage.goto(link);
    await viewerPage.getByLabel("Your name").fill("Vic");
    await viewerPage.getByLabel("Choose a password").fill(PASSWORD);
    await viewerPage.getByRole("button", { name: "Join" }).click();
    await viewerPage.getByRole("heading", { name: "Overview" }).waitFor();

    await viewerPage.goto(locationUrl);
    await viewerPage.getByRole("heading", { name: "Mission Street Kitchen" }).waitFor();
    for (const control of ["Run a check", "Add credential for Maria", "Save details"]) {
      expect(await viewerPage.getByRole("button", { name: control }).count(), control).toBe(0);
    }
    expect(await viewerPage.getByRole("link", { name: "API keys" }).count()).toBe(0);

    // Hidden is not enough: the API refuses the viewer's session too.
    const cookie = (await viewer.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
    const session = (await (await fetch(`${server.url}/v1/session`, { headers: { cookie } })).json()) as {
      csrfToken: string;
    };
    const id = locationUrl.split("/").at(-1);
    const patch = await fetch(`${server.url}/v1/facilities/${id}`, {
      method: "PATCH",
      headers: {
        cookie,
        "x-csrf-token": session.csrfToken,
        "content-type": "application/json",
        origin: server.url,
      },
      body: JSON.stringify({ name: "Hijacked" }),
    });
    expect(patch.status).toBe(403);
    await viewer.close();
  });

  step("lists an expired deadline as expired, overdue and first", async () => {
    await page.goto(locationUrl);
    const permits = page.locator("section[aria-labelledby=permits]");
    const addPermit = async (type: string, expiresAt: string, label: string) => {
      await permits.getByLabel("Permit", { exact: true }).selectOption(type);
      await permits.getByLabel("Expires on").fill(expiresAt);
      await permits.getByRole("button", { name: "Add permit" }).click();
      await permits.locator(".list li", { hasText: label }).waitFor();
    };
    await permits.getByText("Add a permit").click();
    await addPermit("business_license", localDate(10), "Business license");
    await addPermit("health_permit", localDate(-3), "Health permit");

    await page.getByRole("link", { name: "Overview" }).click();
    const items = page.locator("section[aria-labelledby=deadlines] li");
    await items.first().waitFor();
    const texts = await items.allTextContents();
    expect(texts[0]).toContain("Health permit expired 3 days ago");
    expect(texts[1]).toContain("Business license expires in 10 days");
    expect(await items.first().locator(".overdue").count()).toBe(1);
    expect(await items.nth(1).locator(".overdue").count()).toBe(0);
  });

  step(
    "adds a location that states which notices it has posted, and the placard rule reads them",
    async () => {
      await page.goto("/locations/new");
      await page.getByLabel("Name").fill("Valencia Street Kitchen");
      await page.getByLabel("City").fill("San Francisco");
      await page.getByLabel("State").fill("CA");
      await page.getByLabel("None of these is posted").check();
      await page.getByRole("button", { name: "Add location" }).click();
      await page.getByRole("heading", { name: "Valencia Street Kitchen" }).waitFor();
      // Stated "none": San Francisco's placard rule fails, saying what to post (unstated, it would
      // only be counted among the rules that could not be checked).
      const placard = page.locator(".finding", { hasText: "Inspection placard posted" });
      await placard.filter({ hasText: "Fails" }).waitFor();
      expect(await placard.textContent()).toMatch(/Post the placard from your latest inspection/);
    },
  );

  step(
    "changes the password on the account page; a copied cookie of a signed-out session is refused",
    async () => {
      await page.getByRole("link", { name: "Rosa" }).click();
      await page.getByRole("heading", { name: "Account" }).waitFor();
      await page.getByLabel("Current password").fill(PASSWORD);
      await page.getByLabel("New password").fill(`${PASSWORD} and more`);
      await page.getByRole("button", { name: "Change password" }).click();
      await page.getByTestId("password-changed").waitFor();
      const cookie = (await owner.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
      expect((await fetch(`${server.url}/v1/session`, { headers: { cookie } })).status).toBe(200);
      await page.getByRole("button", { name: "Sign out" }).click();
      await page.getByRole("heading", { name: "Sign in" }).waitFor();
      expect((await fetch(`${server.url}/v1/session`, { headers: { cookie } })).status).toBe(401);
    },
  );

  step("logged no console errors", async () => {
    expect(consoleErrors).toEqual([]);
  });
});
