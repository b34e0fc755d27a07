/**
 * Limits password guessing and the Worker CPU it costs (each attempt hashes a password:
 * 600,000 PBKDF2 iterations). Sign-in, sign-up and invite acceptance pass three Workers Rate
 * Limiting bindings (wrangler.toml), in this order, before any password is hashed:
 *
 * 1. `LOGIN_IP_RATE_LIMIT` — per client IP (an IPv6 /64 counts as one), across every email
 *    and all three routes: one address cannot spray many accounts.
 * 2. `LOGIN_RATE_LIMIT` — per (email, client IP) for sign-in, per IP for sign-up and for
 *    invite acceptance: one address cannot guess one account at the full IP budget.
 * 3. `LOGIN_ACCOUNT_RATE_LIMIT` — per email across every IP (sign-in and sign-up; an invite
 *    counts as its token): many addresses cannot hammer one account.
 *
 * The first refusal answers 429 with Retry-After; later limiters are then not charged, so
 * an address refused for spraying does not use up its victims' per-account budgets.
 */
import type { Context } from "hono";
import { hashToken } from "../../db/invites";
import type { AppEnv } from "../context";
import { Problem } from "../http/problem";

/** Every login binding's window (wrangler.toml `period`). */
const PERIOD_SECONDS = 60;

/**
 * What an attempt tries: an email (sign-in, sign-up, a reset request, which sends mail), an
 * emailed link's token (invite, password reset), or a signed-in user's password change.
 */
export type LoginAttempt =
  | { route: "signin"; email: string }
  | { route: "signup"; email: string }
  | { route: "reset"; email: string }
  | { route: "invite"; token: string }
  | { route: "reset-link"; token: string }
  | { route: "password"; userId: string };

/**
 * The client's network as Cloudflare reports it. Cloudflare sets `cf-connecting-ip` on every
 * request and overwrites any value a client sends; elsewhere (tests) it may be missing, and
 * all such requests then share one budget. An IPv6 client is counted by its /64, the
 * smallest prefix a site is usually given: it may otherwise pick a fresh address per attempt.
 */
export function clientNetwork(ip: string | undefined): string {
  if (!ip) return "unknown";
  if (!ip.includes(":")) return ip;
  const address = ip.split("%")[0]?.toLowerCase() ?? "";
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (mapped?.[1]) return mapped[1];
  const [head = "", tail, ...rest] = address.split("::");
  if (rest.length > 0) return address;
  const headGroups = head ? head.split(":") : [];
  const tailGroups = tail ? tail.split(":") : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (tail === undefined ? missing !== 0 : missing < 1) return address;
  const groups = [...headGroups, ...Array<string>(missing).fill("0"), ...tailGroups];
  if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return address;
  return `${groups
    .slice(0, 4)
    .map((g) => Number.parseInt(g, 16).toString(16))
    .join(":")}::/64`;
}

const tooMany = (detail: string) =>
  new Problem({
    status: 429,
    code: "rate_limited",
    title: "Too many attempts",
    detail: `${detail} Wait ${PERIOD_SECONDS} seconds and try again.`,
    headers: { "retry-after": String(PERIOD_SECONDS) },
  });

export async function limitLoginAttempts(c: Context<AppEnv>, attempt: LoginAttempt): Promise<void> {
  const ip = clientNetwork(c.req.header("cf-connecting-ip"));

  if (!(await c.env.LOGIN_IP_RATE_LIMIT.limit({ key: `ip|${ip}` })).success)
    throw tooMany("Too many sign-in attempts from your network.");

  // The original keys, unchanged: `<email>|<ip>` for sign-in, `signup|<ip>`, `invite|<ip>`.
  const subject = attempt.route === "signin" ? attempt.email.toLowerCase() : attempt.route;
  if (!(await c.env.LOGIN_RATE_LIMIT.limit({ key: `${subject}|${ip}` })).success)
    throw tooMany("Too many attempts for this account from your network.");

  // A link is keyed by its token's SHA-256, so the secret itself never leaves the Worker.
  const account =
    "token" in attempt
      ? `${attempt.route}|${await hashToken(attempt.token)}`
      : "userId" in attempt
        ? `user|${attempt.userId}`
        : `email|${attempt.email.toLowerCase()}`;
  if (!(await c.env.LOGIN_ACCOUNT_RATE_LIMIT.limit({ key: account })).success)
    throw tooMany("Too many attempts for this account.");
}
