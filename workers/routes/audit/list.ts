/**
 * GET /v1/audit-log — the tenant's audit trail, newest first, with cursor pagination; each
 * entry carries its hash-chain link (seq, prevHash, hash). `?format=csv` (or `Accept:
 * text/csv`) exports the trail from the cursor on as CSV, up to 10,000 entries per response
 * (`x-next-cursor` continues). Scope `keys:write`: the admin scope, which signed-in owners and
 * admins hold and managers and viewers do not.
 */
import { describeRoute } from "hono-openapi";
import { listAuditEntries } from "../../../db/audit";
import { withTenantRead } from "../../../db/client";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { pageOf } from "../../http/schemas";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { csvResponse, wantsCsv } from "./csv";
import { AuditLogEntrySchema, AuditLogQuery } from "./schemas";

export function registerListAuditLog(app: App): void {
  app.get(
    "/v1/audit-log",
    describeRoute({
      tags: ["Audit log"],
      summary: "List the audit trail (JSON page or CSV export)",
      responses: {
        200: {
          ...jsonResponse("A page of audit entries, newest first", pageOf(AuditLogEntrySchema)),
          description: "A page of audit entries, newest first; or text/csv with ?format=csv",
        },
        ...problemResponses(401, 403, 422),
      },
    }),
    authenticate,
    requireScope("keys:write"),
    validate("query", AuditLogQuery),
    async (c) => {
      const query = c.req.valid("query");
      const db = c.get("services").db();
      const tenantId = c.get("principal").tenantId;
      const read = (after: string | undefined, limit: number) =>
        withTenantRead(db, tenantId, (tx) => listAuditEntries(tx, { after, limit }));
      if (wantsCsv(c, query.format)) return csvResponse(c, "audit-log.csv", query.cursor, read);
      return c.json(await read(query.cursor, Number(query.limit)));
    },
  );
}
