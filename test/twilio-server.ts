/**
 * A loopback server speaking Twilio's wire format for the one endpoint Prep calls, so the
 * production client (notifications/twilio.ts) talks to it unchanged. Started in Node by the
 * global setup, by web/e2e/server.ts and by `npm start` (which prints its URL).
 *
 * Twilio's API:
 *   POST /2010-04-01/Accounts/{AccountSid}/Messages.json
 *     form-encoded To, From | MessagingServiceSid, Body, StatusCallback; HTTP Basic auth
 *     (Account SID : auth token). Answers 201 with Twilio's Message JSON (`sid` SM…, `status`
 *     queued), or Twilio's error JSON `{ code, message, more_info, status }`: 401/20003 bad
 *     credentials, 400/21211 invalid To, 400/21610 the recipient replied STOP, 400/21602 no
 *     Body, 400/21603 no From, 429/20429 and 5xx when told to fail. When StatusCallback is a
 *     loopback URL, posts `sent` then `delivered` to it, signed with X-Twilio-Signature, as
 *     Twilio does (so `npm start` shows statuses; tests in workerd have no port to call).
 * What a test does to it (JSON, never called by production code):
 *   GET  /__fake/messages?to=+1…      messages received (newest last)
 *   POST /__fake/fail                 {"count", "status", "code"}: the next sends answer that error
 *   POST /__fake/outage               {"on": true|false}: every send answers 503 until turned off
 *   POST /__fake/stopped              {"phone", "stopped"}: Twilio's own opt-out list (→ 21610)
 *   POST /__fake/sign                 {"url", "params"}: X-Twilio-Signature, computed here with
 *                                     node:crypto (an implementation independent of Prep's)
 *   POST /__fake/inbound              {"url", "from", "body"}: Twilio delivers an incoming
 *                                     message to `url`, signed (loopback Prep only), and
 *                                     answers {"prepAnswered": status}
 */
import { createHmac, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";

/** The credentials tests and `npm start` give the Worker (not secrets: loopback only). */
export const FAKE_TWILIO = {
  accountSid: `AC${"0123456789abcdef".repeat(2)}`,
  authToken: "loopback-twilio-auth-token-0001",
  from: "+15005550006",
} as const;

export interface TwilioFake {
  url: string;
  close(): Promise<void>;
}

interface Message {
  sid: string;
  to: string;
  from: string | null;
  messagingServiceSid: string | null;
  body: string;
  statusCallback: string | null;
  status: string;
  dateCreated: string;
}

/** Twilio's signature: URL + each sorted parameter's name and value, HMAC-SHA1, base64. */
export function signTwilio(authToken: string, url: string, params: Record<string, string>): string {
  const data = Object.keys(params)
    .sort()
    .reduce((acc, key) => acc + key + params[key], url);
  return createHmac("sha1", authToken).update(Buffer.from(data, "utf-8")).digest("base64");
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

const twilioError = (response: ServerResponse, status: number, code: number, message: string) =>
  send(response, status, {
    code,
    message,
    more_info: `https://www.twilio.com/docs/errors/${code}`,
    status,
  });

const isLoopback = (url: string) => {
  try {
    return ["127.0.0.1", "localhost", "[::1]"].includes(new URL(url).hostname);
  } catch {
    return false;
  }
};

/** Posts a signed form to Prep, as Twilio does (errors ignored: Prep may be gone). */
async function postSigned(url: string, params: Record<string, string>, authToken: string): Promise<number> {
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-twilio-signature": signTwilio(authToken, url, params),
      },
      body: new URLSearchParams(params).toString(),
    });
    await response.body?.cancel();
    return response.status;
  } catch {
    return 0;
  }
}

export async function startTwilioFake(options: { port?: number } = {}): Promise<TwilioFake> {
  const messages: Message[] = [];
  const stopped = new Set<string>();
  let outage = false;
  let failures: { count: number; status: number; code: number } = { count: 0, status: 500, code: 20500 };

  const server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? "/", "http://localhost");
      const body = await readBody(request);
      if (url.pathname.startsWith("/__fake/")) return control(url, body, response);
      const match = /^\/2010-04-01\/Accounts\/([^/]+)\/Messages\.json$/.exec(url.pathname);
      if (!match || request.method !== "POST")
        return twilioError(response, 404, 20404, "The requested resource was not found");
      const expected = `Basic ${Buffer.from(`${FAKE_TWILIO.accountSid}:${FAKE_TWILIO.authToken}`).toString("base64")}`;
      if (request.headers.authorization !== expected || match[1] !== FAKE_TWILIO.accountSid)
        return twilioError(response, 401, 20003, "Authenticate");
      if (!(request.headers["content-type"] ?? "").startsWith("application/x-www-form-urlencoded"))
        return twilioError(response, 400, 21602, "Message body is required.");
      if (outage) return twilioError(response, 503, 20503, "Service Unavailable");
      if (failures.count > 0) {
        failures.count--;
        return twilioError(response, failures.status, failures.code, `Failure ${failures.code} (test)`);
      }
      const form = new URLSearchParams(body);
      const to = form.get("To") ?? "";
      const from = form.get("From");
      const messagingServiceSid = form.get("MessagingServiceSid");
      const text = form.get("Body") ?? "";
      if (!/^\+[1-9]\d{6,14}$/.test(to))
        return twilioError(response, 400, 21211, `The 'To' number ${to} is not a valid phone number.`);
      if (!from && !messagingServiceSid)
        return twilioError(response, 400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required");
      if (!text) return twilioError(response, 400, 21602, "Message body is required.");
      if (text.length > 1600)
        return twilioError(
          response,
          400,
          21617,
          "The concatenated message body exceeds the 1600 character limit.",
        );
      if (stopped.has(to))
        return twilioError(response, 400, 21610, "Attempt to send to unsubscribed recipient");
      const message: Message = {
        sid: `SM${randomBytes(16).toString("hex")}`,
        to,
        from,
        messagingServiceSid,
        body: text,
        statusCallback: form.get("StatusCallback"),
        status: "queued",
        dateCreated: new Date().toUTCString(),
      };
      messages.push(message);
      send(response, 201, {
        account_sid: FAKE_TWILIO.accountSid,
        api_version: "2010-04-01",
        body: text,
        date_created: message.dateCreated,
        date_sent: null,
        date_updated: message.dateCreated,
        direction: "outbound-api",
        error_code: null,
        error_message: null,
        from,
        messaging_service_sid: messagingServiceSid,
        num_media: "0",
        num_segments: String(Math.ceil(text.length / 153)),
        price: null,
        price_unit: "USD",
        sid: message.sid,
        status: "queued",
        to,
        uri: `/2010-04-01/Accounts/${FAKE_TWILIO.accountSid}/Messages/${message.sid}.json`,
      });
      const callback = message.statusCallback;
      if (callback && isLoopback(callback)) {
        for (const status of ["sent", "delivered"]) {
          await new Promise((done) => setTimeout(done, 50));
          message.status = status;
          await postSigned(
            callback,
            {
              AccountSid: FAKE_TWILIO.accountSid,
              ApiVersion: "2010-04-01",
              From: from ?? "",
              MessageSid: message.sid,
              MessageStatus: status,
              SmsSid: message.sid,
              SmsStatus: status,
              To: to,
            },
            FAKE_TWILIO.authToken,
          );
        }
      }
    })().catch((error) => {
      if (!response.headersSent) send(response, 500, { code: 20500, message: String(error), status: 500 });
    });
  });

  async function control(url: URL, body: string, response: ServerResponse) {
    const json = (body ? JSON.parse(body) : {}) as Record<string, unknown>;
    switch (url.pathname) {
      case "/__fake/messages": {
        const to = url.searchParams.get("to");
        return send(response, 200, to ? messages.filter((m) => m.to === to) : messages);
      }
      case "/__fake/fail":
        failures = {
          count: Number(json.count ?? 1),
          status: Number(json.status ?? 500),
          code: Number(json.code ?? 20500),
        };
        return send(response, 200, failures);
      case "/__fake/outage":
        outage = json.on === true;
        return send(response, 200, { outage });
      case "/__fake/stopped":
        if (json.stopped === false) stopped.delete(String(json.phone));
        else stopped.add(String(json.phone));
        return send(response, 200, { stopped: [...stopped] });
      case "/__fake/sign":
        return send(response, 200, {
          signature: signTwilio(
            FAKE_TWILIO.authToken,
            String(json.url),
            (json.params ?? {}) as Record<string, string>,
          ),
        });
      case "/__fake/inbound": {
        const target = String(json.url);
        if (!isLoopback(target)) return send(response, 400, { error: "loopback URLs only" });
        const status = await postSigned(
          target,
          {
            AccountSid: FAKE_TWILIO.accountSid,
            Body: String(json.body ?? ""),
            From: String(json.from ?? ""),
            MessageSid: `SM${randomBytes(16).toString("hex")}`,
            To: FAKE_TWILIO.from,
          },
          FAKE_TWILIO.authToken,
        );
        return send(response, 200, { prepAnswered: status });
      }
      default:
        return send(response, 404, { error: "unknown control" });
    }
  }

  await new Promise<void>((done) => server.listen(options.port ?? 0, "127.0.0.1", done));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/** The Worker's TWILIO_* variables for a loopback server at `url`. */
export function fakeTwilioVars(url: string): Record<string, string> {
  return {
    TWILIO_ACCOUNT_SID: FAKE_TWILIO.accountSid,
    TWILIO_AUTH_TOKEN: FAKE_TWILIO.authToken,
    TWILIO_FROM: FAKE_TWILIO.from,
    TWILIO_API_BASE: url,
  };
}
