/**
 * SMS through Twilio's REST API with `fetch` (ADR 0021): the Messages resource
 * (`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`, form-encoded `To`, `From` or
 * `MessagingServiceSid`, `Body`, `StatusCallback`; HTTP Basic auth with the Account SID and
 * auth token), what Twilio's error codes mean for a retry, and the `X-Twilio-Signature`
 * check of the requests Twilio sends back (delivery-status callbacks, inbound messages).
 * No SDK: the `twilio` package (6.x) targets Node (axios with https-proxy-agent, jsonwebtoken,
 * Node's crypto for signatures) and one form POST does not need it (ADR 0021). Tests and `npm start` point `apiBase` at
 * test/twilio-server.ts, which speaks the same wire format.
 */
import { hmac } from "../runtime/hmac";

export const TWILIO_API_BASE = "https://api.twilio.com";

export interface TwilioConfig {
  accountSid: string;
  authToken: string;
  /** An E.164 sender number, or a Messaging Service SID (`MG…`). */
  from: string;
  /** Default https://api.twilio.com; tests and `npm start` use the loopback server. */
  apiBase?: string | undefined;
}

/** Twilio config from the environment, or null when SMS is not configured. */
export function twilioConfig(env: {
  TWILIO_ACCOUNT_SID?: string | undefined;
  TWILIO_AUTH_TOKEN?: string | undefined;
  TWILIO_FROM?: string | undefined;
  TWILIO_API_BASE?: string | undefined;
}): TwilioConfig | null {
  if (!env.TWILIO_ACCOUNT_SID || !env.TWILIO_AUTH_TOKEN || !env.TWILIO_FROM) return null;
  return {
    accountSid: env.TWILIO_ACCOUNT_SID,
    authToken: env.TWILIO_AUTH_TOKEN,
    from: env.TWILIO_FROM,
    apiBase: env.TWILIO_API_BASE || undefined,
  };
}

/** E.164: a plus, a country code not starting with 0, at most 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

export type TwilioSendResult =
  | { ok: true; sid: string; status: string }
  | {
      ok: false;
      /** True when sending again cannot help (the recipient's number, their STOP). */
      permanent: boolean;
      /** Twilio's error code (21610, 21211, 20429…), when it sent one. */
      code: number | null;
      httpStatus: number | null;
      message: string;
    };

/**
 * Twilio's error codes that are about the recipient or the message itself: sending the same
 * request again gets the same answer (https://www.twilio.com/docs/api/errors).
 * Anything about Prep's own account (20003 authentication, 20005 suspended, 21606/21212 a
 * sender it may not use) is retried instead: the operator fixes it and nothing is lost.
 */
export const PERMANENT_TWILIO_CODES: ReadonlyMap<number, string> = new Map([
  [21211, "invalid 'To' phone number"],
  [21214, "'To' phone number cannot be reached"],
  [21217, "phone number does not appear to be valid"],
  [21407, "this phone number type does not support SMS"],
  [21408, "permission to send an SMS has not been enabled for the region"],
  [21602, "message body is required"],
  [21610, "the recipient replied STOP (unsubscribed)"],
  [21612, "the 'To' number is not currently reachable via SMS"],
  [21614, "'To' number is not a valid mobile number"],
  [21617, "the concatenated message body exceeds the 1600 character limit"],
  [21635, "'To' number cannot be a landline"],
]);

/** Twilio's code for a recipient who replied STOP: Prep records the opt-out too. */
export const TWILIO_UNSUBSCRIBED = 21610;

/** Whether a failed request is worth repeating: Twilio's code first, then the HTTP status. */
export function isPermanentTwilioError(code: number | null, httpStatus: number | null): boolean {
  if (code !== null && PERMANENT_TWILIO_CODES.has(code)) return true;
  if (code === 20429 || httpStatus === 429) return false; // too many requests
  if (httpStatus === null || httpStatus >= 500) return false; // network, Twilio's outage
  if (httpStatus === 401 || httpStatus === 403) return false; // Prep's credentials or account
  if (code !== null && [20003, 20005, 21212, 21606, 21659].includes(code)) return false;
  // Another 4xx: the request itself is wrong; the same request fails the same way.
  return httpStatus >= 400 && httpStatus < 500;
}

const SEND_TIMEOUT_MS = 15_000;

/** Sends one SMS. Never throws: every outcome, network errors included, is a result. */
export async function sendSms(
  config: TwilioConfig,
  message: { to: string; body: string; statusCallback?: string | undefined },
): Promise<TwilioSendResult> {
  const form = new URLSearchParams({ To: message.to, Body: message.body });
  if (/^MG[0-9a-f]{32}$/i.test(config.from)) form.set("MessagingServiceSid", config.from);
  else form.set("From", config.from);
  if (message.statusCallback) form.set("StatusCallback", message.statusCallback);
  const base = (config.apiBase ?? TWILIO_API_BASE).replace(/\/$/, "");
  const url = `${base}/2010-04-01/Accounts/${encodeURIComponent(config.accountSid)}/Messages.json`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: {
        authorization: `Basic ${btoa(`${config.accountSid}:${config.authToken}`)}`,
        "content-type": "application/x-www-form-urlencoded",
        accept: "application/json",
      },
      body: form.toString(),
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
  } catch (error) {
    return {
      ok: false,
      permanent: false,
      code: null,
      httpStatus: null,
      message: `Twilio unreachable: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // An HTML error page from a proxy: only the status says anything.
  }
  if (response.ok && typeof json.sid === "string")
    return { ok: true, sid: json.sid, status: typeof json.status === "string" ? json.status : "queued" };
  const code = typeof json.code === "number" ? json.code : null;
  const detail = typeof json.message === "string" ? json.message : text.slice(0, 200);
  return {
    ok: false,
    permanent: response.ok ? false : isPermanentTwilioError(code, response.status),
    code,
    httpStatus: response.status,
    message: `Twilio ${response.status}${code === null ? "" : ` (${code})`}: ${detail}`.slice(0, 500),
  };
}

// ---- Requests from Twilio ----

/**
 * `X-Twilio-Signature` of a POST (https://www.twilio.com/docs/usage/security): the full URL
 * Twilio requested (scheme, host, path, query), then each POST parameter's name and value
 * appended in the parameters' sorted order, HMAC-SHA1 with the auth token, base64.
 */
export async function twilioSignature(
  authToken: string,
  url: string,
  params: Iterable<[string, string]>,
): Promise<string> {
  const sorted = [...params].sort(([ak, av], [bk, bv]) =>
    ak < bk ? -1 : ak > bk ? 1 : av < bv ? -1 : av > bv ? 1 : 0,
  );
  const mac = await hmac("SHA-1", authToken, url + sorted.map(([k, v]) => k + v).join(""));
  return btoa(String.fromCharCode(...mac));
}

/** Compares without leaking where the first difference is. */
function constantTimeEqual(a: string, b: string): boolean {
  const left = new TextEncoder().encode(a);
  const right = new TextEncoder().encode(b);
  let diff = left.length ^ right.length;
  for (let i = 0; i < left.length; i++) diff |= (left[i] as number) ^ (right[i % right.length] ?? 0);
  return diff === 0 && right.length > 0;
}

/** True when `signature` is Twilio's for this URL and these parameters. */
export async function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Iterable<[string, string]>,
  signature: string | null | undefined,
): Promise<boolean> {
  if (!signature || signature.length > 200 || !authToken) return false;
  return constantTimeEqual(await twilioSignature(authToken, url, params), signature);
}

/** Twilio's opt-out and opt-in keywords (Advanced Opt-Out defaults), matched as the whole message. */
export const STOP_KEYWORDS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT"] as const;
export const START_KEYWORDS = ["START", "YES", "UNSTOP"] as const;

/** What an inbound message asks for: `stop`, `start`, or nothing Prep acts on. */
export function optKeyword(body: string): "stop" | "start" | null {
  const word = body.trim().toUpperCase();
  if ((STOP_KEYWORDS as readonly string[]).includes(word)) return "stop";
  if ((START_KEYWORDS as readonly string[]).includes(word)) return "start";
  return null;
}

/** TwiML that sends no reply (Twilio itself confirms STOP/START to the person). */
export const EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response/>';
