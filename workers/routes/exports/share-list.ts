/**
 * GET /v1/exports/{id}/shares — an export's share links with their status and access log
 * (who opened them: time, IP, user agent, what; granted or refused). Scope `exports:read`.
 */
import { describeRoute } from "hono-openapi";
import { withTenantRead } from "../../../db/client";
import { listShareLinks } from "../../../db/evidence";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { listOf } from "../../http/schemas";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { ExportIdParams, ShareLinkSchema } from "./schemas";
import { loadExport, shareStatus } from "./shared";

export function registerListShares(app: App): void {
  app.get(
    "/v1/exports/:id/shares",
    describeRoute({
      tags: ["Evidence"],
      summary: "List an export's share links and their access log",
      responses: {
        200: jsonResponse("The links, newest first", listOf(ShareLinkSchema)),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticate,
    requireScope("exports:read"),
    validate("param", ExportIdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      await loadExport(c, id);
      const links = await withTenantRead(c.get("services").db(), c.get("principal").tenantId, (tx) =>
        listShareLinks(tx, id),
      );
      return c.json({ data: links.map((link) => ({ ...link, status: shareStatus(link) })) });
    },
  );
}
