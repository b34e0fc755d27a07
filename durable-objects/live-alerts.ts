/**
 * The live alert stream: hibernatable WebSockets held by the tenant object. The Worker has
 * already authenticated the upgrade and picked the tenant; this side accepts the socket
 * and pushes each new alert to every connected client as `{"type":"alert","alert":{…}}`.
 */
import type { Alert } from "./contract";

/** The subprotocol the server answers with; clients offer it beside `bearer.<key>`. */
export const ALERT_STREAM_PROTOCOL = "prep.alerts.v1";
/**
 * Set by the Worker (never taken from the client): a JSON array of the facility ids a
 * location-limited principal may see; absent = all.
 */
export const STREAM_FACILITIES_HEADER = "x-prep-stream-facilities";
const KEEPALIVE = { request: "ping", response: "pong" } as const;

interface StreamAttachment {
  facilityIds: string[] | null;
}

export function acceptAlertStream(ctx: DurableObjectState, request: Request): Response {
  const { 0: client, 1: server } = new WebSocketPair();
  ctx.acceptWebSocket(server);
  const limited = request.headers.get(STREAM_FACILITIES_HEADER);
  // Survives hibernation with the socket.
  server.serializeAttachment({
    facilityIds: limited ? (JSON.parse(limited) as string[]) : null,
  } satisfies StreamAttachment);
  // Answered without waking a hibernated object.
  ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(KEEPALIVE.request, KEEPALIVE.response));
  const offered = (request.headers.get("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
  // A browser offering subprotocols needs one chosen back; never echo the bearer entry.
  const headers: HeadersInit = offered.includes(ALERT_STREAM_PROTOCOL)
    ? { "sec-websocket-protocol": ALERT_STREAM_PROTOCOL }
    : {};
  return new Response(null, { status: 101, webSocket: client, headers });
}

export function broadcastAlert(ctx: DurableObjectState, alert: Alert): void {
  const message = JSON.stringify({ type: "alert", alert });
  for (const socket of ctx.getWebSockets()) {
    const { facilityIds } = socket.deserializeAttachment() as StreamAttachment;
    if (facilityIds && !facilityIds.includes(alert.facilityId)) continue;
    try {
      socket.send(message);
    } catch {
      // A socket closing concurrently; its close handler cleans up.
    }
  }
}

/** The stream is one-way; anything but the keepalive gets a short explanation. */
export function answerClientMessage(socket: WebSocket): void {
  socket.send(
    JSON.stringify({
      type: "error",
      detail: `This stream only sends alerts; send "${KEEPALIVE.request}" to keep it alive.`,
    }),
  );
}

export function closeAlertStream(socket: WebSocket, code: number, reason: string): void {
  try {
    // 1005/1006 are reserved: they can be received but not sent.
    socket.close(code === 1005 || code === 1006 ? 1000 : code, reason);
  } catch {
    // Already closed.
  }
}
