/**
 * The live alert stream: hibernatable WebSockets held by the tenant object. The Worker has
 * already authenticated the upgrade and picked the tenant; this side accepts the socket
 * and pushes each new alert to every connected client as `{"type":"alert","alert":{…}}`.
 *
 * A socket lives only as long as the credential that opened it (docs/tenant-object.md,
 * "Streams end with their credential"): each carries its grant — who opened it, until when,
 * and which facilities it may see — and is closed when the Worker reports a revocation, a
 * removal or a role change, when its session expires, or when the periodic re-check against
 * Postgres finds its principal gone.
 */
import { inArray } from "drizzle-orm";
import { type Database, withTenant } from "../db/client";
import { apiKeys } from "../db/schema";
import { activeSessionIds } from "../db/sessions";
import { loadUserAccess } from "../db/users";
import type { Alert } from "./contract";

/** The subprotocol the server answers with; clients offer it beside `bearer.<key>`. */
export const ALERT_STREAM_PROTOCOL = "prep.alerts.v1";
/**
 * Set by the Worker (never taken from the client): the socket's StreamGrant as JSON. The
 * object refuses an upgrade without one.
 */
export const STREAM_GRANT_HEADER = "x-prep-stream-grant";
/** How often open sockets are re-checked: the bound on a socket outliving its credential. */
export const STREAM_SWEEP_MS = 60_000;
const KEEPALIVE = { request: "ping", response: "pong" } as const;

/** Close codes and reasons a client sees when the server ends its stream. */
export const STREAM_CLOSE = {
  /** The API key was revoked or the user removed: reconnecting needs a new credential. */
  revoked: { code: 4401, reason: "credential revoked" },
  /** The session's 12 h ran out: sign in again. */
  expired: { code: 4401, reason: "session expired" },
  /** The API key reached its expiry: use a new key. */
  keyExpired: { code: 4401, reason: "key expired" },
  /** The user's role changed (or the key lost `alerts:read`): reconnect to get the new access. */
  accessChanged: { code: 4403, reason: "access changed" },
  /** A socket from before grants existed: reconnect. */
  restart: { code: 1012, reason: "reconnect" },
} as const;
export type StreamClose = (typeof STREAM_CLOSE)[keyof typeof STREAM_CLOSE];

/** Who opened a socket and what it may see; survives hibernation as the socket's attachment. */
export interface StreamGrant {
  tenantId: string;
  /** The API key's id, or the signed-in user's id. */
  actorId: string;
  kind: "key" | "session";
  /** Sessions: the user's role when the socket opened (a change closes it). */
  role: string | null;
  /** When the session or the API key expires (epoch ms); null = no expiry. */
  expiresMs: number | null;
  /** Sessions: the user_sessions row; its revocation (sign-out, password change, an owner) closes the socket. */
  sessionId?: string | null;
  /** The facility ids a location-limited principal may see; null = all. */
  facilityIds: string[] | null;
}

interface OpenStream {
  socket: WebSocket;
  grant: StreamGrant;
}

const actorTag = (actorId: string) => `actor:${actorId}`;
const sessionTag = (sessionId: string) => `session:${sessionId}`;

function isGrant(value: unknown): value is StreamGrant {
  const grant = value as Partial<StreamGrant> | null;
  return (
    typeof grant?.tenantId === "string" &&
    typeof grant.actorId === "string" &&
    (grant.kind === "key" || grant.kind === "session")
  );
}

export function acceptAlertStream(ctx: DurableObjectState, request: Request): Response {
  let grant: unknown = null;
  try {
    grant = JSON.parse(request.headers.get(STREAM_GRANT_HEADER) ?? "null");
  } catch {
    // Refused below.
  }
  if (!isGrant(grant)) return new Response("Missing stream grant", { status: 400 });
  const { 0: client, 1: server } = new WebSocketPair();
  // The tag finds an actor's sockets (endStreams) without reading every attachment.
  ctx.acceptWebSocket(server, [
    actorTag(grant.actorId),
    ...(grant.sessionId ? [sessionTag(grant.sessionId)] : []),
  ]);
  // Survives hibernation with the socket.
  server.serializeAttachment({
    tenantId: grant.tenantId,
    actorId: grant.actorId,
    kind: grant.kind,
    role: grant.role ?? null,
    expiresMs: grant.expiresMs ?? null,
    sessionId: grant.sessionId ?? null,
    facilityIds: grant.facilityIds ?? null,
  } satisfies StreamGrant);
  // Answered without waking a hibernated object.
  ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair(KEEPALIVE.request, KEEPALIVE.response));
  const offered = (request.headers.get("sec-websocket-protocol") ?? "").split(",").map((p) => p.trim());
  // A browser offering subprotocols needs one chosen back; never echo the bearer entry.
  const headers: HeadersInit = offered.includes(ALERT_STREAM_PROTOCOL)
    ? { "sec-websocket-protocol": ALERT_STREAM_PROTOCOL }
    : {};
  return new Response(null, { status: 101, webSocket: client, headers });
}

/** The open sockets with their grants; a socket without one (older than grants) is closed. */
function openStreams(ctx: DurableObjectState, tag?: string): OpenStream[] {
  const streams: OpenStream[] = [];
  for (const socket of ctx.getWebSockets(tag)) {
    if (socket.readyState !== WebSocket.OPEN) continue;
    const grant = socket.deserializeAttachment() as unknown;
    if (isGrant(grant)) streams.push({ socket, grant });
    else endStream(socket, STREAM_CLOSE.restart);
  }
  return streams;
}

function endStream(socket: WebSocket, close: StreamClose): void {
  try {
    socket.close(close.code, close.reason);
  } catch {
    // Already closing.
  }
}

export function broadcastAlert(ctx: DurableObjectState, alert: Alert): void {
  const message = JSON.stringify({ type: "alert", alert });
  const now = Date.now();
  for (const { socket, grant } of openStreams(ctx)) {
    if (grant.expiresMs !== null && grant.expiresMs <= now) {
      endStream(socket, expiryClose(grant));
      continue;
    }
    if (grant.facilityIds && !grant.facilityIds.includes(alert.facilityId)) continue;
    try {
      socket.send(message);
    } catch {
      // A socket closing concurrently; its close handler cleans up.
    }
  }
}

/** Closes every socket `actorId` opened; returns how many. */
export function endStreamsOf(ctx: DurableObjectState, actorId: string, close: StreamClose): number {
  const streams = openStreams(ctx, actorTag(actorId));
  for (const { socket } of streams) endStream(socket, close);
  return streams.length;
}

/** Closes every socket opened with one of `sessionIds` (revoked sessions); returns how many. */
export function endSessionStreamsOf(ctx: DurableObjectState, sessionIds: readonly string[]): number {
  let closed = 0;
  for (const sessionId of sessionIds) {
    for (const { socket } of openStreams(ctx, sessionTag(sessionId))) {
      endStream(socket, STREAM_CLOSE.revoked);
      closed++;
    }
  }
  return closed;
}

/** Replaces the facility filter of every socket `userId` opened; returns how many. */
export function setStreamFilter(
  ctx: DurableObjectState,
  userId: string,
  facilityIds: readonly string[] | null,
): number {
  const streams = openStreams(ctx, actorTag(userId));
  for (const { socket, grant } of streams) {
    socket.serializeAttachment({
      ...grant,
      facilityIds: facilityIds ? [...facilityIds] : null,
    } satisfies StreamGrant);
  }
  return streams.length;
}

const expiryClose = (grant: StreamGrant) =>
  grant.kind === "key" ? STREAM_CLOSE.keyExpired : STREAM_CLOSE.expired;

/** Closes the sockets whose session or key expired by `atMs`. */
export function expireStreams(ctx: DurableObjectState, atMs: number): void {
  for (const { socket, grant } of openStreams(ctx)) {
    if (grant.expiresMs !== null && grant.expiresMs <= atMs) endStream(socket, expiryClose(grant));
  }
}

/** When the next sweep is due after `fromMs`: a minute on, or the earliest session or key expiry; null = no sockets. */
export function nextSweepDue(ctx: DurableObjectState, fromMs: number): number | null {
  const streams = openStreams(ctx);
  if (streams.length === 0) return null;
  let due = fromMs + STREAM_SWEEP_MS;
  for (const { grant } of streams) {
    if (grant.expiresMs !== null && grant.expiresMs > fromMs) due = Math.min(due, grant.expiresMs);
  }
  return due;
}

const sameIds = (a: readonly string[] | null, b: readonly string[] | null) =>
  a === null || b === null ? a === b : a.length === b.length && [...a].sort().join() === [...b].sort().join();

/**
 * Re-reads every open socket's principal from Postgres and applies what changed: a revoked
 * or missing key, a removed user, a revoked or expired session → closed (revoked); a role change or a key without
 * `alerts:read` → closed (access changed); a manager's assignments → the filter follows.
 * Returns how many sockets it closed or changed.
 */
export async function recheckStreams(ctx: DurableObjectState, db: Database): Promise<number> {
  const byTenant = new Map<string, OpenStream[]>();
  for (const stream of openStreams(ctx)) {
    const list = byTenant.get(stream.grant.tenantId) ?? [];
    list.push(stream);
    byTenant.set(stream.grant.tenantId, list);
  }
  let changed = 0;
  for (const [tenantId, streams] of byTenant) {
    const keyIds = [...new Set(streams.filter((s) => s.grant.kind === "key").map((s) => s.grant.actorId))];
    const userIds = [
      ...new Set(streams.filter((s) => s.grant.kind === "session").map((s) => s.grant.actorId)),
    ];
    const sessionIds = streams.flatMap((s) => (s.grant.sessionId ? [s.grant.sessionId] : []));
    const { keys, users, sessions } = await withTenant(db, tenantId, async (tx) => {
      const keyRows =
        keyIds.length === 0
          ? []
          : await tx
              .select({ id: apiKeys.id, revokedAt: apiKeys.revokedAt, scopes: apiKeys.scopes })
              .from(apiKeys)
              .where(inArray(apiKeys.id, keyIds));
      const userRows = new Map<string, Awaited<ReturnType<typeof loadUserAccess>>>();
      for (const userId of userIds) userRows.set(userId, await loadUserAccess(tx, userId));
      return {
        keys: new Map(keyRows.map((row) => [row.id, row])),
        users: userRows,
        sessions: await activeSessionIds(tx, sessionIds),
      };
    });
    for (const { socket, grant } of streams) {
      // Closed meanwhile (an RPC ran while Postgres answered).
      if (socket.readyState !== WebSocket.OPEN) continue;
      if (grant.kind === "key") {
        const key = keys.get(grant.actorId);
        if (!key || key.revokedAt !== null) endStream(socket, STREAM_CLOSE.revoked);
        else if (!key.scopes.includes("alerts:read")) endStream(socket, STREAM_CLOSE.accessChanged);
        else continue;
      } else {
        const user = users.get(grant.actorId);
        if (!user || (grant.sessionId && !sessions.has(grant.sessionId)))
          endStream(socket, STREAM_CLOSE.revoked);
        else if (user.role !== grant.role) endStream(socket, STREAM_CLOSE.accessChanged);
        else if (!sameIds(user.facilityIds, grant.facilityIds))
          socket.serializeAttachment({ ...grant, facilityIds: user.facilityIds } satisfies StreamGrant);
        else continue;
      }
      changed++;
    }
  }
  return changed;
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
