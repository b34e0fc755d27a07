/**
 * GET /v1/notifications/preferences — the signed-in user's notification preferences (the
 * defaults until they save some: no channel, so nothing is sent until they choose one).
 * Any role; sessions only.
 */
import { describeRoute } from "hono-openapi";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { authenticate } from "../../middleware/auth";
import type { App } from "../index";
import { PreferencesSchema } from "./schemas";
import { preferencesView, requireUser } from "./shared";

export function registerGetNotificationPreferences(app: App): void {
  app.get(
    "/v1/notifications/preferences",
    describeRoute({
      tags: ["Notifications"],
      summary: "Your notification preferences",
      responses: { 200: jsonResponse("The preferences", PreferencesSchema), ...problemResponses(401, 403) },
    }),
    authenticate,
    requireUser,
    async (c) => {
      const principal = c.get("principal");
      const prefs = await c
        .get("services")
        .tenant(principal.tenantId)
        .getNotificationPreferences(principal.userId as string);
      return c.json(preferencesView(prefs));
    },
  );
}
