/**
 * PUT /v1/notifications/preferences — the signed-in user chooses which events, on which
 * channels, for which locations, at once or as a daily digest. Fields left out keep their
 * value. A manager may only choose among their own locations (422 naming the others); who
 * may see what is checked again when each email is sent. Sessions only.
 */
import { describeRoute } from "hono-openapi";
import { DEFAULT_PREFERENCES } from "../../../notifications/contract";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { validationFailed } from "../../http/problem";
import { json } from "../../http/validation";
import { authenticate } from "../../middleware/auth";
import { appOrigin } from "../billing/shared";
import type { App } from "../index";
import { PreferencesSchema, UpdatePreferencesSchema } from "./schemas";
import { preferencesView, requireUser } from "./shared";

export function registerSetNotificationPreferences(app: App): void {
  app.put(
    "/v1/notifications/preferences",
    describeRoute({
      tags: ["Notifications"],
      summary: "Set your notification preferences",
      requestBody: jsonRequestBody(UpdatePreferencesSchema),
      responses: {
        200: jsonResponse("The preferences", PreferencesSchema),
        ...problemResponses(401, 403, 415, 422),
      },
    }),
    authenticate,
    requireUser,
    ...json(UpdatePreferencesSchema),
    async (c) => {
      const principal = c.get("principal");
      const body = c.req.valid("json");
      const allowed = principal.locations;
      if (allowed && body.facilityIds !== undefined) {
        const outside = (body.facilityIds ?? [])
          .map((id, index) => ({ id, index }))
          .filter(({ id }) => !allowed.has(id));
        if (outside.length > 0)
          throw validationFailed(
            outside.map(({ id, index }) => ({
              pointer: `/facilityIds/${index}`,
              detail: `${id} is not one of your locations`,
            })),
            "You can only choose among the locations assigned to you.",
          );
      }
      const tenant = c.get("services").tenant(principal.tenantId);
      const userId = principal.userId as string;
      const current = (await tenant.getNotificationPreferences(userId)) ?? DEFAULT_PREFERENCES;
      const next = {
        events: body.events ?? current.events,
        channels: body.channels ?? current.channels,
        facilityIds: body.facilityIds === undefined ? current.facilityIds : body.facilityIds,
        delivery: body.delivery ?? current.delivery,
        digestHour: body.digestHour ?? current.digestHour,
        timeZone: body.timeZone ?? current.timeZone,
        urgentImmediately: body.urgentImmediately ?? current.urgentImmediately,
        quietHours: body.quietHours === undefined ? current.quietHours : body.quietHours,
        urgentBreaksQuietHours: body.urgentBreaksQuietHours ?? current.urgentBreaksQuietHours,
      };
      await tenant.setNotificationPreferences(userId, next, appOrigin(c));
      return c.json(preferencesView(next));
    },
  );
}
