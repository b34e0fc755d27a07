// The partner consent flow in Chromium against the Worker under `wrangler dev` (ADR 0023): a
// marketplace sends a signed-in owner to /oauth/authorize; the owner sees the partner and
// what it asks, allows it and lands on the partner's redirect URI with a code; the partner
// exchanges the code (PKCE) at /oauth/token and reads the business's locations' statuses;
// the owner revokes the partner on the Partners page and the partner's next call is refused.
import { createHash, randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect } from "vitest";
import { openNodeDatabase } from "../../db/local/node-database";
import { createPartner } from "../../db/partners";
import { signUpInBrowser } from "./accounts";
import { CHROMIUM, launchBrowser, postFromPage, screenshotOnFailure, watchConsole } from "./browser";
import { type AppServer, startAppServer } from "./server";

const REDIRECT = "https://marketplace.example/prep/callback";

describe.skipIf(!existsSync(CHROMIUM))("the partner consent flow in a browser", () => {
  let server: AppServer;
  let browser: Browser;
  let page: Page;
  let partner: { clientId: string; clientSecret: string; partnerId: string };
  let tenantId: string;
  let facilityId: string;
  let accessToken: string;
  const consoleErrors: string[] = [];
  const verifier = randomBytes(48).toString("base64url");
  const challenge = createHash("sha256").update(verifier).digest("base64url");

  const step = screenshotOnFailure(() => page);

  /** The partner's own calls, from its server (Node), never the owner's browser. */
  const partnerApi = (path: string, init: RequestInit = {}) =>
    fetch(`${server.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${accessToken}`, ...(init.headers as Record<string, string>) },
    });

  beforeAll(async () => {
    server = await startAppServer();
    const handle = await openNodeDatabase(server.ownerDatabaseUrl);
    try {
      partner = await createPartner(
        handle.db,
        { name: "Shared Kitchen Co", redirectUris: [REDIRECT] },
        "e2e",
      );
    } finally {
      await handle.close();
    }
    browser = await launchBrowser();
    page = await (await browser.newContext({ baseURL: server.url })).newPage();
    watchConsole(page, consoleErrors);
    // The partner's site: the redirect lands here (intercepted, nothing leaves the machine).
    await page.route(`${REDIRECT}**`, (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: "<h1>Back at the marketplace</h1>" }),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });

  step("the owner sees what the partner asks and allows it", async () => {
    await signUpInBrowser(page, server.mailUrl, {
      company: "Tamale Collective",
      name: "Inés",
      email: `partners-${Date.now()}@example.test`,
    });
    const facility = await postFromPage(page, "/v1/facilities", {
      name: "Commissary Unit 7",
      type: "restaurant",
      address: { line1: "2000 Mission St", city: "San Francisco", state: "CA", postalCode: "94110" },
      staff: [{ id: "s-1", name: "Maria", role: "food_employee", hiredAt: "2026-01-05" }],
    });
    expect(facility.status).toBe(201);
    facilityId = String(facility.body.id);

    const query = new URLSearchParams({
      response_type: "code",
      client_id: partner.clientId,
      redirect_uri: REDIRECT,
      scope: "tenants:read checks:write",
      state: "booking-42",
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    await page.goto(`/oauth/authorize?${query}`);
    await page
      .getByRole("heading", { name: "Shared Kitchen Co asks to work with Tamale Collective" })
      .waitFor();
    const scopes = await page.getByTestId("consent-scopes").getByRole("listitem").allTextContents();
    expect(scopes).toEqual([
      "See your locations (with the staff and credentials entered on them) and their compliance status",
      "Run compliance checks and read the findings (they count toward your usage)",
    ]);
    await page.getByRole("button", { name: "Allow" }).click();
    await page.waitForURL(`${REDIRECT}**`);
    const back = new URL(page.url());
    expect(back.searchParams.get("state")).toBe("booking-42");
    const code = back.searchParams.get("code") ?? "";

    const exchanged = await fetch(`${server.url}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        authorization: `Basic ${Buffer.from(`${partner.clientId}:${partner.clientSecret}`).toString("base64")}`,
      },
      body: new URLSearchParams({
        grant_type: "authorization_code",
        code,
        redirect_uri: REDIRECT,
        code_verifier: verifier,
      }),
    });
    expect(exchanged.status).toBe(200);
    const token = (await exchanged.json()) as {
      access_token: string;
      tenant_id: string;
      grant_scope: string;
    };
    expect(token.grant_scope).toBe("tenants:read checks:write");
    accessToken = token.access_token;
    tenantId = token.tenant_id;
  });

  step("the partner reads the business's locations and their statuses", async () => {
    const response = await partnerApi(`/v1/partner/tenants/${tenantId}/facilities`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { id: string; name: string; status: string | null }[] };
    expect(body.data).toEqual([expect.objectContaining({ id: facilityId, name: "Commissary Unit 7" })]);
    expect(["compliant", "at_risk", "non_compliant"]).toContain(body.data[0]?.status);
  });

  step("the owner revokes the partner on the Partners page; its next call is refused", async () => {
    await page.goto("/partners");
    await page.getByRole("heading", { name: "Partners", level: 1 }).waitFor();
    await page.getByRole("cell", { name: "Shared Kitchen Co", exact: true }).waitFor();
    page.once("dialog", (dialog) => void dialog.accept());
    await page.getByRole("button", { name: "Revoke Shared Kitchen Co" }).click();
    await page.getByText(/^Revoked/).waitFor();
    const refused = await partnerApi(`/v1/partner/tenants/${tenantId}/facilities`);
    expect(refused.status).toBe(404);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(consoleErrors).toEqual([]);
  });
});
