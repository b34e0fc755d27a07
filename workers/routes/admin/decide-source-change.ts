/**
 * POST /v1/admin/source-changes/{id}/approve and …/reject — decide a proposed dataset source
 * change. Approving puts the URL and trust in effect (the next refresh uses them); the admin
 * who proposed it cannot approve it (403 self_approval). Platform admins (prep_admin_ keys)
 * only.
 */
import { describeRoute } from "hono-openapi";
import { decideSourceChange, type SourceDecision } from "../../../db/source-changes";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { SourceChangeIdParams, SourceChangeSchema } from "./schemas";
import { selfApproval, wrongStatus } from "./shared";

const DECISION_PROBLEMS = {
  not_found: (id: string) => notFound(`Source change ${id}`),
  self_approval: () =>
    selfApproval("A source change must be approved by a different operator than the one who proposed it."),
  wrong_status: (id: string, status?: string) => wrongStatus(`Source change ${id}`, status),
} as const;

export function registerDecideSourceChange(app: App): void {
  for (const decision of ["approve", "reject"] as const satisfies readonly SourceDecision[]) {
    app.post(
      `/v1/admin/source-changes/:id/${decision}`,
      describeRoute({
        tags: ["Admin"],
        summary: `${decision === "approve" ? "Approve (apply)" : "Reject"} a proposed source change`,
        responses: {
          200: jsonResponse("The source change", SourceChangeSchema),
          ...problemResponses(401, 403, 404, 409, 422),
        },
      }),
      authenticateAdmin,
      validate("param", SourceChangeIdParams),
      async (c) => {
        const { id } = c.req.valid("param");
        const result = await decideSourceChange(c.get("services").db(), id, decision, c.get("admin").adminId);
        if (!result.ok) throw DECISION_PROBLEMS[result.reason](id, result.status);
        return c.json(result.change);
      },
    );
  }
}
