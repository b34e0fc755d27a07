/**
 * Alerts: each drift event of a tenant's facilities (a verdict that changed), from its
 * TenantObject.
 *
 * A principal limited to some locations (a manager) sees and acknowledges only their alerts.
 *
 * - GET  /v1/alerts           list, newest first (`alerts:read`), cursor pagination
 * - POST /v1/alerts/{id}/ack  acknowledge (`alerts:write`)
 * - GET  /v1/alerts/stream    WebSocket pushing each new alert as it happens (`alerts:read`).
 *   Browsers cannot set headers on a WebSocket, so the key may also come as a subprotocol
 *   entry `bearer.<key>` (offer `prep.alerts.v1` beside it; the server answers with that
 *   one) or as `?access_token=<key>` (last resort: URLs end up in logs).
 */
import { createMiddleware } from "hono/factory";
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { STREAM_FACILITIES_HEADER } from "../../../durable-objects/live-alerts";
import type { AppEnv } from "../../context";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound, Problem } from "../../http/problem";
import { paginationQuery } from "../../http/schemas";
import { validate } from "../../http/validation";
import { authenticate, type Principal, requireScope } from "../../middleware/auth";
import type { App } from "../index";

const STATUSES = ["compliant", "at_risk", "non_compliant"] as const;
const ALERT_ID = /^alr_[0-9A-Z]{26}$/;
const BEARER_PROTOCOL = /^bearer\.(\S+)$/;

const AlertIdParams = v.object({ id: v.pipe(v.string(), v.regex(ALERT_ID, "must be an alert id (alr_…)")) });

const AlertListQuery = v.object({
  ...paginationQuery("alr", 25),
  facilityId: v.optional(v.pipe(v.string(), v.regex(/^fac_[0-9A-Z]{26}$/, "must be a facility id (fac_…)"))),
  status: v.optional(v.picklist(STATUSES, `must be one of: ${STATUSES.join(", ")}`)),
  acknowledged: v.optional(
    v.pipe(
      v.picklist(["true", "false"], "must be true or false"),
      v.transform((flag) => flag === "true"),
    ),
  ),
});

const SubjectSchema = v.nullable(v.object({ kind: v.string(), id: v.string() }));
const AlertSchema = v.object({
  id: v.string(),
  facilityId: v.string(),
  facilityName: v.string(),
  cause: v.string(),
  reason: v.nullable(v.string()),
  detectedAt: v.string(),
  previousVerdictAt: v.string(),
  previousStatus: v.picklist(STATUSES),
  status: v.picklist(STATUSES),
  changes: v.array(
    v.object({
      ruleId: v.string(),
      citation: v.string(),
      subject: SubjectSchema,
      from: v.nullable(v.string()),
      to: v.nullable(v.string()),
    }),
  ),
  acknowledgedAt: v.nullable(v.string()),
  acknowledgedBy: v.nullable(v.string()),
});

/** The facilities a location-limited principal may see alerts of; undefined = all. */
const visibleFacilities = (principal: Principal) =>
  principal.locations ? [...principal.locations] : undefined;

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

export function registerAlerts(app: App): void {
  app.get(
    "/v1/alerts",
    describeRoute({
      tags: ["Alerts"],
      summary: "List alerts (facility verdicts that changed), newest first",
      responses: {
        200: jsonResponse(
          "A page of alerts",
          v.object({ data: v.array(AlertSchema), nextCursor: v.nullable(v.string()) }),
        ),
        ...problemResponses(401, 403, 422),
      },
    }),
    authenticate,
    requireScope("alerts:read"),
    validate("query", AlertListQuery),
    async (c) => {
      const principal = c.get("principal");
      const tenant = c.get("services").tenant(principal.tenantId);
      return c.json(
        await tenant.listAlerts({ ...c.req.valid("query"), facilityIds: visibleFacilities(principal) }),
      );
    },
  );

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
      // Set here, whatever the client sent: the object trusts this header.
      const headers = new Headers(c.req.raw.headers);
      const facilityIds = visibleFacilities(principal);
      if (facilityIds) headers.set(STREAM_FACILITIES_HEADER, JSON.stringify(facilityIds));
      else headers.delete(STREAM_FACILITIES_HEADER);
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

  app.post(
    "/v1/alerts/:id/ack",
    describeRoute({
      tags: ["Alerts"],
      summary: "Acknowledge an alert",
      responses: {
        200: jsonResponse("The acknowledged alert", AlertSchema),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticate,
    requireScope("alerts:write"),
    validate("param", AlertIdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const principal = c.get("principal");
      const tenant = c.get("services").tenant(principal.tenantId);
      const alert = await tenant.acknowledgeAlert(id, principal.actorId, visibleFacilities(principal));
      if (!alert) throw notFound(`Alert ${id}`);
      return c.json(alert);
    },
  );
}
