/**
 * GET /v1/renewal-reminders — the credentials and permits whose renewal Prep tracks for the
 * tenant's locations: "start by D to be covered before E", soonest start first, with the
 * reminder step reached (person → manager → owner) and the next one's time, from the tenant's
 * object (durable-objects/renewal-reminders.ts). Scope `facilities:read`; a manager sees only
 * their locations. docs/notifications.md, "Renewal reminders".
 */
import { describeRoute } from "hono-openapi";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { listOf } from "../../http/schemas";
import { authenticate, requireScope } from "../../middleware/auth";
import { visibleFacilities } from "../alerts/shared";
import type { App } from "../index";
import { RenewalReminderSchema } from "./schemas";

export function registerListRenewalReminders(app: App): void {
  app.get(
    "/v1/renewal-reminders",
    describeRoute({
      tags: ["Facilities"],
      summary: "Credentials and permits to renew: start by D to be covered before E",
      responses: {
        200: jsonResponse("Tracked renewals, soonest start-by date first", listOf(RenewalReminderSchema)),
        ...problemResponses(401, 403),
      },
    }),
    authenticate,
    requireScope("facilities:read"),
    async (c) => {
      const principal = c.get("principal");
      const reminders = await c
        .get("services")
        .tenant(principal.tenantId)
        .listRenewalReminders({ facilityIds: visibleFacilities(principal) });
      return c.json({ data: reminders });
    },
  );
}
