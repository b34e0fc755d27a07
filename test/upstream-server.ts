/**
 * A tiny HTTP server (Node, started by the global setup) standing in for the outside world
 * of the data pipeline, so the production fetch code runs for real: dataset sources whose
 * answer each test controls (content with an ETag and 304s, errors, slow answers, broken
 * JSON) and a webhook receiver that records what it was sent (PagerDuty events).
 *
 *   PUT  /control/{name}   {"status"?, "body"?, "etag"?, "delayMs"?}: how /datasets/{name}.json answers
 *   GET  /datasets/{name}.json
 *   POST /hooks/{name}     recorded; answers 202
 *   GET  /hooks/{name}     what was recorded, oldest first
 *   PUT  /database         {"available": false|true}: a database outage at the bridge, and its end
 *
 * Webhook receivers for outbound notifications (ADR 0015), keeping raw bodies and headers so
 * tests verify Standard Webhooks signatures:
 *   PUT  /receivers/{name}/control  {"failNext"?: n, "status"?: 503}: the next n deliveries answer status
 *   POST /receivers/{name}          recorded (each attempt, with the status it got); 200 unless failing
 *   GET  /receivers/{name}          [{headers, body, status}], oldest first
 */
import { createServer, type Server } from "node:http";
import { listenOnLoopback, readBody } from "./loopback";

interface SourceConfig {
  status?: number;
  body?: string;
  etag?: string;
  delayMs?: number;
}

export interface UpstreamServer {
  url: string;
  close(): Promise<void>;
}

export interface UpstreamOptions {
  /** Takes the database away (`false`) or brings it back (`true`). */
  setDatabaseAvailable(available: boolean): void;
}

export async function startUpstreamServer(options: UpstreamOptions): Promise<UpstreamServer> {
  const sources = new Map<string, SourceConfig>();
  const hooks = new Map<string, unknown[]>();
  // Notification webhook receivers (ADR 0015).
  const receivers = new Map<
    string,
    {
      failNext: number;
      status: number;
      seen: { headers: Record<string, string>; body: string; status: number }[];
    }
  >();
  const receiver = (name: string) => {
    let found = receivers.get(name);
    if (!found) {
      found = { failNext: 0, status: 503, seen: [] };
      receivers.set(name, found);
    }
    return found;
  };
  const server: Server = createServer(async (request, response) => {
    const [, kind, rawName] = /^\/(control|datasets|hooks)\/([^/]+)$/.exec(request.url ?? "") ?? [];
    const name = rawName?.replace(/\.json$/, "") ?? "";
    const reply = (status: number, body = "", headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(body);
    };
    const receiverMatch = /^\/receivers\/([\w-]+)(\/control)?$/.exec(request.url ?? "");
    if (receiverMatch) {
      const target = receiver(receiverMatch[1] as string);
      if (receiverMatch[2] && request.method === "PUT") {
        const control = JSON.parse(await readBody(request)) as { failNext?: number; status?: number };
        target.failNext = control.failNext ?? 0;
        target.status = control.status ?? 503;
        return reply(204);
      }
      if (request.method === "POST") {
        const failing = target.failNext > 0;
        if (failing) target.failNext--;
        const status = failing ? target.status : 200;
        const headers = Object.fromEntries(
          Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]),
        );
        target.seen.push({ headers, body: await readBody(request), status });
        return reply(status, failing ? '{"error":"unavailable"}' : '{"ok":true}');
      }
      if (request.method === "GET") return reply(200, JSON.stringify(target.seen));
    }
    if (request.url === "/database" && request.method === "PUT") {
      options.setDatabaseAvailable((JSON.parse(await readBody(request)) as { available: boolean }).available);
      return reply(204);
    }
    if (kind === "control" && request.method === "PUT") {
      sources.set(name, JSON.parse(await readBody(request)) as SourceConfig);
      return reply(204);
    }
    if (kind === "datasets" && request.method === "GET") {
      const config = sources.get(name) ?? { status: 404 };
      if (config.delayMs) await new Promise((resolve) => setTimeout(resolve, config.delayMs));
      if (config.etag && request.headers["if-none-match"] === config.etag)
        return reply(304, "", { etag: config.etag });
      return reply(config.status ?? 200, config.body ?? "", config.etag ? { etag: config.etag } : {});
    }
    if (kind === "hooks" && request.method === "POST") {
      const list = hooks.get(name) ?? [];
      list.push(JSON.parse(await readBody(request)));
      hooks.set(name, list);
      return reply(202, '{"status":"success"}');
    }
    if (kind === "hooks" && request.method === "GET")
      return reply(200, JSON.stringify(hooks.get(name) ?? []));
    return reply(404, '{"error":"not found"}');
  });
  // A client that gave up (timeout tests) must not crash the server.
  return listenOnLoopback(server, "upstream server");
}
