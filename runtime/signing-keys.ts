/**
 * Prep's signing keys: Ed25519 key pairs, each with a key id (`kid`) and a purpose, read from
 * one secret (`SIGNING_KEYS`), published together at `/.well-known/jwks.json`.
 *
 * Several purposes share the one ring and the one JWKS document, each signing only with its
 * own keys: `evidence` signs evidence-export manifests (evidence/manifest.ts); partner access
 * tokens are meant to get `partner_token`. A verifier looks a key up by `kid` and must check
 * its purpose (`verificationKey(kid, purpose)`), so a key of one purpose never validates
 * another's signatures.
 *
 * Rotation: add a new key for the purpose at the end of the list (the last key of a purpose
 * that still has its private half `d` is the one that signs), and remove `d` from the old
 * one, keeping its public half listed: everything it ever signed still verifies. A key is
 * dropped from the list only when nothing it signed needs verifying any more.
 *
 * `npm start` and the tests generate a throwaway key per run (`generateSigningKey`);
 * staging and production read the secret (RUNBOOK.md: "Signing keys").
 */
import { exportJWK, generateKeyPair, importJWK, type JWK } from "jose";

/** What a key signs. A new use of signatures gets its own purpose (and keys). */
export const KEY_PURPOSES = ["evidence", "partner_token"] as const;
export type KeyPurpose = (typeof KEY_PURPOSES)[number];

/** The JWS algorithm of every Prep key: EdDSA over Ed25519 (RFC 8037). */
export const SIGNING_ALG = "EdDSA";

/** One entry of `SIGNING_KEYS`: an OKP JWK plus Prep's `kid` and `purpose`; `d` only while it signs. */
export interface SigningKeyEntry {
  kid: string;
  purpose: KeyPurpose;
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  d?: string;
}

/** A published key, as it appears in the JWKS document. */
export interface PublicSigningKey {
  kid: string;
  kty: "OKP";
  crv: "Ed25519";
  x: string;
  alg: typeof SIGNING_ALG;
  use: "sig";
  /** Prep's extension member: what the key signs. */
  purpose: KeyPurpose;
}

export class SigningKeyError extends Error {
  override name = "SigningKeyError";
}

const B64URL_32_BYTES = /^[A-Za-z0-9_-]{43}$/;
const KID = /^[A-Za-z0-9._-]{1,64}$/;

/** Parses and checks `SIGNING_KEYS` (a JSON array of entries); throws SigningKeyError naming what is wrong. */
export function parseSigningKeys(text: string | undefined): SigningKeyEntry[] {
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new SigningKeyError("SIGNING_KEYS is not JSON");
  }
  if (!Array.isArray(parsed)) throw new SigningKeyError("SIGNING_KEYS must be a JSON array of keys");
  const seen = new Set<string>();
  return parsed.map((raw, index) => {
    const entry = raw as Partial<SigningKeyEntry> | null;
    const where = `SIGNING_KEYS[${index}]`;
    if (!entry || typeof entry !== "object") throw new SigningKeyError(`${where} is not an object`);
    if (typeof entry.kid !== "string" || !KID.test(entry.kid))
      throw new SigningKeyError(`${where}.kid must be 1–64 of A-Z a-z 0-9 . _ -`);
    if (seen.has(entry.kid)) throw new SigningKeyError(`${where}.kid "${entry.kid}" is listed twice`);
    seen.add(entry.kid);
    if (!KEY_PURPOSES.includes(entry.purpose as KeyPurpose))
      throw new SigningKeyError(`${where}.purpose must be one of ${KEY_PURPOSES.join(", ")}`);
    if (entry.kty !== "OKP" || entry.crv !== "Ed25519")
      throw new SigningKeyError(`${where} must be an Ed25519 key (kty OKP, crv Ed25519)`);
    if (typeof entry.x !== "string" || !B64URL_32_BYTES.test(entry.x))
      throw new SigningKeyError(`${where}.x must be a base64url Ed25519 public key`);
    if (entry.d !== undefined && (typeof entry.d !== "string" || !B64URL_32_BYTES.test(entry.d)))
      throw new SigningKeyError(`${where}.d must be a base64url Ed25519 private key`);
    return {
      kid: entry.kid,
      purpose: entry.purpose as KeyPurpose,
      kty: "OKP",
      crv: "Ed25519",
      x: entry.x,
      ...(entry.d ? { d: entry.d } : {}),
    };
  });
}

/**
 * The keys of one deployment. Holds plain JWK data only (no CryptoKey, no promise), so one
 * ring may serve every request of an isolate; each use imports the key it needs.
 */
export class KeyRing {
  constructor(readonly entries: readonly SigningKeyEntry[]) {}

  /** Every key's public half, old and current, for `/.well-known/jwks.json`. */
  jwks(): { keys: PublicSigningKey[] } {
    return {
      keys: this.entries.map(({ kid, purpose, x }) => ({
        kid,
        kty: "OKP",
        crv: "Ed25519",
        x,
        alg: SIGNING_ALG,
        use: "sig",
        purpose,
      })),
    };
  }

  /** The key that signs for `purpose` now: the last listed one with its private half. */
  async signingKey(purpose: KeyPurpose): Promise<{ kid: string; key: CryptoKey }> {
    const entry = this.entries.findLast((candidate) => candidate.purpose === purpose && candidate.d);
    if (!entry) throw new SigningKeyError(`no signing key for "${purpose}" in SIGNING_KEYS`);
    const key = (await importJWK(
      { kty: "OKP", crv: "Ed25519", x: entry.x, d: entry.d } as JWK,
      SIGNING_ALG,
    )) as CryptoKey;
    return { kid: entry.kid, key };
  }

  /** The public key `kid` names, when it exists and is one of `purpose`'s; else null. */
  async verificationKey(kid: string, purpose: KeyPurpose): Promise<CryptoKey | null> {
    const entry = this.entries.find((candidate) => candidate.kid === kid && candidate.purpose === purpose);
    if (!entry) return null;
    return (await importJWK({ kty: "OKP", crv: "Ed25519", x: entry.x } as JWK, SIGNING_ALG)) as CryptoKey;
  }
}

/** Rings already parsed in this isolate, by the secret's text (it only changes on deploy). */
const parsedRings = new Map<string, KeyRing>();

/** The deployment's key ring from its `SIGNING_KEYS`; an empty ring when it is unset. */
export function keyRing(env: { SIGNING_KEYS?: string | undefined }): KeyRing {
  const text = env.SIGNING_KEYS ?? "";
  let ring = parsedRings.get(text);
  if (!ring) {
    ring = new KeyRing(parseSigningKeys(text));
    parsedRings.set(text, ring);
  }
  return ring;
}

/** A new key pair as a `SIGNING_KEYS` entry (npm start, tests, `npx prep signing-key new`). */
export async function generateSigningKey(purpose: KeyPurpose, kid: string): Promise<SigningKeyEntry> {
  const { privateKey } = await generateKeyPair(SIGNING_ALG, { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(privateKey);
  if (!jwk.x || !jwk.d) throw new SigningKeyError("the generated key has no x or d");
  return { kid, purpose, kty: "OKP", crv: "Ed25519", x: jwk.x, d: jwk.d };
}
