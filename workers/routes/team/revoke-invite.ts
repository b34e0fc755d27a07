/**
 * DELETE /v1/invites/{id} — withdraw a pending invite; its link stops working. Scope
 * `team:write`.
 */
import { describeRoute } from "hono-openapi";
import { withTenant } from "../../../db/client";
import { deleteInvite } from "../../../db/invites";
import { problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { InviteIdParams } from "./schemas";

export function registerRevokeInvite(app: App): void {
  app.delete(
    "/v1/invites/:id",
    describeRoute({
      tags: ["Team"],
      summary: "Withdraw a pending invite",
      responses: { 204: { description: "Withdrawn" }, ...problemResponses(401, 403, 404, 422) },
    }),
    authenticate,
    requireScope("team:write"),
    validate("param", InviteIdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const principal = c.get("principal");
      const deleted = await withTenant(c.get("services").db(), principal.tenantId, (tx) =>
        deleteInvite(tx, id),
      );
      if (!deleted) throw notFound(`Invite ${id}`);
      return c.body(null, 204);
    },
  );
}
