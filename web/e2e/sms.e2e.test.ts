// SMS in Chromium against the Worker under `wrangler dev`: a new owner adds a phone number on
// the Notifications page, reads the texted code from the loopback Twilio
// (test/twilio-server.ts, which the production client talked to), enters it and sees the
// number verified; turns SMS on (kept after a reload); a wrong code is refused where it was
// typed; Twilio's signed inbound STOP reaches the Worker through its real URL and is
// honoured (the number cannot be re-verified until START); the number is removed.
import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { textsTo, twilioControl, uniquePhone, verificationCode } from "../../test/sms";
import { signUpInBrowser } from "./accounts";
import { CHROMIUM, launchBrowser, screenshotOnFailure, watchConsole } from "./browser";
import { type AppServer, startAppServer } from "./server";

describe.skipIf(!existsSync(CHROMIUM))("a verified phone for SMS in a browser", () => {
  let server: AppServer;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];
  const phone = uniquePhone();

  const step = screenshotOnFailure(() => page);

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

  step("verifies a phone number with the texted code and turns SMS on", async () => {
    await signUpInBrowser(page, server.mailUrl, {
      company: "Texting Tacos",
      name: "Rosa",
      email: `sms-${Date.now()}@example.test`,
    });
    await page.getByRole("link", { name: "Notifications" }).click();
    await page.getByRole("heading", { name: "Phone for SMS" }).waitFor();
    await page.getByLabel("Phone number").fill("415 555"); // not E.164
    await page.getByRole("button", { name: "Send code" }).click();
    await page.getByText("must be an E.164 phone number").waitFor();
    await page.getByLabel("Phone number").fill(phone);
    await page.getByRole("button", { name: "Send code" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: `We texted a 6-digit code to ${phone}` })
      .waitFor();
    const code = await verificationCode(server.twilioUrl, phone);
    await page.getByLabel(`Code texted to ${phone}`).fill(code === "000000" ? "111111" : "000000");
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByText("That is not the code we texted").waitFor();
    await page.getByLabel(`Code texted to ${phone}`).fill(code);
    await page.getByRole("button", { name: "Verify" }).click();
    await page.getByText(`Texts go to ${phone} (verified).`).waitFor();

    await page.getByRole("checkbox", { name: "SMS (text message)" }).check();
    await page.getByLabel("Quiet from").fill("22:00");
    await page.getByRole("button", { name: "Save preferences" }).click();
    await page.getByRole("status").filter({ hasText: "Preferences saved." }).waitFor();
    await page.reload();
    await page.getByText(`Texts go to ${phone} (verified).`).waitFor();
    expect(await page.getByRole("checkbox", { name: "SMS (text message)" }).isChecked()).toBe(true);
    expect(await page.getByLabel("Quiet from").inputValue()).toBe("22:00");
    expect((await textsTo(server.twilioUrl, phone)).length).toBe(1);
  });

  step("honours Twilio's signed STOP at its real URL, then removes the number", async () => {
    const answered = await twilioControl<{ prepAnswered: number }>(server.twilioUrl, "inbound", {
      url: `${server.url}/v1/notifications/sms/inbound`,
      from: phone,
      body: "STOP",
    });
    expect(answered.prepAnswered).toBe(200);
    // The number that texted STOP cannot be re-verified until it texts START.
    await page.getByLabel("New phone number").fill(phone);
    await page.getByRole("button", { name: "Send code" }).click();
    await page.getByText("Text START to Prep's number from it").waitFor();
    await page.getByRole("button", { name: "Remove number" }).click();
    await page.getByRole("status").filter({ hasText: "Phone number removed." }).waitFor();
    await page.getByText("Add a mobile number to get alerts by SMS").waitFor();
    expect(await page.getByText("(verified)").count()).toBe(0);
    // The refusals shown on purpose (422 wrong code or number, 409 the stopped number) only.
    expect(consoleErrors.filter((e) => !/422|409/.test(e))).toEqual([]);
  });
});
