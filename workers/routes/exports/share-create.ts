/**
 * POST /v1/exports/{id}/shares — a read-only link to a ready export for an auditor, with an
 * expiry (at most 90 days) and optionally the auditor's email. The link's token (256 random
 * bits) is in the answer once; only its SHA-256 is stored. Scope `exports:write` (owners and
 * admins; managers and viewers do not hold it).
 */
import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { createShareLink, getExport } from "../../../db/evidence";
import { enqueueProductEvents } from "../../../runtime/analytics-outbox";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { json, validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { drainAnalyticsSoon } from "../../services/analytics";
import type { App } from "../index";
import { CreatedShareSchema, CreateShareSchema, ExportIdParams } from "./schemas";
import { exportNotReady, requireExportsEntitlement, shareStatus } from "./shared";

export function registerCreateShare(app: App): void {
  app.post(
    "/v1/exports/:id/shares",
    describeRoute({
      tags: ["Evidence"],
      summary: "Create an auditor share link for a ready export",
      requestBody: jsonRequestBody(CreateShareSchema),
      responses: {
        201: jsonResponse("The link (its URL is shown only now)", CreatedShareSchema),
        ...problemResponses(401, 402, 403, 404, 409, 415, 422),
      },
    }),
    authenticate,
    requireScope("exports:write"),
    validate("param", ExportIdParams),
    ...json(CreateShareSchema),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const principal = c.get("principal");
      const services = c.get("services");
      await requireExportsEntitlement(services, principal.tenantId);
      const { link, token } = await withTenant(services.db(), principal.tenantId, async (tx) => {
        const row = await getExport(tx, id);
        if (!row) throw notFound(`Export ${id}`);
        if (row.status !== "ready") throw exportNotReady(row, "share it");
        const created = await createShareLink(tx, {
          tenantId: principal.tenantId,
          exportId: id,
          email: body.email ?? null,
          expiresAt: body.expiresAt,
          createdBy: principal.actorId,
        });
        await recordAudit(tx, {
          tenantId: principal.tenantId,
          actor: principal.actorId,
          action: "evidence_share.created",
          target: created.link.id,
          detail: { exportId: id, expiresAt: body.expiresAt, email: body.email ?? null },
        });
        // Product analytics (docs/tracking-plan.md), committed with the link it records.
        await enqueueProductEvents(tx, [
          {
            event: "Export Shared",
            tenantId: principal.tenantId,
            userId: principal.userId,
            properties: {
              locations: row.facilityIds.length,
              expiresInDays: Math.round((Date.parse(body.expiresAt) - Date.now()) / 86_400_000),
            },
            messageId: `Export Shared:${created.link.id}`,
          },
        ]);
        return created;
      });
      drainAnalyticsSoon(services, c.env);
      return c.json(
        {
          ...link,
          status: shareStatus(link),
          accessCount: 0,
          accesses: [],
          url: `${new URL(c.req.url).origin}/share/${token}`,
        },
        201,
      );
    },
  );
}
