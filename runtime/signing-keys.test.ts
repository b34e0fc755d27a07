// The signing-key ring: parsing refuses malformed entries by name; the last key of a purpose
// with a private half signs; retired keys stay published (public halves only) and verify what
// they signed; a key of one purpose never verifies for another.
import { CompactSign, compactVerify } from "jose";
import { describe, expect, it } from "vitest";
import { generateSigningKey, KeyRing, keyRing, parseSigningKeys, SigningKeyError } from "./signing-keys";

describe("parseSigningKeys", () => {
  it.each([
    ["not JSON", "{", /not JSON/],
    ["not an array", "{}", /JSON array/],
    [
      "a bad kid",
      JSON.stringify([{ kid: "a b", purpose: "evidence", kty: "OKP", crv: "Ed25519", x: "A".repeat(43) }]),
      /kid/,
    ],
    [
      "an unknown purpose",
      JSON.stringify([{ kid: "k", purpose: "email", kty: "OKP", crv: "Ed25519", x: "A".repeat(43) }]),
      /purpose/,
    ],
    [
      "another curve",
      JSON.stringify([{ kid: "k", purpose: "evidence", kty: "EC", crv: "P-256", x: "A".repeat(43) }]),
      /Ed25519/,
    ],
    [
      "a short x",
      JSON.stringify([{ kid: "k", purpose: "evidence", kty: "OKP", crv: "Ed25519", x: "AAAA" }]),
      /\.x/,
    ],
    [
      "a repeated kid",
      JSON.stringify([
        { kid: "k", purpose: "evidence", kty: "OKP", crv: "Ed25519", x: "A".repeat(43) },
        { kid: "k", purpose: "evidence", kty: "OKP", crv: "Ed25519", x: "B".repeat(43) },
      ]),
      /twice/,
    ],
  ])("refuses %s", (_, text, message) => {
    expect(() => parseSigningKeys(text)).toThrow(SigningKeyError);
    expect(() => parseSigningKeys(text)).toThrow(message);
  });

  it("reads nothing from an unset secret", () => {
    expect(keyRing({}).jwks()).toEqual({ keys: [] });
  });
});

describe("a ring with a retired and a current key", () => {
  it("signs with the current key, publishes both without private halves, verifies by kid and purpose", async () => {
    const old = await generateSigningKey("evidence", "evidence-2025");
    const current = await generateSigningKey("evidence", "evidence-2026");
    const partner = await generateSigningKey("partner_token", "partner-2026");
    const { d: _retired, ...retired } = old;
    const ring = new KeyRing(parseSigningKeys(JSON.stringify([retired, current, partner])));

    const signer = await ring.signingKey("evidence");
    expect(signer.kid).toBe("evidence-2026");
    expect(ring.jwks().keys.map((key) => [key.kid, key.purpose])).toEqual([
      ["evidence-2025", "evidence"],
      ["evidence-2026", "evidence"],
      ["partner-2026", "partner_token"],
    ]);
    expect(JSON.stringify(ring.jwks())).not.toContain('"d"');

    // What the retired key signed before rotation still verifies with its published half.
    const before = new KeyRing(parseSigningKeys(JSON.stringify([old])));
    const oldSigner = await before.signingKey("evidence");
    const jws = await new CompactSign(new TextEncoder().encode("manifest"))
      .setProtectedHeader({ alg: "EdDSA", kid: oldSigner.kid })
      .sign(oldSigner.key);
    const key = await ring.verificationKey("evidence-2025", "evidence");
    expect(key).not.toBeNull();
    await expect(compactVerify(jws, key as CryptoKey)).resolves.toBeDefined();

    expect(await ring.verificationKey("partner-2026", "evidence")).toBeNull();
    expect(await ring.verificationKey("evidence-2026", "partner_token")).toBeNull();
    await expect(new KeyRing([retired as never]).signingKey("evidence")).rejects.toThrow(/no signing key/);
  });
});
