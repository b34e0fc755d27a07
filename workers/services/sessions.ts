/**
 * Web sessions: a jose-signed JWT (HS256, SESSION_SECRET) in an HttpOnly, Secure,
 * SameSite=Strict `__Host-` cookie. The token names the user and tenant only; role and
 * locations are read fresh on every request, so a role change or removal applies at once.
 *
 * Each session carries a random CSRF token (the `csrf` claim). The app receives it in the
 * session response and echoes it in `X-CSRF-Token` on every state-changing request; a page
 * on another site can neither read it nor make the browser send that header.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { errors, jwtVerify, SignJWT } from "jose";
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

/** Signs a new session, sets its cookie and returns its claims (the CSRF token included). */
export async function startSession(
  c: Context<AppEnv>,
  user: { userId: string; tenantId: string },
): Promise<SessionClaims> {
  const claims = { ...user, csrf: randomToken() };
  const token = await new SignJWT({ tid: claims.tenantId, csrf: claims.csrf })
    .setProtectedHeader({ alg: "HS256" })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${SESSION_SECONDS}s`)
    .sign(secretKey(c));
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

export function endSession(c: Context<AppEnv>): void {
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

/** The cookie's verified claims; null when it is missing, forged, expired or malformed. */
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
      typeof payload.csrf !== "string"
    )
      return null;
    return {
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
