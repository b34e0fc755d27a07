/**
 * POST /v1/facilities/{id}/checks — check a stored facility (optionally `{ "asOf" }`). A
 * billable check like POST /v1/checks; a check at today's date also refreshes the facility's
 * status and raises drift. Scope `checks:write`. Answers like POST /v1/checks
 * (`?include=not_applicable` for every finding).
 */
import { createFactory } from "hono/factory";
import { describeRoute } from "hono-openapi";
import { withTenant } from "../../../db/client";
import { loadFacility, setFacilityStatus } from "../../../db/facility-records";
import { asOfDate } from "../../../runtime/evaluation";
import type { AppEnv } from "../../context";
import { findingsView } from "../../http/findings-view";
import { jsonText } from "../../http/json-text";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { IdempotencyKeyHeader } from "../../http/schemas";
import { optionalJson, validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { requireLocation } from "../../middleware/locations";
import { fingerprint, runCheck } from "../../services/checks";
import { notifyTenantObject } from "../../services/facility-evaluation";
import { callerRegion } from "../../services/tenant-meters";
import { CheckResultSchema, FindingsQuery } from "../checks/schemas";
import type { App } from "../index";
import { FacilityCheckRequestSchema, FacilityIdParams } from "./schemas";

export function registerCheckFacility(app: App): void {
  app.post(
    "/v1/facilities/:id/checks",
    describeRoute({
      tags: ["Checks", "Facilities"],
      summary: "Check a stored facility",
      responses: {
        200: jsonResponse("The verdict", CheckResultSchema),
        ...problemResponses(401, 402, 403, 404, 415, 422, 503),
      },
    }),
    authenticate,
    requireScope("checks:write"),
    ...checkFacility,
  );
}

/**
 * The check of a stored facility once the caller is authenticated and holds the scope: also
 * the partner API's (workers/routes/partner/check-facility.ts), where the principal is the
 * partner acting for the tenant its grant names. Metered to the principal's tenant.
 */
export const checkFacility = createFactory<AppEnv>().createHandlers(
  validate("param", FacilityIdParams),
  requireLocation,
  validate("header", IdempotencyKeyHeader),
  validate("query", FindingsQuery),
  ...optionalJson(FacilityCheckRequestSchema),
  async (c) => {
    const { id } = c.req.valid("param");
    const body = c.req.valid("json");
    const services = c.get("services");
    const principal = c.get("principal");
    const record = await withTenant(services.db(), principal.tenantId, (tx) => loadFacility(tx, id));
    if (!record) throw notFound(`Facility ${id}`);
    const idempotencyKey = c.req.valid("header")["idempotency-key"];
    const {
      record: check,
      resultJson,
      replayed,
      plan,
    } = await runCheck(services, principal, {
      facility: record.facility,
      asOf: body.asOf,
      facilityId: id,
      idempotencyKey,
      requestHash: idempotencyKey ? await fingerprint({ id, ...body }) : undefined,
      view: findingsView(c.req.valid("query")),
      region: callerRegion(c.env, c.req.raw),
    });
    if (!replayed && check.asOf === asOfDate(undefined)) {
      await withTenant(services.db(), principal.tenantId, (tx) =>
        setFacilityStatus(tx, id, check.result.status, check.evaluatedAt),
      );
      await notifyTenantObject(services, principal.tenantId, {
        facilityId: id,
        facility: record.facility,
        verdict: check.result,
        cause: "check",
        evaluatedAt: check.evaluatedAt,
      });
    }
    c.set("metricLabels", { state: check.state, plan });
    if (replayed) c.header("idempotent-replayed", "true");
    return jsonText(c, resultJson);
  },
);
