/**
 * Throwaway Ed25519 signing keys for `npm start`, the tests and the browser tests, in the
 * `SIGNING_KEYS` format of runtime/signing-keys.ts: one current evidence key and one retired
 * (public half only), so rotation is exercised everywhere. `npm start` keeps its pair in the
 * data directory, so exports made before a restart still verify.
 */
import { generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

export function devSigningKeys(prefix = "evidence-dev"): string {
  const jwk = (kid: string, withPrivate: boolean) => {
    const { x, d } = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
    return { kid, purpose: "evidence", kty: "OKP", crv: "Ed25519", x, ...(withPrivate ? { d } : {}) };
  };
  return JSON.stringify([jwk(`${prefix}-retired`, false), jwk(prefix, true)]);
}

/** The local development keys, generated once per data directory. */
export function localSigningKeys(dataDir: string): string {
  const file = resolve(dataDir, "signing-keys.json");
  if (!existsSync(file)) writeFileSync(file, devSigningKeys(), { mode: 0o600 });
  return readFileSync(file, "utf8").trim();
}
