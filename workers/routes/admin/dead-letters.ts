/**
 * Platform admin routes for dead letters (prep_admin_ keys only): checks Postgres refused
 * (SQLSTATE class 22/23), isolated from their outbox batch so they block nothing, kept in the
 * tenant object that metered them. Procedure: RUNBOOK.md, "Dead letters".
 *
 *   GET    /v1/admin/dead-letters                                       tenants holding any, with counts
 *   GET    /v1/admin/tenants/{tenantId}/dead-letters                    a tenant's dead letters (all meter shards)
 *   POST   /v1/admin/tenants/{tenantId}/dead-letters/{checkId}/requeue  send it again on the next flush
 *   DELETE /v1/admin/tenants/{tenantId}/dead-letters/{checkId}          forget it (it stays metered)
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { DEAD_LETTER_REGISTRY, type DeadLetter } from "../../../durable-objects/contract";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import { TenantMeters } from "../../services/tenant-meters";
import type { App } from "../index";

const TenantParams = v.object({
  tenantId: v.pipe(v.string(), v.regex(/^ten_[0-9A-Z]{26}$/, "must be a tenant id ten_…")),
});
/** Any id a dead letter may carry (a refused record need not have a well-formed one). */
const CheckIdSchema = v.pipe(v.string(), v.regex(/^[\x21-\x7e]{1,200}$/, "must be a check id"));
const DeadLetterParams = v.object({ ...TenantParams.entries, checkId: CheckIdSchema });
const ListQuery = v.object({
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,3}$/, "must be 1–500"),
      v.transform(Number),
      v.minValue(1, "must be 1–500"),
      v.maxValue(500, "must be 1–500"),
    ),
    "50",
  ),
  cursor: v.optional(CheckIdSchema),
});

const DeadLetterSchema = v.object({
  checkId: v.string(),
  idempotencyKey: v.nullable(v.string()),
  record: v.string(),
  reason: v.string(),
  sqlState: v.nullable(v.string()),
  deadLetteredAt: v.string(),
  shard: v.number(),
});

export function registerAdminDeadLetters(app: App): void {
  app.get(
    "/v1/admin/dead-letters",
    describeRoute({
      tags: ["Admin"],
      summary: "Tenants holding dead letters",
      responses: {
        200: jsonResponse(
          "Dead letters across the platform",
          v.object({
            total: v.number(),
            tenantCount: v.number(),
            tenants: v.array(v.object({ tenantId: v.string(), count: v.number() })),
          }),
        ),
        ...problemResponses(401, 403),
      },
    }),
    authenticateAdmin,
    async (c) => {
      const registry = c.env.TENANT.get(c.env.TENANT.idFromName(DEAD_LETTER_REGISTRY));
      return c.json(await registry.deadLetterSummary());
    },
  );

  app.get(
    "/v1/admin/tenants/:tenantId/dead-letters",
    describeRoute({
      tags: ["Admin"],
      summary: "A tenant's dead letters",
      responses: {
        200: jsonResponse(
          "A page of dead letters, by check id",
          v.object({ data: v.array(DeadLetterSchema), nextCursor: v.nullable(v.string()) }),
        ),
        ...problemResponses(401, 403, 422),
      },
    }),
    authenticateAdmin,
    validate("param", TenantParams),
    validate("query", ListQuery),
    async (c) => {
      const { tenantId } = c.req.valid("param");
      const { limit, cursor } = c.req.valid("query");
      const meters = TenantMeters.of(c.env, tenantId);
      // Each shard answers its first `limit` after the cursor; merged by check id, the first
      // `limit` of them are the page (a shard's next one sorts after its own page).
      const pages = await Promise.all(
        Array.from({ length: meters.shards }, (_, shard) =>
          meters
            .shard(shard)
            .listDeadLetters({ limit, cursor })
            .then((page) => ({ shard, page })),
        ),
      );
      const merged: (DeadLetter & { shard: number })[] = pages
        .flatMap(({ shard, page }) => page.data.map((letter) => ({ ...letter, shard })))
        .sort((a, b) => (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0));
      const data = merged.slice(0, limit);
      const more = merged.length > limit || pages.some(({ page }) => page.nextCursor !== null);
      return c.json({ data, nextCursor: more ? (data.at(-1)?.checkId ?? null) : null });
    },
  );

  app.post(
    "/v1/admin/tenants/:tenantId/dead-letters/:checkId/requeue",
    describeRoute({
      tags: ["Admin"],
      summary: "Send a dead letter to Postgres again",
      responses: {
        200: jsonResponse("Requeued", v.object({ checkId: v.string(), requeued: v.literal(true) })),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticateAdmin,
    validate("param", DeadLetterParams),
    async (c) => {
      const { tenantId, checkId } = c.req.valid("param");
      const meters = TenantMeters.of(c.env, tenantId);
      for (let shard = 0; shard < meters.shards; shard++) {
        if (await meters.shard(shard).requeueDeadLetter(checkId)) return c.json({ checkId, requeued: true });
      }
      throw notFound(`Dead letter ${checkId}`);
    },
  );

  app.delete(
    "/v1/admin/tenants/:tenantId/dead-letters/:checkId",
    describeRoute({
      tags: ["Admin"],
      summary: "Forget a dead letter",
      responses: { 204: { description: "Forgotten" }, ...problemResponses(401, 403, 404, 422) },
    }),
    authenticateAdmin,
    validate("param", DeadLetterParams),
    async (c) => {
      const { tenantId, checkId } = c.req.valid("param");
      const meters = TenantMeters.of(c.env, tenantId);
      for (let shard = 0; shard < meters.shards; shard++) {
        if (await meters.shard(shard).discardDeadLetter(checkId)) return c.body(null, 204);
      }
      throw notFound(`Dead letter ${checkId}`);
    },
  );
}
