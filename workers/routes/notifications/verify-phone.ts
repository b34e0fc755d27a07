/**
 * POST /v1/notifications/phone/verify { code } — the code texted to the waiting number: right
 * → the number becomes the one SMS goes to. Codes expire after 10 minutes and allow five
 * wrong guesses (then a new code is needed). Sessions only. Audited (`phone.verified`).
 */
import { describeRoute } from "hono-openapi";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { json } from "../../http/validation";
import { authenticate } from "../../middleware/auth";
import type { App } from "../index";
import { auditPhone, phoneView } from "./phone-shared";
import { PhoneSchema, VerifyPhoneSchema } from "./schemas";
import { requireUser } from "./shared";

const DETAILS = {
  no_pending_code: "No code is waiting: ask for one first (POST /v1/notifications/phone).",
  code_expired: "The code expired: ask for a new one.",
  too_many_attempts: "Too many wrong codes: ask for a new one.",
  wrong_code: "That is not the code we texted.",
} as const;

export function registerVerifyPhone(app: App): void {
  app.post(
    "/v1/notifications/phone/verify",
    describeRoute({
      tags: ["Notifications"],
      summary: "Confirm a phone number with the texted code",
      requestBody: jsonRequestBody(VerifyPhoneSchema),
      responses: {
        200: jsonResponse("The number is verified", PhoneSchema),
        ...problemResponses(401, 403, 409, 415, 422),
      },
    }),
    authenticate,
    requireUser,
    ...json(VerifyPhoneSchema),
    async (c) => {
      const principal = c.get("principal");
      const userId = principal.userId as string;
      const outcome = await c
        .get("services")
        .tenant(principal.tenantId)
        .verifyPhone(userId, c.req.valid("json").code);
      if (!outcome.ok)
        throw outcome.reason === "wrong_code"
          ? new Problem({
              status: 422,
              code: "wrong_code",
              title: "Wrong code",
              detail: `${DETAILS.wrong_code} ${outcome.attemptsLeft} attempt${outcome.attemptsLeft === 1 ? "" : "s"} left.`,
              errors: [{ pointer: "/code", detail: "is not the code we texted" }],
              extensions: { attemptsLeft: outcome.attemptsLeft },
            })
          : new Problem({
              status: 409,
              code: outcome.reason,
              title: "No valid code",
              detail: DETAILS[outcome.reason],
            });
      await auditPhone(c, "phone.verified", outcome.state.phone);
      return c.json(await phoneView(c, userId));
    },
  );
}
