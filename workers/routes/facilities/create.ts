/**
 * POST /v1/facilities — store a facility (the check contract's facility object is the
 * body), evaluated at once so it has a status. Scope `facilities:write`. The tenant's plan
 * must cover the facility's state, and have room for another location.
 */
import { createFactory } from "hono/factory";
import { describeRoute } from "hono-openapi";
import { FacilityInputSchema } from "../../../compliance/index";
import { countLocations } from "../../../db/billing";
import { withTenant } from "../../../db/client";
import { insertFacility, loadFacility } from "../../../db/facility-records";
import { enqueueProductEvents } from "../../../runtime/analytics-outbox";
import type { AppEnv } from "../../context";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { json } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { requireAllLocations } from "../../middleware/locations";
import { drainAnalyticsSoon } from "../../services/analytics";
import { billingAccount, requireEntitlement, requireLocationRoom } from "../../services/billing";
import { evaluateToday, facilityBody, notifyTenantObject } from "../../services/facility-evaluation";
import type { App } from "../index";
import { FacilityResponseSchema } from "./schemas";

export function registerCreateFacility(app: App): void {
  app.post(
    "/v1/facilities",
    describeRoute({
      tags: ["Facilities"],
      summary: "Add a facility",
      requestBody: jsonRequestBody(FacilityInputSchema),
      responses: {
        201: jsonResponse("The stored facility", FacilityResponseSchema),
        ...problemResponses(401, 402, 403, 413, 415, 422),
      },
    }),
    authenticate,
    requireScope("facilities:write"),
    ...createFacility,
  );
}

/**
 * Storing a facility once the caller is authenticated and holds the scope: also the partner
 * API's (workers/routes/partner/create-facility.ts), for the tenant its grant names.
 */
export const createFacility = createFactory<AppEnv>().createHandlers(
  requireAllLocations,
  ...json(FacilityInputSchema),
  async (c) => {
    const facility = c.req.valid("json");
    const services = c.get("services");
    const principal = c.get("principal");
    const account = await billingAccount(services, principal.tenantId);
    requireEntitlement(account, `state:${facility.address.state}`);
    // Evaluating first also refuses places no dataset covers, before anything is stored.
    const { verdict, evaluated } = await evaluateToday(services, facility);
    const record = await withTenant(services.db(), principal.tenantId, async (tx) => {
      const locations = await countLocations(tx, principal.tenantId);
      requireLocationRoom(account, locations);
      const id = await insertFacility(tx, principal.tenantId, facility, evaluated);
      // Queued with the facility: the event exists exactly when the location does.
      await enqueueProductEvents(tx, [
        {
          event: "Location Added",
          tenantId: principal.tenantId,
          userId: principal.userId,
          properties: {
            state: facility.address.state,
            facilityType: facility.type,
            locationCount: locations + 1,
          },
          messageId: `Location Added:${id}`,
        },
      ]);
      return loadFacility(tx, id);
    });
    drainAnalyticsSoon(services, c.env);
    if (!record) throw new Error("facility vanished inside its own transaction");
    await notifyTenantObject(services, principal.tenantId, {
      facilityId: record.id,
      facility,
      verdict,
      cause: "created",
      evaluatedAt: evaluated.checkedAt,
    });
    c.header("location", `/v1/facilities/${record.id}`);
    return c.json(facilityBody(record), 201);
  },
);
