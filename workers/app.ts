/**
 * The Hono application: cross-cutting middleware, every route, the OpenAPI document and the
 * error handling that turns every failure into an RFC 9457 problem.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { secureHeaders } from "hono/secure-headers";
import { DatabaseUnavailableError } from "../db/client";
import type { AppEnv } from "./context";
import { Problem, problemResponse } from "./http/problem";
import { apiCors } from "./middleware/cors";
import { requestContext } from "./middleware/request-context";
import { registerRoutes } from "./routes";

export const MAX_BODY_BYTES = 1024 * 1024;

/** Powerful browser features no page of ours uses; web/public/_headers sends the same for the static app. */
const PERMISSIONS_POLICY = {
  accelerometer: [],
  camera: [],
  geolocation: [],
  gyroscope: [],
  magnetometer: [],
  microphone: [],
  payment: [],
  usb: [],
};
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function createApp(): Hono<AppEnv> {
  const app = new Hono<AppEnv>();

  app.use("*", requestContext);
  app.use(
    "*",
    secureHeaders({
      strictTransportSecurity: "max-age=63072000; includeSubDomains; preload",
      xFrameOptions: "DENY",
      referrerPolicy: "no-referrer",
      crossOriginResourcePolicy: "same-origin",
      permissionsPolicy: PERMISSIONS_POLICY,
    }),
  );
  // A response that sets no Content-Security-Policy of its own (everything but /docs) may load
  // nothing and be framed by nothing: the API answers JSON, never pages.
  app.use("*", async (c, next) => {
    await next();
    if (!c.res.headers.has("content-security-policy")) c.res.headers.set("content-security-policy", API_CSP);
  });
  app.use("/v1/*", apiCors);
  app.use(
    "/v1/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new Problem({
          status: 413,
          code: "payload_too_large",
          title: "Payload too large",
          detail: `Request bodies are limited to ${MAX_BODY_BYTES} bytes (1 MiB).`,
        });
      },
    }),
  );

  registerRoutes(app);

  app.notFound((c) =>
    problemResponse(c, {
      status: 404,
      code: "not_found",
      title: "Not found",
      detail: `No route matches ${c.req.method} ${new URL(c.req.url).pathname}. See /docs for the API reference.`,
    }),
  );
  app.onError((error, c) => problemResponse(c, toProblem(error, c.get("requestId"))));
  return app;
}

function toProblem(error: unknown, requestId: string | undefined) {
  if (error instanceof Problem) return error.init;
  if (error instanceof HTTPException) {
    // Hono's own refusals: malformed JSON bodies and the like.
    const malformed = /json/i.test(error.message);
    return {
      status: error.status,
      code: malformed ? "malformed_json" : "bad_request",
      title: malformed ? "Malformed JSON" : "Bad request",
      detail: malformed
        ? "The request body is not valid JSON."
        : error.message || "The request is not valid.",
    } as const;
  }
  if (isConnectionError(error)) {
    console.error(
      JSON.stringify({ level: "error", requestId, message: "database unavailable", error: String(error) }),
    );
    return {
      status: 503,
      code: "service_unavailable",
      title: "Service unavailable",
      detail: "A backing service is unavailable. Retry shortly.",
      headers: { "retry-after": "5" },
    } as const;
  }
  console.error(
    JSON.stringify({
      level: "error",
      requestId,
      message: "unhandled error",
      error: String(error),
      stack: (error as Error)?.stack,
    }),
  );
  return {
    status: 500,
    code: "internal_error",
    title: "Internal server error",
    detail: `Something went wrong on our side. Quote request id ${requestId ?? "unknown"} to support.`,
  } as const;
}

/** True when the error, or any error it wraps (drizzle wraps driver errors), is a lost connection. */
function isConnectionError(error: unknown): boolean {
  // The Neon driver reports a failed WebSocket as an ErrorEvent, which is not an Error.
  let current: unknown = error;
  for (let depth = 0; typeof current === "object" && current !== null && depth < 5; depth++) {
    if (current instanceof DatabaseUnavailableError) return true;
    const message = String((current as { message?: unknown }).message ?? "");
    if (/ECONNREFUSED|WebSocket|connection terminated|Network connection lost|socket/i.test(message))
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}
