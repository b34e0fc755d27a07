/**
 * First middleware on every request: a request id (echoed as `x-request-id`, reused from a
 * well-formed incoming header), the request's services, disposed after the response, and the
 * request's operational metric (runtime/metrics.ts), written after the response.
 */
import { createMiddleware } from "hono/factory";
import { deferMetric, metricsFor } from "../../runtime/metrics";
import type { AppEnv } from "../context";
import { buildServices } from "../services/services";

const INCOMING_ID = /^[A-Za-z0-9._:-]{8,128}$/;

export const requestContext = createMiddleware<AppEnv>(async (c, next) => {
  const incoming = c.req.header("x-request-id");
  const requestId =
    incoming && INCOMING_ID.test(incoming) ? incoming : `req_${crypto.randomUUID().replaceAll("-", "")}`;
  c.set("requestId", requestId);
  const started = performance.now();
  const waitUntil = (work: Promise<unknown>) => {
    try {
      c.executionCtx.waitUntil(work);
    } catch {
      // No execution context (app.request in unit tests): the promise still runs.
    }
  };
  const services = buildServices(c.env, waitUntil);
  c.set("services", services);
  try {
    await next();
  } finally {
    // On the response's own headers, as secureHeaders does: c.header() on a finished response
    // makes Hono build the whole Response again (body and headers) just to add one header.
    c.res.headers.set("x-request-id", requestId);
    const disposing = services.dispose();
    if (disposing) waitUntil(disposing);
    const labels = c.get("metricLabels");
    deferMetric(
      metricsFor(c.env),
      {
        kind: "request",
        // The matched route's pattern (bounded cardinality), not the path with its ids.
        route: c.req.routePath,
        method: c.req.method,
        status: c.res.status,
        latencyMs: performance.now() - started,
        tenant: c.get("principal")?.tenantId ?? "",
        state: labels?.state ?? "",
        plan: labels?.plan ?? "",
        region: String((c.req.raw as { cf?: { colo?: unknown } }).cf?.colo ?? ""),
      },
      waitUntil,
    );
  }
});
