/**
 * Loopback stand-ins for the official sources the source watchers read (pipeline/watchers.ts),
 * answering in each service's own response shape, so the production fetch and normalisation
 * code runs for real and tests never reach the network. The Worker's `SOURCE_WATCHERS` is
 * this server's origin; a source `https://<host><path>` is requested as `/<host><path>`.
 *
 *   /www.ecfr.gov/api/versioner/v1/versions/title-21.json   eCFR versioner: { content_versions, meta }
 *   /www.federalregister.gov/api/v1/documents.json          Federal Register: { count, description, total_pages, results }
 *   /webapi.legistar.com/v1/{client}/matters                Legistar Web API: [ matter, … ]
 *   /<any other host>/<path>                                an agency page (HTML with scripts, nav, footer)
 *
 * Each path (with its query) answers what its last `PUT /control` set: `{ path, items }` (the API's records:
 * eCFR content versions, Federal Register documents, Legistar matters) or `{ path, html }` (a
 * page's main content), and `{ path, throttle: { count, retryAfter } }` (the next `count`
 * requests answer 429 with that Retry-After) or `{ path, fail: { count, status } }`.
 * eCFR and the Federal Register send a strong ETag and Last-Modified and answer 304 to
 * If-None-Match; Legistar sends Last-Modified only and answers 304 to If-Modified-Since; a
 * page is regenerated on every request (a fresh script nonce and "generated at" footer), with
 * no validators. `GET /requests?path=` lists what was asked (url and headers), oldest first.
 */
import { createHash } from "node:crypto";
import { createServer, type Server } from "node:http";
import { listenOnLoopback, readBody } from "./loopback";

interface PathState {
  items?: Record<string, unknown>[];
  html?: string;
  setAt: number;
  throttle?: { count: number; retryAfter: string };
  fail?: { count: number; status: number };
}

export interface RegulatorServer {
  url: string;
  close(): Promise<void>;
}

type Flavour = "ecfr" | "federal_register" | "legistar" | "html";

function flavourOf(path: string): Flavour {
  if (path.startsWith("/www.ecfr.gov/api/versioner/")) return "ecfr";
  if (path.startsWith("/www.federalregister.gov/api/v1/documents")) return "federal_register";
  if (/^\/webapi\.legistar\.com\/v1\/[^/]+\/matters$/.test(path)) return "legistar";
  return "html";
}

function render(flavour: Flavour, state: PathState, requestUrl: string): { type: string; body: string } {
  const items = state.items ?? [];
  const setDay = new Date(state.setAt).toISOString().slice(0, 10);
  if (flavour === "ecfr") {
    const body = {
      content_versions: items,
      meta: {
        title: "21",
        result_count: items.length,
        issue_date: { lte: setDay, gte: "2017-01-01" },
        latest_amendment_date:
          items
            .map((i) => String(i.amendment_date ?? ""))
            .sort()
            .at(-1) ?? null,
        latest_issue_date: setDay,
      },
    };
    return { type: "application/json", body: JSON.stringify(body) };
  }
  if (flavour === "federal_register") {
    const body = {
      count: items.length,
      description: "Documents matching your search",
      total_pages: 1,
      results: items,
    };
    return { type: "application/json; charset=utf-8", body: JSON.stringify(body) };
  }
  if (flavour === "legistar") return { type: "application/json; charset=utf-8", body: JSON.stringify(items) };
  // A page as agencies serve them: the content in <main>, and around it what changes on every
  // request without the text changing (a script nonce, a "generated at" footer, navigation).
  const nonce = createHash("sha256").update(`${Date.now()}${Math.random()}`).digest("hex").slice(0, 16);
  const body = `<!doctype html><html><head><title>Agency</title><style>main{color:#222}</style>
<script nonce="${nonce}">window.analytics={session:"${nonce}",url:${JSON.stringify(requestUrl)}};</script></head>
<body><header><a href="/">Agency home</a></header><nav><ul><li><a href="/a">A</a></li><li>Search</li></ul></nav>
<main>${state.html ?? ""}</main>
<footer>Page generated at ${new Date().toISOString()} · session ${nonce}</footer>
<script>document.title += " ${nonce}";</script></body></html>`;
  return { type: "text/html; charset=utf-8", body };
}

export async function startRegulatorServer(): Promise<RegulatorServer> {
  const paths = new Map<string, PathState>();
  const seen = new Map<string, { url: string; headers: Record<string, string> }[]>();
  const server: Server = createServer(async (request, response) => {
    const url = new URL(request.url ?? "/", "http://loopback");
    const reply = (status: number, body = "", headers: Record<string, string> = {}) => {
      response.writeHead(status, { "content-type": "application/json", ...headers });
      response.end(body);
    };
    if (url.pathname === "/control" && request.method === "PUT") {
      const control = JSON.parse(await readBody(request)) as { path: string } & Partial<PathState>;
      const current = paths.get(control.path);
      const content = control.items !== undefined || control.html !== undefined;
      paths.set(control.path, {
        ...current,
        // A change moves Last-Modified by at least a second (HTTP dates have no finer grain).
        ...(content
          ? {
              items: control.items,
              html: control.html,
              setAt: Math.max(Date.now(), (current?.setAt ?? 0) + 1000),
            }
          : { setAt: current?.setAt ?? Date.now() }),
        ...(control.throttle ? { throttle: control.throttle } : {}),
        ...(control.fail ? { fail: control.fail } : {}),
      });
      return reply(204);
    }
    if (url.pathname === "/requests" && request.method === "GET") {
      return reply(200, JSON.stringify(seen.get(url.searchParams.get("path") ?? "") ?? []));
    }
    if (request.method !== "GET") return reply(405, '{"error":"method not allowed"}');
    // Sources are told apart by path and query, as the real APIs' searches are.
    const path = `${url.pathname}${url.search}`;
    const headers = Object.fromEntries(
      Object.entries(request.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(", ") : (v ?? "")]),
    );
    seen.set(path, [...(seen.get(path) ?? []), { url: request.url ?? "", headers }]);
    const state = paths.get(path);
    if (!state) return reply(404, '{"error":"not found"}');
    if (state.throttle && state.throttle.count > 0) {
      state.throttle.count--;
      return reply(429, '{"error":"Too Many Requests"}', { "retry-after": state.throttle.retryAfter });
    }
    if (state.fail && state.fail.count > 0) {
      state.fail.count--;
      return reply(state.fail.status, '{"error":"unavailable"}');
    }
    const flavour = flavourOf(url.pathname);
    const { type, body } = render(flavour, state, request.url ?? "");
    // Whole seconds, as HTTP dates carry.
    const lastModified = new Date(Math.floor(state.setAt / 1000) * 1000).toUTCString();
    const etag = `"${createHash("sha256").update(body).digest("hex").slice(0, 32)}"`;
    const validators: Record<string, string> =
      flavour === "html"
        ? {}
        : flavour === "legistar"
          ? { "last-modified": lastModified }
          : { etag, "last-modified": lastModified };
    if (validators.etag && request.headers["if-none-match"] === etag) return reply(304, "", validators);
    const since = request.headers["if-modified-since"];
    if (
      validators["last-modified"] &&
      !request.headers["if-none-match"] &&
      since &&
      Date.parse(since) >= Date.parse(lastModified)
    ) {
      return reply(304, "", validators);
    }
    return reply(200, body, { "content-type": type, ...validators });
  });
  return listenOnLoopback(server, "regulator server");
}
