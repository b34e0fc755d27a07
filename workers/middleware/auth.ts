/**
 * Authentication and scope checks.
 *
 * `authenticate` accepts `Authorization: Bearer prep_live_…|prep_test_…`, applies the key's
 * rate limit (429) and sets the request's principal; `requireScope` and `requireAnyScope`
 * answer 403 when the principal holds none of the scopes a route accepts. Every
 * authentication failure is a 401 problem that says what to fix, never which keys exist.
 *
 * Without an Authorization header, the web app's session cookie authenticates instead
 * (session-auth.ts: the user's role gives the scopes; CSRF checks apply). A request with both
 * is judged by its key alone, so API clients behave exactly as before.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { forbiddenScope, Problem, unauthorized } from "../http/problem";
import type { Role } from "../services/roles";
import { hasSessionCookie } from "../services/sessions";
import { sessionPrincipal } from "./session-auth";

/** The limiter's window (wrangler.toml `[[ratelimits]]` period). */
const RATE_LIMIT_PERIOD_SECONDS = 10;

export interface Principal {
  tenantId: string;
  /** Who acts, as recorded in audit entries and acknowledgements: the API key's id, or the signed-in user's id. */
  actorId: string;
  scopes: ReadonlySet<string>;
  mode: "live" | "test";
  /** Sessions only: the signed-in user and their role. */
  userId?: string;
  /** Sessions only: the user_sessions row this request came with. */
  sessionId?: string;
  role?: Role;
  /** The facility ids this principal may touch; null or absent = all of the tenant's. */
  locations?: ReadonlySet<string> | null;
  /** API keys only: when the key expires (RFC 3339), null when it does not. */
  keyExpiresAt?: string | null;
}

const REASONS = {
  malformed: "The API key is malformed. Keys look like prep_live_… or prep_test_….",
  unknown: "The API key is not valid.",
  revoked: "The API key has been revoked. Create a new key.",
  wrong_mode:
    "This key's mode does not match this deployment: use a prep_live_ key in production and prep_test_ elsewhere.",
} as const;

export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization");
  if (!header && hasSessionCookie(c)) {
    const principal = await sessionPrincipal(c);
    await enforceRateLimit(c.env.API_RATE_LIMIT, principal.actorId, "This account");
    c.set("principal", principal);
    return next();
  }
  if (!header) throw unauthorized("Send an API key: Authorization: Bearer prep_live_….");
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw unauthorized("The Authorization header must be: Bearer <API key>.");
  const services = c.get("services");
  const result = await services.apiKeys.verify(match[1], c.env.API_KEY_MODE, services.db);
  if (!result.ok)
    throw unauthorized(
      result.reason === "expired"
        ? `The API key expired at ${result.expiresAt}. Create a new key.`
        : REASONS[result.reason],
    );
  await enforceRateLimit(c.env.API_RATE_LIMIT, result.key.id, "This API key");
  c.set("principal", {
    tenantId: result.key.tenantId,
    actorId: result.key.id,
    scopes: new Set(result.key.scopes),
    mode: result.key.mode,
    keyExpiresAt: result.key.expiresAt,
  });
  await next();
});

/** 429 when `key` is over the limiter's budget; also the partner API's per-partner and per-grant limits. */
export async function enforceRateLimit(limiter: RateLimit, key: string, who: string): Promise<void> {
  const { success } = await limiter.limit({ key });
  if (!success) {
    throw new Problem({
      status: 429,
      code: "rate_limited",
      title: "Too many requests",
      detail: `${who} sent more requests than its limit allows. Retry after ${RATE_LIMIT_PERIOD_SECONDS} seconds.`,
      headers: { "retry-after": String(RATE_LIMIT_PERIOD_SECONDS) },
    });
  }
}

/**
 * 403 unless the principal holds at least one of `scopes`; the problem names the first, so
 * list the narrowest scope that suffices first (e.g. `checks:read` before `checks:write`).
 */
export const requireAnyScope = (...scopes: [string, ...string[]]) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const principal = c.get("principal");
    if (!scopes.some((scope) => principal.scopes.has(scope))) throw forbiddenScope(scopes[0], principal.role);
    await next();
  });

/** 403 unless the principal holds `scope`. */
export const requireScope = (scope: string) => requireAnyScope(scope);
