/**
 * Web sessions: a jose-signed JWT (HS256, SESSION_SECRET) in an HttpOnly, Secure,
 * SameSite=Strict `__Host-` cookie naming the user, the tenant and a server-side session
 * row (user_sessions, `sid`). The row decides whether the cookie still counts: sign-out, a
 * password change or reset and an owner's revocation end it at once, and it expires after
 * 12 hours whatever the cookie says. Role and locations are read fresh on every request.
 *
 * Each session carries a random CSRF token (the `csrf` claim). The app receives it in the
 * session response and echoes it in `X-CSRF-Token` on every state-changing request; a page
 * on another site can neither read it nor make the browser send that header.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { errors, jwtVerify, SignJWT } from "jose";
import { withTenant } from "../../db/client";
import { insertSession } from "../../db/sessions";
import type { AppEnv } from "../context";
import { serviceUnavailable } from "../http/problem";

export const SESSION_COOKIE = "prep_session";
/**
 * A readable companion cookie holding no secret: it only tells the app a session may exist,
 * so a signed-out visit does not start with a failing GET /v1/session.
 */
const HINT_COOKIE = "prep_signed_in";
export const CSRF_HEADER = "x-csrf-token";
const SESSION_SECONDS = 12 * 60 * 60;
const ISSUER = "prep";
const AUDIENCE = "prep-web";

export interface SessionClaims {
  /** The user_sessions row. */
  sessionId: string;
  userId: string;
  tenantId: string;
  csrf: string;
  /** When the session expires (epoch ms); set by `readSession` (the alert stream closes then). */
  expiresMs?: number;
}

function secretKey(c: Context<AppEnv>): Uint8Array {
  const secret = c.env.SESSION_SECRET;
  if (!secret || secret.length < 32) {
    // Refuse rather than sign with something guessable; RUNBOOK.md says how to set it.
    console.error(
      JSON.stringify({ level: "error", message: "SESSION_SECRET is missing or shorter than 32 characters" }),
    );
    throw serviceUnavailable(
      "Sign-in is not configured on this deployment (SESSION_SECRET). Use an API key or contact support.",
    );
  }
  return new TextEncoder().encode(secret);
}

function randomToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/**
 * Records a new session, signs its cookie and returns its claims (the CSRF token included).
 * The key is checked first, so a deployment without one stores nothing.
 */
export async function startSession(
  c: Context<AppEnv>,
  user: { userId: string; tenantId: string },
): Promise<SessionClaims> {
  const key = secretKey(c);
  const expiresMs = Date.now() + SESSION_SECONDS * 1000;
  const sessionId = await withTenant(c.get("services").db(), user.tenantId, (tx) =>
    insertSession(tx, {
      ...user,
      expiresAt: new Date(expiresMs),
      userAgent: c.req.header("user-agent") ?? null,
      createdIp: c.req.header("cf-connecting-ip") ?? null,
    }),
  );
  const claims = { ...user, sessionId, csrf: randomToken(), expiresMs };
  const token = await new SignJWT({ tid: claims.tenantId, sid: sessionId, csrf: claims.csrf })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(Math.floor(expiresMs / 1000))
    .sign(key);
  setCookie(c, SESSION_COOKIE, token, {
    prefix: "host",
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/",
    maxAge: SESSION_SECONDS,
  });
  setCookie(c, HINT_COOKIE, "1", { secure: true, sameSite: "Strict", path: "/", maxAge: SESSION_SECONDS });
  return claims;
}

/** Clears the cookies (the caller revokes the session row). */
export function clearSessionCookies(c: Context<AppEnv>): void {
  deleteCookie(c, SESSION_COOKIE, {
    prefix: "host",
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/",
  });
  deleteCookie(c, HINT_COOKIE, { secure: true, sameSite: "Strict", path: "/" });
}

export function hasSessionCookie(c: Context<AppEnv>): boolean {
  return getCookie(c, SESSION_COOKIE, "host") !== undefined;
}

/**
 * The cookie's verified claims; null when it is missing, forged, expired or malformed (a
 * cookie from before server-side sessions has no `sid`). Whether its session row is still
 * active is the caller's question (session-auth.ts asks on every request).
 */
export async function readSession(c: Context<AppEnv>): Promise<SessionClaims | null> {
  const token = getCookie(c, SESSION_COOKIE, "host");
  if (!token) return null;
  try {
    const { payload } = await jwtVerify(token, secretKey(c), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ["HS256"],
    });
    if (
      typeof payload.sub !== "string" ||
      typeof payload.tid !== "string" ||
      typeof payload.sid !== "string" ||
      typeof payload.csrf !== "string"
    )
      return null;
    return {
      sessionId: payload.sid,
      userId: payload.sub,
      tenantId: payload.tid,
      csrf: payload.csrf,
      ...(typeof payload.exp === "number" ? { expiresMs: payload.exp * 1000 } : {}),
    };
  } catch (error) {
    if (error instanceof errors.JOSEError) return null;
    throw error;
  }
}
