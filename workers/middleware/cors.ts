/**
 * CORS for the API: any origin, no credentials (SECURITY.md). The API authenticates with
 * bearer keys, never cookies; the web app's cookie-authenticated calls are same-origin.
 *
 * Preflights are Hono's `cors()`. Other requests get their headers on the final response:
 * `cors()` writes them before the handler runs, which makes Hono build a placeholder response
 * and copy every header into the real one afterwards, a cost the check hot path notices
 * (docs/performance.md).
 */
import { cors } from "hono/cors";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";

const EXPOSED_HEADERS = ["X-Request-Id", "Retry-After", "Idempotent-Replayed", "Location"];

const preflight = cors({
  origin: "*",
  allowHeaders: ["Authorization", "Content-Type", "Idempotency-Key", "X-Request-Id"],
  allowMethods: ["GET", "POST", "PATCH", "DELETE", "OPTIONS"],
  exposeHeaders: EXPOSED_HEADERS,
  maxAge: 600,
});

const exposed = EXPOSED_HEADERS.join(",");

export const apiCors = createMiddleware<AppEnv>(async (c, next) => {
  if (c.req.method === "OPTIONS") return preflight(c, next);
  await next();
  c.res.headers.set("access-control-allow-origin", "*");
  c.res.headers.set("access-control-expose-headers", exposed);
});
