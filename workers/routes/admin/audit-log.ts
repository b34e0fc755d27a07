/**
 * GET /v1/admin/audit-log — the platform audit trail (admins, overrides, version reviews),
 * newest first, with cursor pagination and the same CSV export as GET /v1/audit-log.
 * Platform admins (prep_admin_ keys) only.
 */
import { describeRoute } from "hono-openapi";
import { asPlatform } from "../../../db/client";
import { listPlatformAuditEntries } from "../../../db/platform-audit";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { pageOf } from "../../http/schemas";
import { validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import { csvResponse, wantsCsv } from "../audit/csv";
import { AuditLogEntrySchema, AuditLogQuery } from "../audit/schemas";
import type { App } from "../index";

export function registerPlatformAuditLog(app: App): void {
  app.get(
    "/v1/admin/audit-log",
    describeRoute({
      tags: ["Admin"],
      summary: "List the platform audit trail (JSON page or CSV export)",
      responses: {
        200: jsonResponse("A page of platform audit entries, newest first", pageOf(AuditLogEntrySchema)),
        ...problemResponses(401, 403, 422),
      },
    }),
    authenticateAdmin,
    validate("query", AuditLogQuery),
    async (c) => {
      const query = c.req.valid("query");
      const db = c.get("services").db();
      const read = (after: string | undefined, limit: number) =>
        asPlatform(db, (tx) => listPlatformAuditEntries(tx, { after, limit }));
      if (wantsCsv(c, query.format)) return csvResponse(c, "platform-audit-log.csv", query.cursor, read);
      return c.json(await read(query.cursor, Number(query.limit)));
    },
  );
}
