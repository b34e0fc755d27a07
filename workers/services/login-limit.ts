/**
 * Limits password guessing: sign-in, sign-up and invite acceptance attempts per email (or
 * purpose) and client IP, through the LOGIN_RATE_LIMIT Workers Rate Limiting binding
 * (wrangler.toml). Over the limit: 429 with Retry-After, before any password is hashed.
 */
import type { Context } from "hono";
import type { AppEnv } from "../context";
import { Problem } from "../http/problem";

/** The binding's window (wrangler.toml `LOGIN_RATE_LIMIT` period). */
const PERIOD_SECONDS = 60;

export async function limitLoginAttempts(c: Context<AppEnv>, subject: string): Promise<void> {
  const ip = c.req.header("cf-connecting-ip") ?? "unknown";
  const { success } = await c.env.LOGIN_RATE_LIMIT.limit({ key: `${subject}|${ip}` });
  if (!success) {
    throw new Problem({
      status: 429,
      code: "rate_limited",
      title: "Too many attempts",
      detail: `Too many attempts for this account from your network. Wait ${PERIOD_SECONDS} seconds and try again.`,
      headers: { "retry-after": String(PERIOD_SECONDS) },
    });
  }
}
