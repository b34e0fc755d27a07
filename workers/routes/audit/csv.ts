/**
 * CSV export of audit entries (RFC 4180): every field quoted when it holds a quote, comma or
 * line break, quotes doubled, CRLF line ends. A field that a spreadsheet would run as a
 * formula (starting with = + - @, a tab or a carriage return) gets a leading apostrophe.
 */
import type { Context } from "hono";
import type { AuditLogEntry, AuditPage } from "../../../db/audit";
import type { AppEnv } from "../../context";

/** The most entries one CSV response holds; `x-next-cursor` continues from there. */
export const CSV_MAX_ROWS = 10_000;
const CSV_BATCH = 500;

const COLUMNS = ["id", "seq", "at", "actor", "action", "target", "detail", "prev_hash", "hash"] as const;

export function csvField(value: string | number | null): string {
  if (value === null) return "";
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function auditCsv(entries: readonly AuditLogEntry[]): string {
  const lines = [COLUMNS.join(",")];
  for (const e of entries) {
    lines.push(
      [
        e.id,
        e.seq,
        e.at,
        e.actor,
        e.action,
        e.target,
        e.detail === null ? null : JSON.stringify(e.detail),
        e.prevHash,
        e.hash,
      ]
        .map(csvField)
        .join(","),
    );
  }
  return `${lines.join("\r\n")}\r\n`;
}

/** Whether the request asks for CSV: `?format=csv`, or `Accept: text/csv` without `?format=json`. */
export function wantsCsv(c: Context<AppEnv>, format: "json" | "csv" | undefined): boolean {
  if (format) return format === "csv";
  return /\btext\/csv\b/i.test(c.req.header("accept") ?? "");
}

/** Reads pages from `after` until the log ends or CSV_MAX_ROWS, and answers with the CSV. */
export async function csvResponse(
  c: Context<AppEnv>,
  filename: string,
  after: string | undefined,
  readPage: (after: string | undefined, limit: number) => Promise<AuditPage>,
): Promise<Response> {
  const entries: AuditLogEntry[] = [];
  let cursor = after;
  let next: string | null = null;
  do {
    const page = await readPage(cursor, Math.min(CSV_BATCH, CSV_MAX_ROWS - entries.length));
    entries.push(...page.data);
    next = page.nextCursor;
    cursor = next ?? undefined;
  } while (next && entries.length < CSV_MAX_ROWS);
  const headers: Record<string, string> = {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="${filename}"`,
  };
  if (next) headers["x-next-cursor"] = next;
  return c.body(auditCsv(entries), 200, headers);
}
