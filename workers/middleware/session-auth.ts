/**
 * The session-cookie half of `authenticate`: the web app's requests carry no API key but a
 * signed session cookie. A valid cookie whose session row is still active (not signed out,
 * revoked or expired: user_sessions) yields a Principal with the user's current role, scopes
 * and (for managers) locations, read fresh from the database on every request, in the same
 * transaction as the session check.
 *
 * CSRF: a cookie-authenticated request with an unsafe method must echo the session's CSRF
 * token in `X-CSRF-Token`, and any request that names an `Origin` (browsers do on every
 * cross-origin request and WebSocket handshake) must name this one.
 */
import type { Context } from "hono";
import { withTenant } from "../../db/client";
import { isSessionActive } from "../../db/sessions";
import { loadUserAccess } from "../../db/users";
import type { AppEnv } from "../context";
import { Problem, unauthorized } from "../http/problem";
import { ROLE_SCOPES } from "../services/roles";
import { CSRF_HEADER, readSession, type SessionClaims } from "../services/sessions";
import type { Principal } from "./auth";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

const csrfFailed = (detail: string) =>
  new Problem({ status: 403, code: "csrf_failed", title: "Forbidden", detail });

function constantTimeEqual(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

function checkCsrf(c: Context<AppEnv>, session: SessionClaims): void {
  const origin = c.req.header("origin");
  if (origin && origin !== new URL(c.req.url).origin) {
    throw csrfFailed(
      `Requests from ${origin} may not use this site's session. Call the API with an API key instead.`,
    );
  }
  if (SAFE_METHODS.has(c.req.method)) return;
  const token = c.req.header(CSRF_HEADER) ?? "";
  if (!constantTimeEqual(token, session.csrf)) {
    throw csrfFailed(
      "Missing or invalid CSRF token: send the X-CSRF-Token header with the csrfToken from GET /v1/session.",
    );
  }
}

export async function sessionPrincipal(c: Context<AppEnv>): Promise<Principal> {
  const session = await readSession(c);
  if (!session) throw unauthorized("Your session has expired or is not valid. Sign in again.");
  checkCsrf(c, session);
  const user = await withTenant(c.get("services").db(), session.tenantId, async (tx) =>
    (await isSessionActive(tx, session.sessionId, session.userId))
      ? loadUserAccess(tx, session.userId)
      : "ended",
  );
  if (user === "ended")
    throw unauthorized("This session has ended (signed out, revoked or expired). Sign in again.");
  if (!user) throw unauthorized("This account no longer exists. Sign in again.");
  return {
    tenantId: session.tenantId,
    actorId: user.id,
    userId: user.id,
    sessionId: session.sessionId,
    role: user.role,
    scopes: new Set(ROLE_SCOPES[user.role]),
    mode: c.env.API_KEY_MODE,
    locations: user.facilityIds === null ? null : new Set(user.facilityIds),
  };
}
