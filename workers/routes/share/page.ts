/**
 * The auditor's side of a share link, no account needed: `GET /share/{token}` is a plain,
 * read-only page listing the export's files; `GET /share/{token}/files/{name}` downloads one,
 * `GET /share/{token}/bundle.zip` all of them.
 * Every request with a known token is logged (time, IP, user agent, what, granted or not) for
 * the tenant to see. A revoked or expired link answers 410 with a plain page; an unknown token
 * 404. The token is looked up by its SHA-256 (`prep_find_share_link`), then everything else
 * happens inside that tenant's row-level security.
 */
import type { Context } from "hono";
import { withTenant } from "../../../db/client";
import {
  type EvidenceExport,
  findShareLink,
  getExport,
  loadShareLink,
  logShareAccess,
} from "../../../db/evidence";
import type { AppEnv } from "../../context";
import { fileResponse, zipRefusal, zipResponse } from "../exports/files";
import { shareStatus } from "../exports/shared";
import type { App } from "../index";

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
const FILE_NAME = /^[A-Za-z0-9._/-]{1,200}$/;
const PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);

function page(c: Context<AppEnv>, status: 200 | 404 | 410, title: string, body: string): Response {
  return c.html(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:46rem;margin:3rem auto;padding:0 1rem;color:#1a1a1f}table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #ddd;font-size:.9rem}code{font-size:.8rem;word-break:break-all}.muted{color:#666}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    status,
    { "content-security-policy": PAGE_CSP, "cache-control": "no-store", "x-robots-tag": "noindex" },
  );
}

const gone = (c: Context<AppEnv>, why: "expired" | "revoked") =>
  page(
    c,
    410,
    "This link is no longer available",
    `<p>This evidence link has ${why === "expired" ? "expired" : "been revoked"}. Ask the business that shared it for a new link.</p>`,
  );

const unknown = (c: Context<AppEnv>) =>
  page(
    c,
    404,
    "Link not found",
    "<p>No evidence link matches this address. Check that it was copied whole.</p>",
  );

/** The link's export when the link is live; otherwise the refusal. Logs the access either way. */
async function open(
  c: Context<AppEnv>,
  resource: string,
): Promise<{ tenantId: string; row: EvidenceExport } | Response> {
  const token = c.req.param("token") ?? "";
  if (!TOKEN.test(token)) return unknown(c);
  const db = c.get("services").db();
  const found = await findShareLink(db, token);
  if (!found) return unknown(c);
  const outcome = await withTenant(db, found.tenantId, async (tx) => {
    const link = await loadShareLink(tx, found.id);
    if (!link) return null;
    const status = shareStatus(link);
    await logShareAccess(tx, {
      tenantId: found.tenantId,
      shareId: link.id,
      ip: c.req.header("cf-connecting-ip")?.slice(0, 64) ?? null,
      userAgent: c.req.header("user-agent")?.slice(0, 512) ?? null,
      resource,
      outcome: status === "active" ? "granted" : status,
    });
    if (status !== "active") return status;
    return getExport(tx, link.exportId);
  });
  if (outcome === "expired" || outcome === "revoked") return gone(c, outcome);
  if (!outcome) return unknown(c);
  return { tenantId: found.tenantId, row: outcome };
}

const sizeLabel = (bytes: number) =>
  bytes < 1024
    ? `${bytes} B`
    : bytes < 1048576
      ? `${(bytes / 1024).toFixed(1)} kB`
      : `${(bytes / 1048576).toFixed(1)} MB`;

export function registerSharePages(app: App): void {
  app.get("/share/:token", async (c) => {
    const opened = await open(c, "page");
    if (opened instanceof Response) return opened;
    const { row } = opened;
    const token = c.req.param("token");
    const rows = row.files
      .map(
        (file) =>
          `<tr><td><a href="/share/${token}/files/${escapeHtml(file.name)}">${escapeHtml(file.name)}</a></td><td>${sizeLabel(file.size)}</td><td><code>${file.sha256}</code></td></tr>`,
      )
      .join("");
    return page(
      c,
      200,
      "Compliance evidence",
      `<p>Evidence export <code>${row.id}</code> for ${row.facilityIds.length} location(s), ${row.from} – ${row.to}. Read-only; every visit is logged.</p>
${zipRefusal(row) ? "" : `<p><a href="/share/${token}/bundle.zip">Download everything (zip)</a></p>`}
<table><thead><tr><th>File</th><th>Size</th><th>SHA-256</th></tr></thead><tbody>${rows}</tbody></table>
<p class="muted">Download the zip (or every file into one folder) and check it offline with <code>npx prep evidence verify &lt;zip-or-folder&gt;</code>: it recomputes each SHA-256 and checks manifest.jws (Ed25519) against the published keys at <code>/.well-known/jwks.json</code>.</p>`,
    );
  });

  app.get("/share/:token/bundle.zip", async (c) => {
    const opened = await open(c, "bundle.zip");
    if (opened instanceof Response) return opened;
    const response = zipRefusal(opened.row)
      ? null
      : zipResponse(c.env.EVIDENCE_BUCKET, opened.tenantId, opened.row);
    return (
      response ??
      page(
        c,
        404,
        "File not found",
        "<p>This export is too large for one zip: download its files one by one.</p>",
      )
    );
  });

  app.get("/share/:token/files/:name{.+}", async (c) => {
    const name = c.req.param("name");
    if (!FILE_NAME.test(name)) return unknown(c);
    const opened = await open(c, name);
    if (opened instanceof Response) return opened;
    const response = await fileResponse(c.env.EVIDENCE_BUCKET, opened.tenantId, opened.row, name);
    return response ?? page(c, 404, "File not found", "<p>This export has no such file.</p>");
  });
}
