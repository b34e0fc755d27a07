/**
 * DELETE /v1/facilities/{id} — remove a facility and everything stored with it; its check
 * history stays. Scope `facilities:write`.
 */
import { describeRoute } from "hono-openapi";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { deleteFacility } from "../../../db/facility-records";
import { problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { requireAllLocations } from "../../middleware/locations";
import type { App } from "../index";
import { FacilityIdParams } from "./schemas";

export function registerDeleteFacility(app: App): void {
  app.delete(
    "/v1/facilities/:id",
    describeRoute({
      tags: ["Facilities"],
      summary: "Delete a facility",
      responses: { 204: { description: "Deleted" }, ...problemResponses(401, 403, 404, 422) },
    }),
    authenticate,
    requireScope("facilities:write"),
    requireAllLocations,
    validate("param", FacilityIdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const services = c.get("services");
      const principal = c.get("principal");
      const deleted = await withTenant(services.db(), principal.tenantId, async (tx) => {
        const found = await deleteFacility(tx, id);
        if (found) {
          await recordAudit(tx, {
            tenantId: principal.tenantId,
            actor: principal.actorId,
            action: "facility.deleted",
            target: id,
          });
        }
        return found;
      });
      if (!deleted) throw notFound(`Facility ${id}`);
      await services.tenant(principal.tenantId).removeFacility(id);
      return c.body(null, 204);
    },
  );
}
