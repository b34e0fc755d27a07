/**
 * GET /v1/admin/tenants/{tenantId}/dead-letters — a tenant's dead letters across its meter
 * shards, by check id, with cursor pagination (platform admins). RUNBOOK.md, "Dead letters".
 */
import { describeRoute } from "hono-openapi";
import type { DeadLetter } from "../../../durable-objects/contract";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { pageOf } from "../../http/schemas";
import { validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import { TenantMeters } from "../../services/tenant-meters";
import type { App } from "../index";
import { DeadLetterListQuery, DeadLetterSchema, TenantParams } from "./schemas";

export function registerListDeadLetters(app: App): void {
  app.get(
    "/v1/admin/tenants/:tenantId/dead-letters",
    describeRoute({
      tags: ["Admin"],
      summary: "A tenant's dead letters",
      responses: {
        200: jsonResponse("A page of dead letters, by check id", pageOf(DeadLetterSchema)),
        ...problemResponses(401, 403, 422),
      },
    }),
    authenticateAdmin,
    validate("param", TenantParams),
    validate("query", DeadLetterListQuery),
    async (c) => {
      const { tenantId } = c.req.valid("param");
      const { limit, cursor } = c.req.valid("query");
      const meters = TenantMeters.of(c.env, tenantId);
      // Each shard answers its first `limit` after the cursor; merged by check id, the first
      // `limit` of them are the page (a shard's next one sorts after its own page).
      const pages = await Promise.all(
        (await meters.all()).map(({ stub, index, region }) =>
          stub.listDeadLetters({ limit, cursor }).then((page) => ({ shard: index, region, page })),
        ),
      );
      const merged: (DeadLetter & { shard: number; region: string | null })[] = pages
        .flatMap(({ shard, region, page }) => page.data.map((letter) => ({ ...letter, shard, region })))
        .sort((a, b) => (a.checkId < b.checkId ? -1 : a.checkId > b.checkId ? 1 : 0));
      const data = merged.slice(0, limit);
      const more = merged.length > limit || pages.some(({ page }) => page.nextCursor !== null);
      return c.json({ data, nextCursor: more ? (data.at(-1)?.checkId ?? null) : null });
    },
  );
}
