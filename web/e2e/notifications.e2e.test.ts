// The Notifications and Webhooks pages in Chromium against the Worker under `wrangler dev`:
// a new owner turns email on for chosen events and saves (kept after a reload); adds a
// webhook endpoint on a local receiver (allowed in development), copies its secret, sends a
// test event that arrives signed — verified here with the `standardwebhooks` package — and
// sees it delivered in the endpoint's log.
import { existsSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { Browser, Page } from "playwright-core";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { signUpInBrowser } from "./accounts";
import { CHROMIUM, launchBrowser, screenshotOnFailure, watchConsole } from "./browser";
import { type AppServer, startAppServer } from "./server";

interface Received {
  headers: Record<string, string>;
  body: string;
}

describe.skipIf(!existsSync(CHROMIUM))("the Notifications and Webhooks pages in a browser", () => {
  let server: AppServer;
  let browser: Browser;
  let page: Page;
  let receiver: Server;
  let receiverUrl = "";
  const received: Received[] = [];
  const consoleErrors: string[] = [];

  const step = screenshotOnFailure(() => page);

  beforeAll(async () => {
    receiver = createServer(async (request, response) => {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      received.push({
        headers: request.headers as Record<string, string>,
        body: Buffer.concat(chunks).toString("utf8"),
      });
      response.writeHead(204).end();
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/prep-hooks`;
    server = await startAppServer();
    browser = await launchBrowser();
    const context = await browser.newContext({ baseURL: server.url });
    page = await context.newPage();
    watchConsole(page, consoleErrors);
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
    receiver?.close();
  });

  step("sets notification preferences, kept after a reload", async () => {
    await signUpInBrowser(page, server.mailUrl, {
      company: "Notify Tacos",
      name: "Rosa",
      email: `notify-${Date.now()}@example.test`,
    });
    await page.getByRole("link", { name: "Notifications" }).click();
    await page.getByRole("heading", { name: "Notifications", level: 1 }).waitFor();
    await page.getByRole("checkbox", { name: "Email" }).check();
    await page.getByRole("checkbox", { name: "A deadline is approaching" }).uncheck();
    await page.getByRole("checkbox", { name: "An evidence export is ready" }).check();
    await page.getByLabel("Delivery").selectOption("digest");
    await page.getByLabel("Digest hour").fill("7");
    await page.getByLabel("Time zone").fill("America/Chicago");
    await page.getByRole("button", { name: "Save preferences" }).click();
    await page.getByRole("status").filter({ hasText: "Preferences saved." }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: "Notifications", level: 1 }).waitFor();
    expect(await page.getByRole("checkbox", { name: "Email" }).isChecked()).toBe(true);
    expect(await page.getByRole("checkbox", { name: "A deadline is approaching" }).isChecked()).toBe(false);
    expect(await page.getByRole("checkbox", { name: "An evidence export is ready" }).isChecked()).toBe(true);
    expect(await page.getByLabel("Delivery").inputValue()).toBe("digest");
    expect(await page.getByLabel("Time zone").inputValue()).toBe("America/Chicago");
    // A time zone that does not exist is refused where it was typed.
    await page.getByLabel("Time zone").fill("Mars/Olympus");
    await page.getByRole("button", { name: "Save preferences" }).click();
    await page.getByText("must be an IANA time zone").waitFor();
  });

  step("adds an endpoint, sends a test webhook that verifies, and logs it delivered", async () => {
    await page.getByRole("link", { name: "Webhooks" }).click();
    await page.getByRole("heading", { name: "Webhooks", level: 1 }).waitFor();
    await page.getByLabel("Endpoint URL").fill(receiverUrl);
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await page.getByTestId("webhook-secret").textContent())?.trim() ?? "";
    expect(secret).toMatch(/^whsec_/);
    await page.getByTestId("endpoint").filter({ hasText: receiverUrl }).waitFor();
    await page.getByRole("button", { name: "Send test event" }).click();
    await page.getByRole("status").filter({ hasText: "Test event sent" }).waitFor();
    const deadline = Date.now() + 15_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(received).toHaveLength(1);
    const hook = received[0] as Received;
    expect(new Webhook(secret).verify(hook.body, hook.headers)).toMatchObject({
      type: "webhook.test",
      data: { message: expect.any(String) },
    });
    for (let i = 0; i < 50; i++) {
      await page.getByRole("button", { name: "Refresh" }).click();
      if ((await page.getByTestId("delivery-status").first().textContent()) === "delivered") break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(await page.getByTestId("delivery-status").first().textContent()).toBe("delivered");
    expect(consoleErrors.filter((e) => !/422/.test(e))).toEqual([]);
  });
});
