/**
 * POST /v1/admin/overrides/{id}/approve, …/reject and …/revoke — decide a pending override
 * (a second operator: approving your own is a 403) or take an approved one out of force
 * early (one endpoint per decision). Approval and revocation reach checks and re-evaluate the
 * affected tenants. Platform admins (prep_admin_ keys) only.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { type Decision, decideOverride } from "../../../db/overrides";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { OverrideIdParams } from "./schemas";
import { rulesChanged, selfApproval, wrongStatus } from "./shared";

const DECISION_PROBLEMS = {
  not_found: (id: string) => notFound(`Override ${id}`),
  self_approval: () =>
    selfApproval("An override must be approved by a different operator than the one who created it."),
  wrong_status: (id: string, status?: string) => wrongStatus(`Override ${id}`, status),
} as const;

export function registerDecideOverride(app: App): void {
  for (const decision of ["approve", "reject", "revoke"] as const satisfies readonly Decision[]) {
    app.post(
      `/v1/admin/overrides/:id/${decision}`,
      describeRoute({
        tags: ["Admin"],
        summary: `${decision[0]?.toUpperCase()}${decision.slice(1)} an override`,
        responses: {
          200: jsonResponse("The override", v.unknown()),
          ...problemResponses(401, 403, 404, 409),
        },
      }),
      authenticateAdmin,
      validate("param", OverrideIdParams),
      async (c) => {
        const { id } = c.req.valid("param");
        const result = await decideOverride(c.get("services").db(), id, decision, c.get("admin").adminId);
        if (!result.ok) throw DECISION_PROBLEMS[result.reason](id, result.status);
        if (decision !== "reject") {
          rulesChanged(c, result.override.jurisdiction, `override ${id} ${result.override.status}`);
        }
        return c.json(result.override);
      },
    );
  }
}
