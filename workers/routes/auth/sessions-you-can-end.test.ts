// Sessions you can end: server-side sessions revoked on sign-out, on a password change and
// by an owner; password reset by an emailed single-use link; sign-up that verifies the
// address and never reveals whether it has an account; invites that answer alike for any
// address. Every email is read back from the mail catcher the Worker sent it to over SMTP.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../../db/client";
import { call, expectProblem } from "../../../test/helpers";
import { linkToken, mailFor, waitForMail } from "../../../test/mail";
import {
  addMember,
  asUser,
  inviteToken,
  mailApi,
  PASSWORD,
  sessionFrom,
  signUp,
  type TestSession,
  uniqueEmail,
} from "../../../test/sessions";

const NEW_PASSWORD = "a brand new passphrase for prep";

let ipCounter = 0;
const freshIp = () => ({ "cf-connecting-ip": `192.0.2.${(++ipCounter % 250) + 1}` });

const signIn = async (email: string, password = PASSWORD) =>
  call("/v1/auth/signin", { method: "POST", headers: freshIp(), json: { email, password } });

/** A second session of the same user (another browser). */
async function anotherSession(session: TestSession): Promise<TestSession> {
  return sessionFrom(await signIn(session.email));
}

/** Runs SQL as the database owner (outside row-level security), e.g. to move a deadline. */
async function asOwner(query: ReturnType<typeof sql>) {
  const handle = openDatabase({ databaseUrl: env.OWNER_DATABASE_URL ?? "", wsProxy: env.DB_WS_PROXY });
  try {
    return (await handle.db.execute(query)).rows;
  } finally {
    await handle.close();
  }
}

const session = (s: TestSession) => asUser(s, "/v1/session");

describe("sign-out", () => {
  it("ends the session on the server: the kept cookie answers 401 afterwards", async () => {
    const owner = await signUp();
    expect((await session(owner)).status).toBe(200);
    const out = await asUser(owner, "/v1/auth/signout", { method: "POST" });
    expect(out.status).toBe(204);
    // The browser would drop the cookie; someone who copied it keeps it. It no longer works.
    const reused = await session(owner);
    const body = await expectProblem(reused, 401, "unauthorized");
    expect(body.detail).toMatch(/ended/);
    expect((await asUser(owner, "/v1/facilities")).status).toBe(401);
  });

  it("ends only that session: the user's other browser stays signed in", async () => {
    const owner = await signUp();
    const laptop = await anotherSession(owner);
    expect((await asUser(owner, "/v1/auth/signout", { method: "POST" })).status).toBe(204);
    expect((await session(laptop)).status).toBe(200);
  });

  it("sessions expire on the server after their 12 hours, whatever the cookie says", async () => {
    const owner = await signUp();
    const rows = (await asOwner(
      sql`SELECT extract(epoch FROM expires_at - created_at)::float8 AS seconds FROM user_sessions WHERE user_id = ${owner.userId}`,
    )) as { seconds: number }[];
    expect(Math.abs(Number(rows[0]?.seconds) - 12 * 3600)).toBeLessThan(60);
    await asOwner(
      sql`UPDATE user_sessions SET expires_at = now() - interval '1 second' WHERE user_id = ${owner.userId}`,
    );
    await expectProblem(await session(owner), 401, "unauthorized");
  });
});

describe("password change", () => {
  it("needs the current password, signs out every other session and keeps this one", async () => {
    const owner = await signUp();
    const phone = await anotherSession(owner);
    const tablet = await anotherSession(owner);
    const wrong = await asUser(owner, "/v1/account/password", {
      method: "POST",
      json: { currentPassword: "not my password", newPassword: NEW_PASSWORD },
    });
    const problem = await expectProblem(wrong, 422, "validation_failed");
    expect(problem.errors).toEqual([{ pointer: "/currentPassword", detail: "is not your current password" }]);
    expect((await session(phone)).status).toBe(200);

    const changed = await asUser(owner, "/v1/account/password", {
      method: "POST",
      json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    });
    expect(changed.status).toBe(204);
    await expectProblem(await session(phone), 401, "unauthorized");
    await expectProblem(await session(tablet), 401, "unauthorized");
    expect((await session(owner)).status).toBe(200);
    expect((await signIn(owner.email)).status).toBe(401);
    expect((await signIn(owner.email, NEW_PASSWORD)).status).toBe(200);
    const notice = await waitForMail(mailApi(), owner.email, { subject: "password was changed" });
    expect(notice.text).toMatch(/other sessions were signed out/);
  });

  it("is for web sessions only (an API key has no password)", async () => {
    const owner = await signUp();
    const keyed = await asUser(owner, "/v1/keys", {
      method: "POST",
      json: { name: "k", scopes: ["checks:write"] },
    });
    const { key } = (await keyed.json()) as { key: string };
    const response = await call("/v1/account/password", {
      method: "POST",
      key,
      json: { currentPassword: PASSWORD, newPassword: NEW_PASSWORD },
    });
    await expectProblem(response, 403, "session_required");
  });
});

describe("an owner and a member's sessions", () => {
  it("lists a member's active sessions and ends one: its cookie answers 401 at once", async () => {
    const owner = await signUp();
    const member = await addMember(owner, "viewer");
    const second = await anotherSession(member);
    const listed = await asUser(owner, `/v1/users/${member.userId}/sessions`);
    expect(listed.status).toBe(200);
    const { data } = (await listed.json()) as { data: { id: string; current: boolean; expiresAt: string }[] };
    expect(data).toHaveLength(2);
    expect(data.every((s) => s.id.startsWith("ses_") && !s.current)).toBe(true);

    const target = data[0] as { id: string };
    const ended = await asUser(owner, `/v1/users/${member.userId}/sessions/${target.id}`, {
      method: "DELETE",
    });
    expect(ended.status).toBe(204);
    // Which cookie held that session: the newest is the second sign-in.
    await expectProblem(await session(second), 401, "unauthorized");
    expect((await session(member)).status).toBe(200);
    const after = (await (await asUser(owner, `/v1/users/${member.userId}/sessions`)).json()) as {
      data: { id: string }[];
    };
    expect(after.data.map((s) => s.id)).not.toContain(target.id);
    // Ending it again: nothing active by that id.
    await expectProblem(
      await asUser(owner, `/v1/users/${member.userId}/sessions/${target.id}`, { method: "DELETE" }),
      404,
      "not_found",
    );
    const audit = (await (await asUser(owner, "/v1/audit-log")).json()) as {
      data: { action: string; target: string }[];
    };
    expect(audit.data).toContainEqual(
      expect.objectContaining({ action: "session.revoked", target: target.id }),
    );
  });

  it("is not for viewers, nor for admins over owners, nor across tenants", async () => {
    const owner = await signUp();
    const viewer = await addMember(owner, "viewer");
    const admin = await addMember(owner, "admin");
    await expectProblem(
      await asUser(viewer, `/v1/users/${owner.userId}/sessions`),
      403,
      "insufficient_scope",
    );
    await expectProblem(await asUser(admin, `/v1/users/${owner.userId}/sessions`), 403, "owner_only");
    const stranger = await signUp();
    await expectProblem(await asUser(stranger, `/v1/users/${viewer.userId}/sessions`), 404, "not_found");
    const mine = (await (await asUser(viewer, `/v1/users/${viewer.userId}/sessions`)).json()) as unknown;
    expect(mine).toBeDefined();
  });
});

describe("password reset", () => {
  async function requestReset(email: string) {
    const response = await call("/v1/auth/password-reset", {
      method: "POST",
      headers: freshIp(),
      json: { email },
    });
    expect(response.status).toBe(202);
    return response.json();
  }
  const confirm = (token: string, password = NEW_PASSWORD) =>
    call("/v1/auth/password-reset/confirm", {
      method: "POST",
      headers: freshIp(),
      json: { token, password },
    });

  it("emails a link that sets a new password once and signs out every session", async () => {
    const owner = await signUp();
    const other = await anotherSession(owner);
    await requestReset(owner.email);
    const token = linkToken(
      await waitForMail(mailApi(), owner.email, { subject: "Reset your Prep password" }),
    );
    expect((await confirm(token)).status).toBe(204);
    await expectProblem(await session(owner), 401, "unauthorized");
    await expectProblem(await session(other), 401, "unauthorized");
    expect((await signIn(owner.email, NEW_PASSWORD)).status).toBe(200);
    // A link works once.
    await expectProblem(await confirm(token, "yet another long password"), 410, "link_unusable");
    expect((await signIn(owner.email, "yet another long password")).status).toBe(401);
  });

  it("expires after an hour", async () => {
    const owner = await signUp();
    await requestReset(owner.email);
    const token = linkToken(
      await waitForMail(mailApi(), owner.email, { subject: "Reset your Prep password" }),
    );
    await asOwner(
      sql`UPDATE password_resets SET expires_at = now() - interval '1 second' WHERE user_id = ${owner.userId}`,
    );
    const expired = await expectProblem(await confirm(token), 410, "link_unusable");
    expect(expired.detail).toMatch(/expired/);
    expect((await signIn(owner.email)).status).toBe(200);
  });

  it("answers an unknown address exactly like a known one, and sends it nothing", async () => {
    const owner = await signUp();
    const nobody = uniqueEmail("nobody");
    const known = await requestReset(owner.email);
    const unknown = await requestReset(nobody);
    expect(Object.keys(unknown as object)).toEqual(Object.keys(known as object));
    await waitForMail(mailApi(), owner.email, { subject: "Reset your Prep password" });
    expect(await mailFor(mailApi(), nobody)).toEqual([]);
    await expectProblem(await confirm("0".repeat(64)), 404, "not_found");
  });
});

describe("sign-up never reveals an address, and verifies it", () => {
  const askSignUp = (email: string, companyName = "Someone Else Co") =>
    call("/v1/auth/signup", {
      method: "POST",
      headers: freshIp(),
      json: { companyName, email, password: PASSWORD },
    });

  it("answers an address with an account exactly like a new one; its owner gets an email instead", async () => {
    const owner = await signUp("Chain Co");
    const fresh = uniqueEmail("fresh");
    const taken = await askSignUp(owner.email.toUpperCase());
    const free = await askSignUp(fresh);
    expect(taken.status).toBe(202);
    expect(free.status).toBe(202);
    expect(taken.headers.getSetCookie()).toEqual([]);
    const [takenBody, freeBody] = [(await taken.json()) as object, (await free.json()) as object];
    expect(Object.keys(takenBody)).toEqual(Object.keys(freeBody));
    expect(takenBody).toEqual({ email: owner.email, verificationSent: true });
    const warning = await waitForMail(mailApi(), owner.email, { subject: "tried to sign up" });
    expect(warning.text).toMatch(/already has one/);
    expect(warning.text).not.toMatch(/#token=/);
    await waitForMail(mailApi(), fresh, { subject: "Confirm your email" });
    // The account is untouched: the owner still signs in with their password.
    expect((await signIn(owner.email)).status).toBe(200);
  });

  it("creates nothing until the link is opened; the link works once", async () => {
    const email = uniqueEmail("unverified");
    expect((await askSignUp(email)).status).toBe(202);
    // Not an account yet: no sign-in.
    expect((await signIn(email)).status).toBe(401);
    const token = linkToken(await waitForMail(mailApi(), email, { subject: "Confirm your email" }));
    const verified = await call("/v1/auth/signup/verify", { method: "POST", json: { token } });
    expect(verified.status).toBe(201);
    expect(await verified.json()).toMatchObject({
      user: { email, role: "owner" },
      tenant: { name: "Someone Else Co" },
    });
    await expectProblem(
      await call("/v1/auth/signup/verify", { method: "POST", json: { token } }),
      410,
      "link_unusable",
    );
  });

  it("lets an unverified sign-up block nobody: the real owner of the address verifies first", async () => {
    const email = uniqueEmail("ceo");
    // A squatter asks first but cannot open the mailbox.
    expect((await askSignUp(email, "Squatter Inc")).status).toBe(202);
    expect((await askSignUp(email, "The Real Chain")).status).toBe(202);
    // Mail goes out after each response, so the two may arrive in either order: tell them apart
    // by the company each names.
    await waitForMail(mailApi(), email, { subject: "Confirm your email", count: 2 });
    const confirmations = await mailFor(mailApi(), email);
    const linkFor = (company: string) => {
      const mail = confirmations.find((m) => m.text.includes(`for ${company} with this address`));
      if (!mail) throw new Error(`no confirmation naming ${company}`);
      return linkToken(mail);
    };
    const squatterLink = linkFor("Squatter Inc");
    const realLink = linkFor("The Real Chain");
    const real = await call("/v1/auth/signup/verify", { method: "POST", json: { token: realLink } });
    expect(real.status).toBe(201);
    expect(await real.json()).toMatchObject({ tenant: { name: "The Real Chain" } });
    // The earlier one can no longer make a second account for the address.
    await expectProblem(
      await call("/v1/auth/signup/verify", { method: "POST", json: { token: squatterLink } }),
      409,
      "email_taken",
    );
  });

  it("lets an unverified sign-up lapse after 24 hours", async () => {
    const email = uniqueEmail("lapsed");
    expect((await askSignUp(email)).status).toBe(202);
    const token = linkToken(await waitForMail(mailApi(), email, { subject: "Confirm your email" }));
    await asOwner(
      sql`UPDATE pending_signups SET expires_at = now() - interval '1 second' WHERE lower(email) = ${email}`,
    );
    await expectProblem(
      await call("/v1/auth/signup/verify", { method: "POST", json: { token } }),
      410,
      "link_unusable",
    );
    const hours = (await asOwner(
      sql`SELECT 1 FROM pending_signups WHERE lower(email) = ${email}`,
    )) as unknown[];
    expect(hours).toEqual([]);
  });
});

describe("invites", () => {
  it("answer alike for an address with an account in another tenant and a new one; the link goes by email", async () => {
    const elsewhere = await signUp("Other Chain");
    const owner = await signUp("Inviting Co");
    const invite = (email: string) =>
      asUser(owner, "/v1/invites", { method: "POST", json: { email, role: "viewer" } });
    const known = await invite(elsewhere.email);
    const fresh = uniqueEmail("new-hire");
    const unknown = await invite(fresh);
    expect(known.status).toBe(201);
    expect(unknown.status).toBe(201);
    const [knownBody, unknownBody] = [
      (await known.json()) as { invite: Record<string, unknown>; emailSent: boolean },
      (await unknown.json()) as { invite: Record<string, unknown>; emailSent: boolean },
    ];
    expect(Object.keys(knownBody).sort()).toEqual(Object.keys(unknownBody).sort());
    expect(Object.keys(knownBody.invite).sort()).toEqual(Object.keys(unknownBody.invite).sort());
    expect(JSON.stringify(knownBody)).not.toMatch(/token/);
    // Only the invitee's mailbox gets the link; accepting it is how the address is proven.
    const token = await inviteToken(fresh);
    const accepted = await call("/v1/auth/invites/accept", {
      method: "POST",
      headers: freshIp(),
      json: { token, password: PASSWORD },
    });
    expect(accepted.status).toBe(201);
    await inviteToken(elsewhere.email);
  });
});
