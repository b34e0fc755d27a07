/**
 * Throwaway Ed25519 signing keys for `npm start`, the tests and the browser tests, in the
 * `SIGNING_KEYS` format of runtime/signing-keys.ts: one current evidence key and one retired
 * (public half only), so rotation is exercised everywhere, and one partner-token key (ADR 0023). `npm start` keeps its pair in the
 * data directory, so exports made before a restart still verify.
 */
import { generateKeyPairSync } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";

export function devSigningKeys(prefix = "evidence-dev"): string {
  return JSON.stringify([jwk(`${prefix}-retired`, false), jwk(prefix, true), partnerKey(prefix)]);
}

function jwk(kid: string, withPrivate: boolean, purpose = "evidence") {
  const { x, d } = generateKeyPairSync("ed25519").privateKey.export({ format: "jwk" });
  return { kid, purpose, kty: "OKP", crv: "Ed25519", x, ...(withPrivate ? { d } : {}) };
}

const partnerKey = (prefix: string) => jwk(`${prefix}-partner`, true, "partner_token");

/** The local development keys, generated once per data directory. */
export function localSigningKeys(dataDir: string): string {
  const file = resolve(dataDir, "signing-keys.json");
  if (!existsSync(file)) writeFileSync(file, devSigningKeys(), { mode: 0o600 });
  const keys = JSON.parse(readFileSync(file, "utf8")) as { purpose: string }[];
  // A data directory from before partner tokens (ADR 0023) gains its partner key once.
  if (!keys.some((key) => key.purpose === "partner_token")) {
    keys.push(partnerKey("evidence-dev"));
    writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  }
  return JSON.stringify(keys);
}
