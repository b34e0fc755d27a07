/**
 * DELETE /v1/notifications/phone — forgets the user's number (verified or waiting); SMS
 * queued for them is canceled. 204 also when there was none. Sessions only. Audited
 * (`phone.removed`).
 */
import { describeRoute } from "hono-openapi";
import { problemResponses } from "../../http/openapi";
import { authenticate } from "../../middleware/auth";
import type { App } from "../index";
import { auditPhone } from "./phone-shared";
import { requireUser } from "./shared";

export function registerRemovePhone(app: App): void {
  app.delete(
    "/v1/notifications/phone",
    describeRoute({
      tags: ["Notifications"],
      summary: "Remove your phone number",
      responses: { 204: { description: "Removed" }, ...problemResponses(401, 403) },
    }),
    authenticate,
    requireUser,
    async (c) => {
      const principal = c.get("principal");
      const tenant = c.get("services").tenant(principal.tenantId);
      const userId = principal.userId as string;
      const { phone, pendingPhone } = await tenant.getPhone(userId);
      if (await tenant.removePhone(userId)) await auditPhone(c, "phone.removed", phone ?? pendingPhone);
      return c.body(null, 204);
    },
  );
}
