// Web accounts: sign-up, sign-in, sign-out, the session cookie, CSRF and login rate limits.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../db/client";
import { sfRestaurant } from "../../../test/fixtures";
import { BASE, call, newTenant } from "../../../test/helpers";
import { linkToken, waitForMail } from "../../../test/mail";
import { asUser, mailApi, PASSWORD, sessionCookie, signUp, uniqueEmail } from "../../../test/sessions";

const signIn = (email: string, password = PASSWORD) =>
  call("/v1/auth/signin", { method: "POST", json: { email, password } });

describe("sign-up", () => {
  it("creates a tenant and its owner from the emailed link, signed in with a hardened cookie", async () => {
    const email = uniqueEmail("Owner");
    const asked = await call("/v1/auth/signup", {
      method: "POST",
      json: { companyName: "Taco Co", name: "Rosa", email, password: PASSWORD },
    });
    expect(asked.status).toBe(202);
    expect(asked.headers.getSetCookie()).toEqual([]);
    const mail = await waitForMail(mailApi(), email.toLowerCase(), { subject: "Confirm your email" });
    expect(mail.subject).toBe("Confirm your email to create your Prep account");
    expect(mail.html).toContain("Taco Co");
    const response = await call("/v1/auth/signup/verify", {
      method: "POST",
      json: { token: linkToken(mail) },
    });
    expect(response.status).toBe(201);
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("__Host-prep_session=")) ?? "";
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/Secure/i);
    expect(cookie).toMatch(/SameSite=Strict/i);
    expect(cookie).toMatch(/Path=\//);
    const body = (await response.json()) as {
      user: { email: string; role: string; name: string };
      tenant: { name: string };
      csrfToken: string;
    };
    expect(body).toMatchObject({
      user: { email: email.toLowerCase(), role: "owner", name: "Rosa" },
      tenant: { name: "Taco Co" },
      locations: null,
    });
    expect(body.csrfToken.length).toBeGreaterThan(30);
  });

  it("stores only a PBKDF2 hash of the password", async () => {
    const session = await signUp();
    const owner = openDatabase({ databaseUrl: env.OWNER_DATABASE_URL ?? "", wsProxy: env.DB_WS_PROXY });
    try {
      const rows = (await owner.db.execute(sql`SELECT password_hash FROM users WHERE id = ${session.userId}`))
        .rows as { password_hash: string }[];
      expect(rows[0]?.password_hash).toMatch(/^pbkdf2-sha256-chain\$6\$100000\$[\w-]{22}\$[\w-]{43}$/);
      expect(rows[0]?.password_hash).not.toContain(PASSWORD);
    } finally {
      await owner.close();
    }
  });

  it("points at each invalid field (422)", async () => {
    const response = await call("/v1/auth/signup", {
      method: "POST",
      json: { companyName: "", email: "nope", password: "short" },
    });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { errors: { pointer: string }[] };
    expect(body.errors.map((e) => e.pointer).sort()).toEqual(["/companyName", "/email", "/password"]);
  });
});

describe("sign-in and sign-out", () => {
  it("signs in with the right password, case-insensitively by email", async () => {
    const { email, tenantId } = await signUp();
    const response = await signIn(email.toUpperCase());
    expect(response.status).toBe(200);
    const session = await asUser(
      { cookie: sessionCookie(response), csrf: "", tenantId, userId: "", email },
      "/v1/session",
    );
    expect(await session.json()).toMatchObject({ tenant: { id: tenantId }, user: { role: "owner" } });
  });

  it("answers a wrong password and an unknown email alike (401)", async () => {
    const { email } = await signUp();
    const wrong = await signIn(email, "not the password at all");
    const unknown = await signIn(uniqueEmail("nobody"));
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(((await wrong.json()) as { detail: string }).detail).toBe(
      ((await unknown.json()) as { detail: string }).detail,
    );
    expect(wrong.headers.getSetCookie()).toEqual([]);
  });

  it("limits attempts per email and IP (429 with Retry-After)", async () => {
    const email = uniqueEmail("guessed");
    const attempt = (ip: string) =>
      call("/v1/auth/signin", {
        method: "POST",
        json: { email, password: "wrong password" },
        headers: { "cf-connecting-ip": ip },
      });
    // Windows are fixed minutes: one may roll over mid-test, so allow a second window's worth.
    const statuses: number[] = [];
    let limited: Response | undefined;
    while (!limited && statuses.length < 21) {
      const response = await attempt("203.0.113.9");
      statuses.push(response.status);
      if (response.status === 429) limited = response;
    }
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.slice(0, -1).every((s) => s === 401)).toBe(true);
    expect(limited?.headers.get("retry-after")).toBe("60");
    expect(await limited?.json()).toMatchObject({ code: "rate_limited" });
    // Another address is not locked out by someone else's guessing.
    expect((await attempt("198.51.100.7")).status).toBe(401);
  });

  it("signs out by clearing the cookie (and ending the session), and only with the CSRF token", async () => {
    const session = await signUp();
    expect((await asUser(session, "/v1/auth/signout", { method: "POST", csrf: null })).status).toBe(403);
    const response = await asUser(session, "/v1/auth/signout", { method: "POST" });
    expect(response.status).toBe(204);
    expect(response.headers.getSetCookie().join()).toMatch(/__Host-prep_session=;.*Max-Age=0/i);
  });
});

describe("the session cookie on the API", () => {
  it("authenticates /v1 routes as the user", async () => {
    const session = await signUp();
    const created = await asUser(session, "/v1/facilities", { method: "POST", json: sfRestaurant() });
    expect(created.status).toBe(201);
    const list = (await (await asUser(session, "/v1/facilities")).json()) as { data: { id: string }[] };
    expect(list.data).toHaveLength(1);
  });

  it("refuses forged and missing cookies (401)", async () => {
    const session = await signUp();
    const [name, token] = session.cookie.split("=") as [string, string];
    const forged = `${name}=${token.slice(0, -4)}AAAA`;
    expect((await call("/v1/facilities", { headers: { cookie: forged } })).status).toBe(401);
    const missing = await call("/v1/facilities");
    expect(((await missing.json()) as { detail: string }).detail).toMatch(/Authorization: Bearer/);
  });

  it("demands the CSRF token on state-changing requests (403)", async () => {
    const session = await signUp();
    const missing = await asUser(session, "/v1/facilities", {
      method: "POST",
      json: sfRestaurant(),
      csrf: null,
    });
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ code: "csrf_failed" });
    const wrong = await asUser(session, "/v1/facilities", {
      method: "POST",
      json: sfRestaurant(),
      csrf: "x".repeat(43),
    });
    expect(wrong.status).toBe(403);
  });

  it("refuses cookie requests from another origin, even with the token (403)", async () => {
    const session = await signUp();
    const response = await call("/v1/facilities", {
      method: "POST",
      json: sfRestaurant(),
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf, origin: "https://evil.example" },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "csrf_failed" });
  });

  it("judges a request with an API key by the key alone (no CSRF needed)", async () => {
    const session = await signUp();
    const other = await newTenant("Key Holder");
    const response = await call("/v1/facilities", {
      method: "POST",
      key: other.key,
      json: sfRestaurant(),
      headers: { cookie: session.cookie },
    });
    expect(response.status).toBe(201);
    expect((await response.json()) as object).toHaveProperty("id");
    const mine = (await (await asUser(session, "/v1/facilities")).json()) as { data: unknown[] };
    expect(mine.data).toHaveLength(0);
  });

  it("GET /v1/session needs a session, not a key (401)", async () => {
    const { key } = await newTenant();
    const response = await call("/v1/session", { key });
    expect(response.status).toBe(401);
    expect(((await response.json()) as { detail: string }).detail).toMatch(/\/v1\/me/);
  });

  it("sends no session cookie to a different site (CORS stays credential-free)", async () => {
    const response = await call("/v1/session", {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(response.headers.get("access-control-allow-credentials")).toBeNull();
    expect(BASE).toMatch(/^https:/);
  });
});
