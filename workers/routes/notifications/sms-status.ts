/**
 * POST /v1/notifications/sms/status?tenant=…&delivery=… — Twilio's delivery-status callback
 * (the `StatusCallback` each SMS names): `MessageSid`, `MessageStatus` (queued, sent,
 * delivered, undelivered, failed…) and `ErrorCode`, signed with `X-Twilio-Signature`. The
 * status is recorded on the delivery that sent that message (its delivery log); `failed` and
 * `undelivered` mark it failed. The tenant and delivery come from the URL, which the
 * signature covers. Answers 204, also for a message it does not know (Twilio would retry).
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { problemResponses } from "../../http/openapi";
import { validate } from "../../http/validation";
import type { App } from "../index";
import { signedTwilioForm } from "./twilio-request";

const StatusQuery = v.object({
  tenant: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
  delivery: v.pipe(v.string(), v.minLength(1), v.maxLength(64)),
});

export function registerSmsStatusCallback(app: App): void {
  app.post(
    "/v1/notifications/sms/status",
    describeRoute({
      tags: ["Notifications"],
      summary: "Twilio's SMS delivery-status callback (signed with X-Twilio-Signature)",
      responses: { 204: { description: "Recorded" }, ...problemResponses(403, 404, 413, 415, 422) },
    }),
    validate("query", StatusQuery),
    async (c) => {
      const form = await signedTwilioForm(c);
      const { tenant, delivery } = c.req.valid("query");
      const sid = form.get("MessageSid") ?? form.get("SmsSid") ?? "";
      const status = form.get("MessageStatus") ?? form.get("SmsStatus") ?? "";
      if (sid && status)
        await c
          .get("services")
          .tenant(tenant)
          .recordSmsStatus(delivery, sid.slice(0, 64), status, form.get("ErrorCode"));
      return c.body(null, 204);
    },
  );
}
