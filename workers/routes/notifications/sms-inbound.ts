/**
 * POST /v1/notifications/sms/inbound — Twilio's incoming-message webhook for Prep's number,
 * signed with `X-Twilio-Signature`. STOP, STOPALL, UNSUBSCRIBE, CANCEL, END or QUIT stops
 * every SMS to the sending number (from every tenant) until it texts START, YES or UNSTOP
 * (db/sms-opt-outs.ts). Answers empty TwiML (`<Response/>`): Twilio's Advanced Opt-Out sends
 * the confirmation itself; anything else texted is ignored.
 */
import { describeRoute } from "hono-openapi";
import { asPlatform } from "../../../db/client";
import { recordOptOut } from "../../../db/sms-opt-outs";
import { E164, EMPTY_TWIML, optKeyword } from "../../../notifications/twilio";
import { problemResponses } from "../../http/openapi";
import type { App } from "../index";
import { signedTwilioForm } from "./twilio-request";

export function registerSmsInbound(app: App): void {
  app.post(
    "/v1/notifications/sms/inbound",
    describeRoute({
      tags: ["Notifications"],
      summary: "Twilio's incoming-message webhook: STOP and START (signed with X-Twilio-Signature)",
      responses: {
        200: { description: "Empty TwiML", content: { "text/xml": { schema: { type: "string" } } } },
        ...problemResponses(403, 404, 413, 415),
      },
    }),
    async (c) => {
      const form = await signedTwilioForm(c);
      const from = form.get("From") ?? "";
      const keyword = optKeyword(form.get("Body") ?? "");
      if (keyword && E164.test(from)) {
        const word = (form.get("Body") ?? "").trim().toUpperCase();
        await asPlatform(c.get("services").db(), (tx) => recordOptOut(tx, from, keyword === "stop", word));
      }
      return c.body(EMPTY_TWIML, 200, { "content-type": "text/xml; charset=utf-8" });
    },
  );
}
