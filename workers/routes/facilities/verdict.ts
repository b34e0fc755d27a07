/**
 * GET /v1/facilities/{id}/verdict — the findings behind a facility's status: its latest
 * verdict as the tenant object holds it (from adding or changing it, a check, a deadline or a
 * rule change), with what produced it and when. Reading it is not a check and is not metered.
 * Scope `facilities:read`; managers only for their locations. Findings that do not apply are
 * counted, and listed with `?include=not_applicable`, as in check answers.
 *
 * Should the object not have heard of the facility (a notification lost on the way), the
 * stored facility is evaluated now and the object told, so the answer and the object agree.
 */
import { describeRoute } from "hono-openapi";
import { withTenant } from "../../../db/client";
import { loadFacility } from "../../../db/facility-records";
import { type FacilityVerdict, viewFindings } from "../../../durable-objects/contract";
import { asOfDate } from "../../../runtime/evaluation";
import { findingsView } from "../../http/findings-view";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import type { Principal } from "../../middleware/auth";
import { authenticate, requireScope } from "../../middleware/auth";
import { requireLocation } from "../../middleware/locations";
import { evaluateToday, notifyTenantObject } from "../../services/facility-evaluation";
import type { Services } from "../../services/services";
import { FindingsQuery } from "../checks/schemas";
import type { App } from "../index";
import { FacilityIdParams, FacilityVerdictSchema } from "./schemas";

export function registerGetFacilityVerdict(app: App): void {
  app.get(
    "/v1/facilities/:id/verdict",
    describeRoute({
      tags: ["Facilities"],
      summary: "The findings behind a facility's status",
      responses: {
        200: jsonResponse("The facility's latest verdict", FacilityVerdictSchema),
        ...problemResponses(401, 403, 404, 422),
      },
    }),
    authenticate,
    requireScope("facilities:read"),
    validate("param", FacilityIdParams),
    validate("query", FindingsQuery),
    requireLocation,
    async (c) => {
      const { id } = c.req.valid("param");
      const services = c.get("services");
      const principal = c.get("principal");
      const held =
        (await services.tenant(principal.tenantId).getFacilityVerdict(id)) ??
        (await reconcile(services, principal, id));
      const { verdict, cause, evaluatedAt } = held;
      return c.json({
        facilityId: id,
        asOf: asOfDate(undefined, new Date(evaluatedAt)),
        evaluatedAt,
        cause,
        ...verdict,
        ...viewFindings(verdict.findings, findingsView(c.req.valid("query"))),
      });
    },
  );
}

/** Evaluates the stored facility today and tells the tenant object, which had not heard of it. */
async function reconcile(services: Services, principal: Principal, id: string): Promise<FacilityVerdict> {
  const record = await withTenant(services.db(), principal.tenantId, (tx) => loadFacility(tx, id));
  if (!record) throw notFound(`Facility ${id}`);
  const { verdict, evaluated } = await evaluateToday(services, record.facility);
  await notifyTenantObject(services, principal.tenantId, {
    facilityId: id,
    facility: record.facility,
    verdict,
    cause: "reconciled",
    evaluatedAt: evaluated.checkedAt,
  });
  return { verdict, cause: "reconciled", evaluatedAt: evaluated.checkedAt };
}
