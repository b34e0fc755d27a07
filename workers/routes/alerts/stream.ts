/**
 * GET /v1/alerts/stream — a WebSocket pushing each new alert of the tenant as it happens,
 * from its TenantObject. Scope `alerts:read`; a manager gets only their locations' alerts.
 *
 * Browsers cannot set headers on a WebSocket, so the key may also come as a subprotocol
 * entry `bearer.<key>` (offer `prep.alerts.v1` beside it; the server answers with that one)
 * or as `?access_token=<key>` (last resort: URLs end up in logs).
 *
 * The socket ends with its credential (docs/tenant-object.md, "Streams end with their
 * credential"): the object is told who opened it, until when (a session's expiry) and what
 * it may see, and closes it on revocation, removal, a role change or expiry (a session's or a
 * key's).
 */
import { createMiddleware } from "hono/factory";
import { describeRoute } from "hono-openapi";
import { STREAM_GRANT_HEADER, type StreamGrant } from "../../../durable-objects/live-alerts";
import type { AppEnv } from "../../context";
import { problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { authenticate, requireScope } from "../../middleware/auth";
import { readSession } from "../../services/sessions";
import type { App } from "../index";
import { visibleFacilities } from "./shared";

const BEARER_PROTOCOL = /^bearer\.(\S+)$/;

/** Lets the stream's key arrive where a browser can put it; an Authorization header wins. */
const keyFromWebSocketHandshake = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.req.header("authorization")) {
    const fromProtocol = (c.req.header("sec-websocket-protocol") ?? "")
      .split(",")
      .map((entry) => BEARER_PROTOCOL.exec(entry.trim())?.[1])
      .find((key) => key !== undefined);
    const key = fromProtocol ?? c.req.query("access_token");
    if (key) {
      const headers = new Headers(c.req.raw.headers);
      headers.set("authorization", `Bearer ${key}`);
      c.req.raw = new Request(c.req.raw, { headers });
    }
  }
  await next();
});

export function registerAlertStream(app: App): void {
  app.get(
    "/v1/alerts/stream",
    describeRoute({
      tags: ["Alerts"],
      summary: "Live alerts over a WebSocket",
      description:
        'Upgrade with `Upgrade: websocket`. Authenticate with `Authorization: Bearer <key>`, or from a browser with the subprotocols `["prep.alerts.v1", "bearer.<key>"]`, or `?access_token=<key>`. Each alert arrives as `{"type":"alert","alert":{…}}`; send "ping" to get "pong".',
      responses: {
        101: { description: "Switching to the WebSocket protocol" },
        ...problemResponses(401, 403),
        426: { description: "Not a WebSocket upgrade" },
      },
    }),
    keyFromWebSocketHandshake,
    authenticate,
    requireScope("alerts:read"),
    async (c) => {
      if (c.req.header("upgrade")?.toLowerCase() !== "websocket") {
        throw new Problem({
          status: 426,
          code: "upgrade_required",
          title: "Upgrade required",
          detail: "This endpoint is a WebSocket: connect with Upgrade: websocket.",
          headers: { upgrade: "websocket", connection: "Upgrade" },
        });
      }
      const principal = c.get("principal");
      const session = principal.userId ? await readSession(c) : null;
      const grant: StreamGrant = {
        tenantId: principal.tenantId,
        actorId: principal.actorId,
        kind: principal.userId ? "session" : "key",
        role: principal.role ?? null,
        // A session's expiry, or the key's: the object closes the socket then (4401 expired).
        expiresMs: session?.expiresMs ?? (principal.keyExpiresAt ? Date.parse(principal.keyExpiresAt) : null),
        sessionId: principal.sessionId ?? null,
        facilityIds: visibleFacilities(principal) ?? null,
      };
      // Set here, whatever the client sent: the object trusts this header.
      const headers = new Headers(c.req.raw.headers);
      headers.set(STREAM_GRANT_HEADER, JSON.stringify(grant));
      const upgrade = await c
        .get("services")
        .tenant(principal.tenantId)
        .fetch(new Request(c.req.raw, { headers }));
      // The object's response has immutable headers; the app's middleware adds its own.
      return new Response(upgrade.body, {
        status: upgrade.status,
        headers: upgrade.headers,
        webSocket: upgrade.webSocket,
      });
    },
  );
}
