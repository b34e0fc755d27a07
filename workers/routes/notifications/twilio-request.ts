/**
 * What Twilio's requests to Prep share (ADR 0021): the form body, checked against
 * `X-Twilio-Signature` (HMAC-SHA1 over the full URL and the sorted parameters, keyed with the
 * auth token, compared in constant time) before anything else is read or touched. A request
 * Twilio did not sign is a 403 problem; without Twilio configured the routes do not exist (404).
 */
import type { Context } from "hono";
import { twilioConfig, verifyTwilioSignature } from "../../../notifications/twilio";
import type { AppEnv } from "../../context";
import { notFound, Problem } from "../../http/problem";

/** Twilio's callbacks are small; a larger body is not Twilio's. */
const MAX_BODY_BYTES = 16_384;

const tooLarge = () =>
  new Problem({
    status: 413,
    code: "payload_too_large",
    title: "Payload too large",
    detail: `A Twilio request is at most ${MAX_BODY_BYTES} bytes.`,
  });

export async function signedTwilioForm(c: Context<AppEnv>): Promise<URLSearchParams> {
  const config = twilioConfig(c.env);
  if (!config) throw notFound("An SMS webhook (this deployment has no Twilio account)");
  const type = c.req.header("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/x-www-form-urlencoded"))
    throw new Problem({
      status: 415,
      code: "unsupported_media_type",
      title: "Unsupported media type",
      detail: "Twilio posts application/x-www-form-urlencoded.",
    });
  if (Number(c.req.header("content-length") ?? 0) > MAX_BODY_BYTES) throw tooLarge();
  // Decoded by hand: workerd warns when .text() reads a form body.
  const text = new TextDecoder().decode(await c.req.arrayBuffer());
  if (text.length > MAX_BODY_BYTES) throw tooLarge();
  const params = new URLSearchParams(text);
  if (!(await verifyTwilioSignature(config.authToken, c.req.url, params, c.req.header("x-twilio-signature"))))
    throw new Problem({
      status: 403,
      code: "twilio_signature_invalid",
      title: "Invalid signature",
      detail: "X-Twilio-Signature does not match this URL and body for Prep's Twilio account.",
    });
  return params;
}
