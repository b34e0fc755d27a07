/**
 * GET /v1/notifications/phone — the signed-in user's phone number for SMS (verified, or
 * waiting for its code) and their latest SMS deliveries with Twilio's status. Sessions only.
 */
import { describeRoute } from "hono-openapi";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { authenticate } from "../../middleware/auth";
import type { App } from "../index";
import { phoneView } from "./phone-shared";
import { PhoneSchema } from "./schemas";
import { requireUser } from "./shared";

export function registerGetPhone(app: App): void {
  app.get(
    "/v1/notifications/phone",
    describeRoute({
      tags: ["Notifications"],
      summary: "Your phone number for SMS and your latest texts",
      responses: { 200: jsonResponse("The phone number", PhoneSchema), ...problemResponses(401, 403) },
    }),
    authenticate,
    requireUser,
    async (c) => c.json(await phoneView(c, c.get("principal").userId as string)),
  );
}
