/**
 * POST /v1/checks — the hot path: evaluate a facility payload at `asOf` and return the
 * verdict. Scope `checks:write`. `Idempotency-Key` makes a retry return the same check
 * (marked `Idempotent-Replayed: true`) and count once.
 */
import { describeRoute } from "hono-openapi";
import { findingsView } from "../../http/findings-view";
import { jsonText } from "../../http/json-text";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { IdempotencyKeyHeader } from "../../http/schemas";
import { json, validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { fingerprint, runCheck } from "../../services/checks";
import { callerRegion } from "../../services/tenant-meters";
import type { App } from "../index";
import { CheckRequestSchema, CheckResultSchema, FindingsQuery } from "./schemas";

export function registerCreateCheck(app: App): void {
  app.post(
    "/v1/checks",
    describeRoute({
      tags: ["Checks"],
      summary: "Check a facility's compliance",
      description:
        "Resolves the facility's jurisdictions from its address, evaluates every applicable rule at `asOf` (default: today) and returns each finding with its citation, what to do and by when. Deterministic for a given `asOf` and dataset versions. Findings that do not apply to the facility are counted in `notApplicableCount` and listed only with `?include=not_applicable`.",
      responses: {
        200: jsonResponse("The verdict", CheckResultSchema),
        ...problemResponses(400, 401, 402, 403, 413, 415, 422, 429, 503),
      },
    }),
    authenticate,
    requireScope("checks:write"),
    validate("header", IdempotencyKeyHeader),
    validate("query", FindingsQuery),
    ...json(CheckRequestSchema),
    async (c) => {
      const body = c.req.valid("json");
      const idempotencyKey = c.req.valid("header")["idempotency-key"];
      const { resultJson, replayed, plan } = await runCheck(c.get("services"), c.get("principal"), {
        facility: body.facility,
        asOf: body.asOf,
        facilityId: null,
        idempotencyKey,
        requestHash: idempotencyKey ? await fingerprint(body) : undefined,
        view: findingsView(c.req.valid("query")),
        region: callerRegion(c.env, c.req.raw),
      });
      c.set("metricLabels", { state: body.facility.address.state, plan });
      if (replayed) c.header("idempotent-replayed", "true");
      return jsonText(c, resultJson);
    },
  );
}
