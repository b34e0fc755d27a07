/**
 * A loopback server speaking the two product-analytics APIs Prep sends to, so the production
 * clients (runtime/analytics.ts, runtime/amplitude.ts) are tested on the real wire format:
 *
 *   POST /v1/batch    Segment's HTTP Tracking API: Basic auth (write key as user), body
 *                     `{batch: [...], sentAt}`, at most 500 KB; 200 `{"success": true}`; 400
 *                     for a body that is not a batch; messages kept once per `messageId`, as
 *                     Segment deduplicates.
 *   POST /2/httpapi   Amplitude's HTTP V2 API: `{api_key, events}`; 200 `{code, events_ingested,
 *                     payload_size_bytes, server_upload_time}`; 400 with `missing_field` or
 *                     `events_with_invalid_fields` / `events_with_missing_fields` (event
 *                     indexes); 413 over 2,000 events or 1 MB; events kept once per `insert_id`.
 *
 * What a test does to it (never called by production code):
 *   POST /__fake/mode      {"api": "segment"|"amplitude", "mode": "up"|"down"|"ack_lost", "retryAfter"?}
 *                          down: Segment 503 with Retry-After, Amplitude 429 throttled (Retry-After
 *                          only if given); ack_lost: the events are kept but the answer is a 503
 *   GET  /__fake/received?groupId=   kept messages of one tenant (its HMAC): {segment, amplitude}
 *   GET  /__fake/requests?groupId=   every request that carried that tenant: api, status, ids, raw body
 *
 * Started by test/global-setup.ts for the tests, and by scripts/start.ts only when asked
 * (PREP_ANALYTICS_LOOPBACK=1): `npm start` logs events locally by default.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

type Api = "segment" | "amplitude";
type Mode = { mode: "up" } | { mode: "down" | "ack_lost"; retryAfter?: number };
type Obj = Record<string, unknown>;

export interface AnalyticsFake {
  url: string;
  close(): Promise<void>;
}

interface Recorded {
  api: Api;
  status: number;
  ids: string[];
  raw: string;
}

const SEGMENT_MAX_BYTES = 500 * 1024;
const AMPLITUDE_MAX_BYTES = 1024 * 1024;
const AMPLITUDE_MAX_EVENTS = 2000;

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  response.writeHead(status, { "content-type": "application/json", ...headers });
  response.end(JSON.stringify(body));
}

/** The tenant a message or event belongs to (Segment's context.groupId, Amplitude's groups.tenant). */
const groupOf = (item: Obj): string =>
  String((item.context as Obj | undefined)?.groupId ?? (item.groups as Obj | undefined)?.tenant ?? "");

export async function startAnalyticsFake(options: { port?: number } = {}): Promise<AnalyticsFake> {
  const modes: Record<Api, Mode> = { segment: { mode: "up" }, amplitude: { mode: "up" } };
  const kept: Record<Api, Map<string, Obj>> = { segment: new Map(), amplitude: new Map() };
  const requests: Recorded[] = [];

  const segment = (
    request: IncomingMessage,
    raw: string,
  ): { status: number; body: unknown; headers?: Record<string, string>; ids: string[] } => {
    const auth = request.headers.authorization ?? "";
    const user = auth.startsWith("Basic ")
      ? Buffer.from(auth.slice(6), "base64").toString().split(":")[0]
      : "";
    if (!user) return { status: 401, body: { success: false, message: "Invalid write key" }, ids: [] };
    if (Buffer.byteLength(raw) > SEGMENT_MAX_BYTES)
      return { status: 400, body: { success: false, message: "batch too large" }, ids: [] };
    let parsed: Obj;
    try {
      parsed = JSON.parse(raw) as Obj;
    } catch {
      return { status: 400, body: { success: false, message: "invalid JSON" }, ids: [] };
    }
    const batch = parsed.batch;
    if (!Array.isArray(batch))
      return { status: 400, body: { success: false, message: "batch must be an array" }, ids: [] };
    const ids = batch.map((m: Obj) => String(m.messageId ?? ""));
    const mode = modes.segment;
    if (mode.mode === "down")
      return {
        status: 503,
        body: { success: false },
        headers: { "retry-after": String(mode.retryAfter ?? 1) },
        ids,
      };
    for (const message of batch as Obj[]) {
      if (message.type !== "track" || !message.event || !(message.userId || message.anonymousId)) continue;
      if (!kept.segment.has(String(message.messageId))) kept.segment.set(String(message.messageId), message);
    }
    if (mode.mode === "ack_lost") return { status: 503, body: { success: false }, ids };
    return { status: 200, body: { success: true }, ids };
  };

  const amplitude = (
    raw: string,
  ): { status: number; body: unknown; headers?: Record<string, string>; ids: string[] } => {
    let parsed: Obj;
    try {
      parsed = JSON.parse(raw) as Obj;
    } catch {
      return { status: 400, body: { code: 400, error: "Invalid JSON request body" }, ids: [] };
    }
    if (!parsed.api_key)
      return {
        status: 400,
        body: { code: 400, error: "Request missing required field", missing_field: "api_key" },
        ids: [],
      };
    if (!Array.isArray(parsed.events))
      return {
        status: 400,
        body: { code: 400, error: "Request missing required field", missing_field: "events" },
        ids: [],
      };
    const events = parsed.events as Obj[];
    const ids = events.map((e) => String(e.insert_id ?? ""));
    if (events.length > AMPLITUDE_MAX_EVENTS || Buffer.byteLength(raw) > AMPLITUDE_MAX_BYTES)
      return { status: 413, body: { code: 413, error: "Payload too large" }, ids };
    const invalid: Record<string, number[]> = {};
    const missing: Record<string, number[]> = {};
    const note = (into: Record<string, number[]>, field: string, i: number) => {
      into[field] = [...(into[field] ?? []), i];
    };
    events.forEach((e, i) => {
      if (!e.event_type) note(missing, "event_type", i);
      if (!e.user_id && !e.device_id) note(missing, "user_id", i);
      for (const id of ["user_id", "device_id"])
        if (e[id] !== undefined && String(e[id]).length < 5) note(invalid, id, i);
      if (e.time !== undefined && !Number.isInteger(e.time)) note(invalid, "time", i);
    });
    if (Object.keys(invalid).length || Object.keys(missing).length)
      return {
        status: 400,
        body: {
          code: 400,
          error: "Request missing required field",
          ...(Object.keys(invalid).length ? { events_with_invalid_fields: invalid } : {}),
          ...(Object.keys(missing).length ? { events_with_missing_fields: missing } : {}),
        },
        ids,
      };
    const mode = modes.amplitude;
    if (mode.mode === "down")
      return {
        status: 429,
        body: {
          code: 429,
          error: "Too many requests for some devices and users",
          eps_threshold: 30,
          throttled_devices: {},
          throttled_users: {},
          throttled_events: events.map((_, i) => i),
        },
        headers: mode.retryAfter ? { "retry-after": String(mode.retryAfter) } : {},
        ids,
      };
    for (const event of events)
      if (!kept.amplitude.has(String(event.insert_id))) kept.amplitude.set(String(event.insert_id), event);
    if (mode.mode === "ack_lost")
      return { status: 503, body: { code: 503, error: "Service unavailable" }, ids };
    return {
      status: 200,
      body: {
        code: 200,
        events_ingested: events.length,
        payload_size_bytes: Buffer.byteLength(raw),
        server_upload_time: Date.now(),
      },
      ids,
    };
  };

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const raw = request.method === "POST" ? await readBody(request) : "";
    if (request.method === "POST" && (url.pathname === "/v1/batch" || url.pathname === "/2/httpapi")) {
      const api: Api = url.pathname === "/v1/batch" ? "segment" : "amplitude";
      const answer = api === "segment" ? segment(request, raw) : amplitude(raw);
      requests.push({ api, status: answer.status, ids: answer.ids, raw });
      // The whole suite sends here: keep the recent requests, not every body of the run.
      if (requests.length > 5_000) requests.splice(0, requests.length - 5_000);
      return send(response, answer.status, answer.body, answer.headers);
    }
    if (request.method === "POST" && url.pathname === "/__fake/mode") {
      const body = JSON.parse(raw || "{}") as { api: Api } & Mode;
      modes[body.api] =
        body.mode === "up"
          ? { mode: "up" }
          : { mode: body.mode, ...(body.retryAfter ? { retryAfter: body.retryAfter } : {}) };
      return send(response, 200, modes);
    }
    const groupId = url.searchParams.get("groupId") ?? "";
    if (request.method === "GET" && url.pathname === "/__fake/received") {
      const of = (api: Api) => [...kept[api].values()].filter((item) => groupOf(item) === groupId);
      return send(response, 200, { segment: of("segment"), amplitude: of("amplitude") });
    }
    if (request.method === "GET" && url.pathname === "/__fake/requests")
      return send(
        response,
        200,
        requests.filter((r) => groupId && r.raw.includes(groupId)),
      );
    send(response, 404, { error: `no such endpoint: ${request.method} ${url.pathname}` });
  });
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
