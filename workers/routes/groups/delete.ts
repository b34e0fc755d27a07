/**
 * DELETE /v1/groups/{id} — delete a location group; its facilities stay. Scope
 * `facilities:write`, not for managers limited to chosen locations.
 */
import { describeRoute } from "hono-openapi";
import { withTenant } from "../../../db/client";
import { deleteGroup } from "../../../db/groups";
import { problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { requireAllLocations } from "../../middleware/locations";
import { notifyStreams } from "../alerts/shared";
import type { App } from "../index";
import { GroupIdParams } from "./schemas";

export function registerDeleteGroup(app: App): void {
  app.delete(
    "/v1/groups/:id",
    describeRoute({
      tags: ["Facilities"],
      summary: "Delete a group (its locations stay)",
      responses: { 204: { description: "Deleted" }, ...problemResponses(401, 403, 404, 422) },
    }),
    authenticate,
    requireScope("facilities:write"),
    requireAllLocations,
    validate("param", GroupIdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const deleted = await withTenant(c.get("services").db(), c.get("principal").tenantId, (tx) =>
        deleteGroup(tx, id),
      );
      if (!deleted) throw notFound(`Group ${id}`);
      // Managers assigned this group stop seeing its locations' alerts.
      await notifyStreams(c.get("services"), c.get("principal").tenantId, (object) =>
        object.recheckStreams(),
      );
      return c.body(null, 204);
    },
  );
}
