/**
 * POST /v1/notifications/phone { phone } — texts a 6-digit code to an E.164 number; the
 * number is used for SMS only once the code comes back (POST /v1/notifications/phone/verify).
 * At most one code per 30 s and five per hour per user (429 with Retry-After); a number that
 * replied STOP is refused (409) until it texts START. The plan must include SMS alerts.
 * Sessions only.
 */
import { describeRoute } from "hono-openapi";
import { asPlatform } from "../../../db/client";
import { isOptedOut } from "../../../db/sms-opt-outs";
import { verificationSms } from "../../../notifications/sms";
import { sendSms } from "../../../notifications/twilio";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { json } from "../../http/validation";
import { authenticate } from "../../middleware/auth";
import { appOrigin } from "../billing/shared";
import type { App } from "../index";
import { phoneView, requireSmsFeature, requireTwilio } from "./phone-shared";
import { AddPhoneSchema, PhoneSchema } from "./schemas";
import { requireUser } from "./shared";

export function registerAddPhone(app: App): void {
  app.post(
    "/v1/notifications/phone",
    describeRoute({
      tags: ["Notifications"],
      summary: "Text a verification code to a phone number",
      requestBody: jsonRequestBody(AddPhoneSchema),
      responses: {
        202: jsonResponse("The code was sent; the number waits for it", PhoneSchema),
        ...problemResponses(401, 402, 403, 409, 415, 422, 429, 502, 503),
      },
    }),
    authenticate,
    requireUser,
    requireSmsFeature,
    ...json(AddPhoneSchema),
    async (c) => {
      const twilio = requireTwilio(c);
      const { phone } = c.req.valid("json");
      const principal = c.get("principal");
      const userId = principal.userId as string;
      if (await asPlatform(c.get("services").db(), (tx) => isOptedOut(tx, phone)))
        throw new Problem({
          status: 409,
          code: "phone_opted_out",
          title: "This number replied STOP",
          detail: `${phone} asked Prep to stop texting it. Text START to Prep's number from it, then try again.`,
        });
      const started = await c
        .get("services")
        .tenant(principal.tenantId)
        .startPhoneVerification(userId, phone, appOrigin(c));
      if (!started.ok)
        throw new Problem({
          status: 429,
          code: "too_many_codes",
          title: "Too many codes",
          detail: `Wait ${started.retryAfterSeconds} s before asking for another code.`,
          headers: { "retry-after": String(started.retryAfterSeconds) },
        });
      const sent = await sendSms(twilio, { to: phone, body: verificationSms(started.code) });
      if (!sent.ok)
        throw sent.permanent
          ? new Problem({
              status: 422,
              code: "phone_not_textable",
              title: "This number cannot get texts",
              detail: `Twilio refused to text ${phone}: ${sent.message}`,
              errors: [{ pointer: "/phone", detail: "cannot receive SMS" }],
            })
          : new Problem({
              status: 502,
              code: "sms_provider_unavailable",
              title: "SMS provider unavailable",
              detail: "The text could not be sent just now; try again in a minute.",
              headers: { "retry-after": "60" },
            });
      return c.json(await phoneView(c, userId), 202);
    },
  );
}
