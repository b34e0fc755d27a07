// Password attempts are limited per client IP across emails, and per email (or invite)
// across IPs, before any password is hashed (workers/services/login-limit.ts). The limits
// here are the test bindings' (vitest.config.ts), lower than production's (wrangler.toml).
import { describe, expect, it } from "vitest";
import { call, expectProblem } from "../../../test/helpers";
import { asUser, inviteToken, PASSWORD, signUp, uniqueEmail } from "../../../test/sessions";
import { clientNetwork } from "../../services/login-limit";

/** vitest.config.ts: LOGIN_IP_RATE_LIMIT, per client IP across every email and route. */
const IP_LIMIT = 15;
/** vitest.config.ts: LOGIN_ACCOUNT_RATE_LIMIT, per email (or invite) across every IP. */
const ACCOUNT_LIMIT = 12;

const post = (path: string, ip: string, json: unknown) =>
  call(path, { method: "POST", json, headers: { "cf-connecting-ip": ip } });
const signIn = (ip: string, email: string, password = "not the password at all") =>
  post("/v1/auth/signin", ip, { email, password });

let network = 0;
/** Addresses no other test file uses (the benchmarking range 198.18.0.0/15), fresh per call. */
const freshIp = () => `198.18.${Math.floor(++network / 250)}.${(network % 250) + 1}`;

/**
 * Runs `attempts` (which must use fresh addresses and emails on each run) so that they fall
 * in one rate-limit window: Miniflare's windows are wall-clock minutes, so a run that spans
 * a rollover starts again with new counters, once.
 */
async function inOneWindow<T>(attempts: () => Promise<T>): Promise<T> {
  const windowOf = () => Math.floor(Date.now() / 60_000);
  for (let run = 0; ; run++) {
    const started = windowOf();
    const result = await attempts();
    if (windowOf() === started || run > 0) return result;
  }
}

async function expectLimited(response: Response) {
  await expectProblem(response, 429, "rate_limited");
  expect(response.headers.get("retry-after")).toBe("60");
}

describe("login limits across emails and addresses", () => {
  it("refuses one IP trying many emails, then even the right password, and its sign-ups", {
    timeout: 90_000,
  }, async () => {
    const owner = await signUp();
    const { sprayed, rightPassword, signUpAttempt } = await inOneWindow(async () => {
      const ip = freshIp();
      const sprayed: Response[] = [];
      // 21 different emails from one address, each under every per-email limit.
      for (let i = 0; i < IP_LIMIT + 6; i++) sprayed.push(await signIn(ip, uniqueEmail("sprayed")));
      return {
        sprayed,
        rightPassword: await signIn(ip, owner.email, PASSWORD),
        signUpAttempt: await post("/v1/auth/signup", ip, {
          companyName: "Spray Co",
          email: uniqueEmail("spray-owner"),
          password: PASSWORD,
        }),
      };
    });
    expect(sprayed.slice(0, IP_LIMIT).map((r) => r.status)).toEqual(Array(IP_LIMIT).fill(401));
    for (const refused of sprayed.slice(IP_LIMIT)) await expectLimited(refused);
    // Refused before the password is looked at: the right one gets the same 429, no cookie.
    await expectLimited(rightPassword);
    expect(rightPassword.headers.getSetCookie()).toEqual([]);
    // The budget is the address's, whichever route hashes a password.
    await expectLimited(signUpAttempt);
    // The owner, elsewhere, is not locked out by that address's spraying.
    expect((await signIn(freshIp(), owner.email, PASSWORD)).status).toBe(200);
  });

  it("refuses many IPs trying one email, then even the right password, and its sign-up", {
    timeout: 90_000,
  }, async () => {
    const { guesses, rightPassword, signUpAgain } = await inOneWindow(async () => {
      // The sign-up is the account's first attempt.
      const owner = await signUp();
      const guesses: Response[] = [];
      for (let i = 1; i < ACCOUNT_LIMIT; i++) guesses.push(await signIn(freshIp(), owner.email));
      return {
        guesses,
        rightPassword: await signIn(freshIp(), owner.email, PASSWORD),
        signUpAgain: await post("/v1/auth/signup", freshIp(), {
          companyName: "Again Co",
          email: owner.email,
          password: PASSWORD,
        }),
      };
    });
    // Every guess came from its own address, so no per-address limit was near.
    expect(guesses.map((r) => r.status)).toEqual(Array(ACCOUNT_LIMIT - 1).fill(401));
    await expectLimited(rightPassword);
    expect(rightPassword.headers.getSetCookie()).toEqual([]);
    await expectLimited(signUpAgain);
    // Other accounts, from the same kind of addresses, carry on.
    expect((await signIn(freshIp(), uniqueEmail("bystander"))).status).toBe(401);
  });

  it("refuses many IPs trying one invite link", { timeout: 90_000 }, async () => {
    const owner = await signUp();
    const statuses = await inOneWindow(async () => {
      const email = uniqueEmail("invitee");
      await asUser(owner, "/v1/invites", { method: "POST", json: { email, role: "viewer" } });
      const token = await inviteToken(email);
      const answers: Response[] = [];
      for (let i = 0; i <= ACCOUNT_LIMIT; i++)
        answers.push(await post("/v1/auth/invites/accept", freshIp(), { token, password: PASSWORD }));
      return answers;
    });
    // Accepted once, then "already used" (each still a password hash), then refused unhashed.
    expect(statuses.slice(0, ACCOUNT_LIMIT).map((r) => r.status)).toEqual([
      201,
      ...Array(ACCOUNT_LIMIT - 1).fill(410),
    ]);
    await expectLimited(statuses[ACCOUNT_LIMIT] as Response);
  });
});

describe("the client address a limit counts", () => {
  it("is the IPv4 address, or an IPv6 address's /64", () => {
    expect(clientNetwork("203.0.113.9")).toBe("203.0.113.9");
    expect(clientNetwork(undefined)).toBe("unknown");
    expect(clientNetwork("2001:db8:1:2:3:4:5:6")).toBe("2001:db8:1:2::/64");
    expect(clientNetwork("2001:DB8:0001:0002::ffff")).toBe("2001:db8:1:2::/64");
    expect(clientNetwork("2001:db8:1:2::")).toBe("2001:db8:1:2::/64");
    expect(clientNetwork("2001:db8::1")).toBe("2001:db8:0:0::/64");
    expect(clientNetwork("::1")).toBe("0:0:0:0::/64");
    expect(clientNetwork("::ffff:192.0.2.1")).toBe("192.0.2.1");
    expect(clientNetwork("fe80::1%eth0")).toBe("fe80:0:0:0::/64");
    // Not an address Cloudflare would send: kept whole, so it cannot merge with others.
    expect(clientNetwork("2001:db8::1::2")).toBe("2001:db8::1::2");
    expect(clientNetwork("not:an:address")).toBe("not:an:address");
  });
});
