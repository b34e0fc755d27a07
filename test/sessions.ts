/**
 * Test helpers for the web app's sessions: sign up or in through the API and call it as the
 * browser would, with the session cookie and the CSRF token. Sign-up and invites go through
 * their emails, read back from the mail catcher (test/mail.ts).
 */
import { inject } from "vitest";
import { BASE, call } from "./helpers";
import { linkToken, waitForMail } from "./mail";

/** The mail catcher's REST API (test/global-setup.ts). */
export const mailApi = () => inject("mailWebUrl");

export interface TestSession {
  cookie: string;
  csrf: string;
  tenantId: string;
  userId: string;
  email: string;
}

let counter = 0;
export const uniqueEmail = (label = "user") =>
  `${label}-${Date.now()}-${++counter}-${crypto.randomUUID().slice(0, 8)}@example.test`;
export const PASSWORD = "correct horse battery staple";

/** The session cookie a response sets, as a Cookie header value. */
export function sessionCookie(response: Response): string {
  const header = response.headers.getSetCookie().find((c) => c.startsWith("__Host-prep_session="));
  if (!header) throw new Error(`no session cookie set (status ${response.status})`);
  return header.split(";")[0] as string;
}

export async function sessionFrom(response: Response): Promise<TestSession> {
  if (![200, 201].includes(response.status))
    throw new Error(`expected a session, got ${response.status}: ${await response.text()}`);
  const body = (await response.clone().json()) as {
    csrfToken: string;
    tenant: { id: string };
    user: { id: string; email: string };
  };
  return {
    cookie: sessionCookie(response),
    csrf: body.csrfToken,
    tenantId: body.tenant.id,
    userId: body.user.id,
    email: body.user.email,
  };
}

/** A fresh client address per call: sign-up and invite attempts are rate-limited per IP. */
const clientIp = () => ({
  "cf-connecting-ip": `10.${counter % 250}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
});

/** Signs up through the API: the sign-up, its confirmation email, the link's verification. */
export async function signUp(
  companyName = "Web Kitchen Co",
  email = uniqueEmail("owner"),
): Promise<TestSession> {
  const asked = await call("/v1/auth/signup", {
    method: "POST",
    headers: clientIp(),
    json: { companyName, email, password: PASSWORD },
  });
  if (asked.status !== 202) throw new Error(`sign-up failed: ${asked.status} ${await asked.text()}`);
  const mail = await waitForMail(mailApi(), email, { subject: "Confirm your email" });
  return sessionFrom(
    await call("/v1/auth/signup/verify", { method: "POST", json: { token: linkToken(mail) } }),
  );
}

/** Calls the API as the signed-in browser: cookie, CSRF token and a same-origin Origin. */
export function asUser(
  session: TestSession,
  path: string,
  init: RequestInit & { json?: unknown; csrf?: string | null } = {},
) {
  const headers = new Headers(init.headers);
  headers.set("cookie", session.cookie);
  const method = (init.method ?? "GET").toUpperCase();
  if (method !== "GET") {
    headers.set("origin", BASE);
    if (init.csrf !== null) headers.set("x-csrf-token", init.csrf ?? session.csrf);
  }
  return call(path, { ...init, headers });
}

/** Invites someone with `role` and accepts the invite: a signed-in member of the same tenant. */
export async function addMember(
  owner: TestSession,
  role: string,
  assigned: { facilityIds?: string[]; groupIds?: string[] } = {},
) {
  const email = uniqueEmail(role);
  const invited = await asUser(owner, "/v1/invites", {
    method: "POST",
    json: { email, role, ...assigned },
  });
  if (invited.status !== 201) throw new Error(`invite failed: ${invited.status} ${await invited.text()}`);
  const token = await inviteToken(email);
  return sessionFrom(
    await call("/v1/auth/invites/accept", {
      method: "POST",
      headers: clientIp(),
      json: { token, password: PASSWORD },
    }),
  );
}

/** The token of the latest invite emailed to `email`. */
export async function inviteToken(email: string, count = 1): Promise<string> {
  return linkToken(await waitForMail(mailApi(), email, { subject: "invited", count }));
}
