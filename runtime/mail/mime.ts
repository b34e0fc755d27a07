/**
 * Builds an RFC 5322 message: headers (non-ASCII subjects as RFC 2047 encoded words) and a
 * multipart/alternative body whose text and HTML parts are base64, so any UTF-8 arrives
 * intact and no line is too long. Header values never carry CR or LF (header injection).
 */
export interface OutgoingMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
  html?: string;
  /**
   * Extra headers (e.g. RFC 8058's `List-Unsubscribe` and `List-Unsubscribe-Post`). Names must
   * be RFC 5322 field names; values are flattened like every other header.
   */
  headers?: Readonly<Record<string, string>>;
  /** The Message-ID's local part, when the sender wants a stable one (a retried notification); else random. */
  messageId?: string;
}

const FIELD_NAME = /^[!-9;-~]+$/;

const encoder = new TextEncoder();

function base64(text: string): string {
  const bytes = encoder.encode(text);
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return (btoa(binary).match(/.{1,76}/g) ?? []).join("\r\n");
}

function headerValue(value: string): string {
  const flat = value.replace(/[\r\n]+/g, " ");
  return /^[\x20-\x7e]*$/.test(flat) ? flat : `=?UTF-8?B?${base64(flat).replaceAll("\r\n", "")}?=`;
}

export function buildMessage(message: OutgoingMessage): string {
  const boundary = `prep-${crypto.randomUUID()}`;
  const domain = /@([^>\s]+)/.exec(message.from)?.[1] ?? "prep.localhost";
  const headers = [
    `From: ${headerValue(message.from)}`,
    `To: ${headerValue(message.to)}`,
    `Subject: ${headerValue(message.subject)}`,
    `Date: ${new Date().toUTCString()}`,
    `Message-ID: <${(message.messageId ?? crypto.randomUUID()).replace(/[^\w.-]/g, "")}@${domain}>`,
    "MIME-Version: 1.0",
  ];
  for (const [name, value] of Object.entries(message.headers ?? {})) {
    if (!FIELD_NAME.test(name)) throw new Error(`not a header field name: ${JSON.stringify(name)}`);
    headers.push(`${name}: ${headerValue(value)}`);
  }
  const part = (type: string, content: string) =>
    [
      `--${boundary}`,
      `Content-Type: ${type}; charset=utf-8`,
      "Content-Transfer-Encoding: base64",
      "",
      base64(content),
    ].join("\r\n");
  const parts = [part("text/plain", message.text)];
  if (message.html) parts.push(part("text/html", message.html));
  return [
    ...headers,
    `Content-Type: multipart/alternative; boundary="${boundary}"`,
    "",
    ...parts,
    `--${boundary}--`,
  ].join("\r\n");
}
