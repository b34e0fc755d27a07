/**
 * Signed dataset bundles: how reviewed datasets travel from compliance-data CI to every
 * deployment. A bundle is a directory of objects under one prefix of the published-bundle
 * R2 bucket:
 *
 *   <prefix>/manifest.json        { format: 1, publishedAt, datasets: [{ jurisdiction, version, path, sha256 }] }
 *   <prefix>/manifest.jws         detached Ed25519 JWS (RFC 7515 appendix F) over manifest.json's bytes
 *   <prefix>/datasets/<file>.json each dataset, byte for byte what the manifest hashes
 *
 * CI builds and signs it (scripts/publish-datasets.ts) with the bundle-signing key, a secret
 * of CI only; deployments pin the public key (`DATASET_BUNDLE_PUBLIC_KEY`, a JWK in
 * wrangler.toml). The nightly refresh reads a source `r2:<prefix>` through `readBundleDataset`:
 * a manifest without a signature, with one that does not verify against the pinned key, or a
 * dataset whose bytes do not match the manifest's hash is a typed failure — never content —
 * so the refresh leaves the active version untouched. This key is only for dataset bundles;
 * evidence exports and partner tokens have their own.
 */
import { CompactSign, compactVerify, exportJWK, generateKeyPair, importJWK, type JWK } from "jose";
import type { FetchResult } from "./sources";

export const BUNDLE_FORMAT = 1;
export const BUNDLE_ALG = "EdDSA";
/** The source scheme of a dataset read from the published bundle: `r2:<prefix>`. */
export const R2_SOURCE = "r2:";

export interface BundleEntry {
  jurisdiction: string;
  version: string;
  /** Object key relative to the bundle's prefix, e.g. `datasets/us-ca.json`. */
  path: string;
  /** SHA-256 of the object's bytes, lower-case hex. */
  sha256: string;
}

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  publishedAt: string;
  /** The commit the bundle was built from (CI), for provenance. */
  commit?: string;
  datasets: BundleEntry[];
}

/** What R2 (or anything shaped like it) must answer: text by key, null when absent. */
export interface BundleStore {
  get(key: string): Promise<{ text(): Promise<string> } | null>;
}

const encoder = new TextEncoder();

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", encoder.encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The bundle's files (path → text), manifest and signature included. */
export async function buildBundle(
  datasets: readonly { file: string; text: string; jurisdiction: string; version: string }[],
  signingKey: JWK,
  options: { publishedAt: string; commit?: string | undefined },
): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const entries: BundleEntry[] = [];
  for (const d of [...datasets].sort((a, b) => a.file.localeCompare(b.file))) {
    const path = `datasets/${d.file}`;
    files.set(path, d.text);
    entries.push({ jurisdiction: d.jurisdiction, version: d.version, path, sha256: await sha256Hex(d.text) });
  }
  const manifest: BundleManifest = {
    format: BUNDLE_FORMAT,
    publishedAt: options.publishedAt,
    ...(options.commit ? { commit: options.commit } : {}),
    datasets: entries,
  };
  const manifestText = `${JSON.stringify(manifest, null, 2)}\n`;
  files.set("manifest.json", manifestText);
  files.set("manifest.jws", await signDetached(manifestText, signingKey));
  return files;
}

/** A detached compact JWS: `header..signature` (the payload travels as manifest.json). */
export async function signDetached(payload: string, privateJwk: JWK): Promise<string> {
  const key = await importJWK(privateJwk, BUNDLE_ALG);
  const jws = await new CompactSign(encoder.encode(payload))
    .setProtectedHeader({ alg: BUNDLE_ALG, ...(privateJwk.kid ? { kid: privateJwk.kid } : {}) })
    .sign(key);
  const [header, , signature] = jws.split(".");
  return `${header}..${signature}`;
}

/** Whether `signature` (detached) signs `payload` with the pinned public key. */
export async function verifyDetached(payload: string, signature: string, publicJwk: JWK): Promise<boolean> {
  const [header, body, sig] = signature.trim().split(".");
  if (header === undefined || body !== "" || sig === undefined) return false;
  try {
    const key = await importJWK(publicJwk, BUNDLE_ALG);
    const attached = `${header}.${base64url(encoder.encode(payload))}.${sig}`;
    const { protectedHeader } = await compactVerify(attached, key, { algorithms: [BUNDLE_ALG] });
    return protectedHeader.b64 === undefined;
  } catch {
    return false;
  }
}

function base64url(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** A new Ed25519 key pair as JWKs (scripts/publish-datasets.ts --new-key, `npm start`, tests). */
export async function newBundleKeyPair(kid: string): Promise<{ privateJwk: JWK; publicJwk: JWK }> {
  const { privateKey, publicKey } = await generateKeyPair(BUNDLE_ALG, { crv: "Ed25519", extractable: true });
  return {
    privateJwk: { ...(await exportJWK(privateKey)), kid, alg: BUNDLE_ALG },
    publicJwk: { ...(await exportJWK(publicKey)), kid, alg: BUNDLE_ALG },
  };
}

/** The pinned public key from its configured JSON text, or null when unset or unreadable. */
export function parsePublicKey(text: string | undefined): JWK | null {
  if (!text?.trim()) return null;
  try {
    const jwk = JSON.parse(text) as JWK;
    return jwk.kty === "OKP" && jwk.crv === "Ed25519" && typeof jwk.x === "string" && !jwk.d ? jwk : null;
  } catch {
    return null;
  }
}

export type BundleFailureCode = "unsigned" | "bad_signature" | "hash_mismatch" | "not_in_bundle";

function failed(code: BundleFailureCode | "unknown_source" | "invalid_json", detail: string): FetchResult {
  return { kind: "failed", code, detail };
}

/**
 * The dataset of `jurisdiction` from the bundle at `prefix`, verified: the manifest's detached
 * signature against `publicKey`, then the dataset's bytes against the manifest's hash. The
 * manifest's SHA-256 is the ETag: the same bundle read again is `not_modified`.
 */
export async function readBundleDataset(request: {
  store: BundleStore | undefined;
  publicKey: JWK | null;
  prefix: string;
  jurisdiction: string;
  etag: string | null;
}): Promise<FetchResult> {
  const { store, prefix } = request;
  if (!store) return failed("unknown_source", "no published-bundle bucket is bound here (DATASET_BUNDLES)");
  if (!request.publicKey)
    return failed(
      "bad_signature",
      "no pinned bundle public key (DATASET_BUNDLE_PUBLIC_KEY) to verify against",
    );
  const [manifestObject, signatureObject] = await Promise.all([
    store.get(`${prefix}/manifest.json`),
    store.get(`${prefix}/manifest.jws`),
  ]);
  if (!manifestObject) return failed("unknown_source", `no bundle manifest at ${prefix}/manifest.json`);
  const manifestText = await manifestObject.text();
  if (!signatureObject) return failed("unsigned", `the bundle at ${prefix} has no signature (manifest.jws)`);
  if (!(await verifyDetached(manifestText, await signatureObject.text(), request.publicKey)))
    return failed("bad_signature", `the bundle at ${prefix} is not signed by the pinned key`);
  const etag = `"${await sha256Hex(manifestText)}"`;
  if (request.etag === etag) return { kind: "not_modified" };
  let manifest: BundleManifest;
  try {
    manifest = JSON.parse(manifestText) as BundleManifest;
  } catch (error) {
    return failed("invalid_json", `manifest: ${(error as Error).message}`);
  }
  const entry = Array.isArray(manifest.datasets)
    ? manifest.datasets.find((d) => d.jurisdiction === request.jurisdiction)
    : undefined;
  if (!entry)
    return failed("not_in_bundle", `the bundle at ${prefix} has no dataset for ${request.jurisdiction}`);
  const object = await store.get(`${prefix}/${entry.path}`);
  if (!object) return failed("hash_mismatch", `${entry.path} is listed in the manifest but missing`);
  const text = await object.text();
  if ((await sha256Hex(text)) !== entry.sha256)
    return failed("hash_mismatch", `${entry.path} does not match the manifest's SHA-256`);
  try {
    return { kind: "content", json: JSON.parse(text), etag };
  } catch (error) {
    return failed("invalid_json", `${entry.path}: ${(error as Error).message}`);
  }
}
