/**
 * PKCE (RFC 7636): the S256 challenge of a verifier, BASE64URL(SHA-256(ASCII(verifier))).
 * Prep accepts only S256 — `plain` would let a stolen code be redeemed by whoever saw the
 * authorization request.
 */
export async function pkceChallenge(verifier: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
  return btoa(String.fromCharCode(...digest))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** A challenge as the consent request must carry it: 43 base64url characters. */
export const PKCE_CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
