/**
 * The partner API about one linked business (ADR 0023), each the tenant's own route behind
 * the partner's grant (`partnerTenant`): the principal is the partner acting for the tenant,
 * so the work, its row-level security, its metering and its audit entries are the tenant's.
 *
 * - GET  /v1/partner/tenants/:tenantId/facilities — its locations and their statuses (`tenants:read`)
 * - POST /v1/partner/tenants/:tenantId/facilities — a location at the partner's kitchen (`facilities:write`)
 * - POST /v1/partner/tenants/:tenantId/facilities/:id/checks — a check and its findings,
 *   metered to the business (`checks:write`)
 */
import { describeRoute } from "hono-openapi";
import { FacilityInputSchema } from "../../../compliance/index";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { pageOf } from "../../http/schemas";
import { authenticatePartner, partnerTenant } from "../../middleware/partner-auth";
import { CheckResultSchema } from "../checks/schemas";
import { checkFacility } from "../facilities/check";
import { createFacility } from "../facilities/create";
import { listFacilitiesOfTenant } from "../facilities/list";
import { FacilityResponseSchema } from "../facilities/schemas";
import type { App } from "../index";

const BASE = "/v1/partner/tenants/:tenantId/facilities";

export function registerPartnerTenantFacilities(app: App): void {
  app.get(
    BASE,
    describeRoute({
      tags: ["Partner API"],
      summary: "A linked business's locations and their statuses",
      security: [{ partnerOAuth: ["tenants:read"] }],
      responses: {
        200: jsonResponse("A page of locations", pageOf(FacilityResponseSchema)),
        ...problemResponses(401, 403, 404, 409, 422, 429),
      },
    }),
    authenticatePartner,
    partnerTenant("tenants:read"),
    ...listFacilitiesOfTenant,
  );
  app.post(
    BASE,
    describeRoute({
      tags: ["Partner API"],
      summary: "Add a location for a linked business (e.g. at the marketplace's kitchen)",
      security: [{ partnerOAuth: ["facilities:write"] }],
      requestBody: jsonRequestBody(FacilityInputSchema),
      responses: {
        201: jsonResponse("The stored location, evaluated", FacilityResponseSchema),
        ...problemResponses(401, 402, 403, 404, 409, 413, 415, 422, 429),
      },
    }),
    authenticatePartner,
    partnerTenant("facilities:write"),
    ...createFacility,
  );
  app.post(
    `${BASE}/:id/checks`,
    describeRoute({
      tags: ["Partner API"],
      summary: "Check a linked business's location: the verdict and its findings (metered to the business)",
      security: [{ partnerOAuth: ["checks:write"] }],
      responses: {
        200: jsonResponse("The verdict", CheckResultSchema),
        ...problemResponses(401, 402, 403, 404, 409, 415, 422, 429, 503),
      },
    }),
    authenticatePartner,
    partnerTenant("checks:write"),
    ...checkFacility,
  );
}
