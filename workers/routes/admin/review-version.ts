/**
 * POST /v1/admin/datasets/{ocdId}/versions/{versionId}/approve and …/reject — review a
 * pending dataset version (one endpoint per decision). Approving activates it: checks see it
 * and the affected tenants re-evaluate. The admin who started the refresh that fetched it may
 * not approve it (403 self_approval). Platform admins (prep_admin_ keys) only.
 */
import { describeRoute } from "hono-openapi";
import { type ReviewDecision, reviewVersion } from "../../../db/datasets";
import { recordPlatformAudit } from "../../../db/platform-audit";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { validate } from "../../http/validation";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { ReviewSchema, VersionParams } from "./schemas";
import { rulesChanged, selfApproval } from "./shared";

export function registerReviewDatasetVersion(app: App): void {
  for (const decision of ["approve", "reject"] as const satisfies readonly ReviewDecision[]) {
    app.post(
      `/v1/admin/datasets/:ocdId{.+}/versions/:versionId/${decision}`,
      describeRoute({
        tags: ["Admin"],
        summary: `${decision === "approve" ? "Approve (activate)" : "Reject"} a pending version`,
        responses: {
          200: jsonResponse("The decision", ReviewSchema),
          ...problemResponses(401, 403, 404, 422),
        },
      }),
      authenticateAdmin,
      validate("param", VersionParams),
      async (c) => {
        const { ocdId, versionId } = c.req.valid("param");
        const admin = c.get("admin");
        const result = await reviewVersion(
          c.get("services").db(),
          ocdId,
          versionId,
          decision,
          admin.adminId,
          (tx) =>
            recordPlatformAudit(tx, {
              actor: admin.adminId,
              action: `dataset_version.${decision === "approve" ? "approved" : "rejected"}`,
              target: versionId,
              detail: { jurisdiction: ocdId },
            }),
        );
        if (!result.ok && result.reason === "self_approval")
          throw selfApproval(
            "A dataset version must be approved by a different operator than the one whose refresh fetched it.",
          );
        if (!result.ok) throw notFound(`Pending version ${versionId} of ${ocdId}`);
        if (decision === "approve") rulesChanged(c, ocdId, "version approved");
        return c.json({ versionId: result.versionId, status: result.status });
      },
    );
  }
}
