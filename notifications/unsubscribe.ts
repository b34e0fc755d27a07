/**
 * One-click unsubscribe tokens (RFC 8058): an email's `List-Unsubscribe` URL carries the
 * tenant and user it was sent to, signed with HMAC-SHA-256 under a key derived from the
 * deployment's SESSION_SECRET, so the link works without signing in and cannot be forged for
 * another user. It does not expire: an old email's link must still stop the mail.
 */
const encoder = new TextEncoder();

const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");

function fromB64url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

async function key(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey(
    "raw",
    encoder.encode(`prep-unsubscribe-v1:${secret}`),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

export interface UnsubscribeTarget {
  tenantId: string;
  userId: string;
}

export async function unsubscribeToken(secret: string, target: UnsubscribeTarget): Promise<string> {
  const payload = b64url(encoder.encode(JSON.stringify({ t: target.tenantId, u: target.userId })));
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", await key(secret), encoder.encode(payload)));
  return `${payload}.${b64url(mac)}`;
}

/** The target of a genuine token, else null (malformed, forged, or signed by another secret). */
export async function readUnsubscribeToken(secret: string, token: string): Promise<UnsubscribeTarget | null> {
  if (token.length > 512) return null;
  const [payload, mac, extra] = token.split(".");
  if (!payload || !mac || extra !== undefined) return null;
  const signature = fromB64url(mac);
  if (!signature) return null;
  const valid = await crypto.subtle.verify("HMAC", await key(secret), signature, encoder.encode(payload));
  if (!valid) return null;
  const json = fromB64url(payload);
  if (!json) return null;
  try {
    const parsed = JSON.parse(new TextDecoder().decode(json)) as { t?: unknown; u?: unknown };
    return typeof parsed.t === "string" && typeof parsed.u === "string"
      ? { tenantId: parsed.t, userId: parsed.u }
      : null;
  } catch {
    return null;
  }
}
