/**
 * The export's manifest and its signature, and the offline check of a whole bundle.
 *
 * `manifest.json` (canonical JSON) lists every other file of the export with its size and
 * SHA-256, and the export's parameters. `manifest.jws` is a detached JWS (RFC 7515
 * appendix F: `header..signature`) over manifest.json's exact bytes, EdDSA/Ed25519, whose
 * header names the signing key (`kid`). The bundle carries `jwks.json`, the evidence keys'
 * public halves as published at `/.well-known/jwks.json` when it was made, so it verifies
 * with no network; an auditor who wants to pin the key passes the live JWKS instead.
 *
 * The PDF's footer prints `contentDigest`: the SHA-256 of the canonical list of the JSON data
 * files (name, size, SHA-256). The PDF cannot print the manifest's own hash (the manifest
 * lists the PDF's), so the digest ties each page to the exact data it summarises.
 */
import { CompactSign, compactVerify, decodeProtectedHeader, importJWK, type JWK } from "jose";
import { canonicalJson } from "./canonical";

export const MANIFEST_SCHEMA = "https://prep.dev/schemas/evidence/manifest/v1";
export const MANIFEST_FILE = "manifest.json";
export const SIGNATURE_FILE = "manifest.jws";
export const JWKS_FILE = "jwks.json";

export interface BundleFile {
  name: string;
  contentType: string;
  size: number;
  /** Lowercase hex. */
  sha256: string;
}

export interface ExportParameters {
  facilityIds: string[];
  allFacilities: boolean;
  /** Inclusive dates (YYYY-MM-DD). */
  from: string;
  to: string;
  trigger: "manual" | "scheduled";
}

export interface Manifest {
  schema: typeof MANIFEST_SCHEMA;
  exportId: string;
  tenant: { id: string; name: string };
  parameters: ExportParameters;
  generatedAt: string;
  /** SHA-256 of the canonical list of the JSON data files: printed on every PDF page. */
  contentDigest: string;
  /** Every file of the bundle but manifest.json and manifest.jws, by name. */
  files: BundleFile[];
  /** Where the signing keys are published. */
  jwksUrl: string;
}

export const toHex = (bytes: ArrayBuffer | Uint8Array) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

export async function sha256Hex(bytes: Uint8Array | string): Promise<string> {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  return toHex(await crypto.subtle.digest("SHA-256", data));
}

const isDataFile = (file: BundleFile) => file.contentType === "application/json" && file.name !== JWKS_FILE;

/** The digest the PDF footer prints: over the JSON data files only (not the PDF, not the keys). */
export function contentDigest(files: readonly BundleFile[]): Promise<string> {
  const data = files
    .filter(isDataFile)
    .map(({ name, size, sha256 }) => ({ name, sha256, size }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return sha256Hex(canonicalJson(data));
}

/** manifest.json's bytes: canonical JSON, files sorted by name. */
export function manifestBytes(manifest: Manifest): Uint8Array {
  const files = [...manifest.files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return new TextEncoder().encode(canonicalJson({ ...manifest, files }));
}

/** The detached compact JWS over `payload`: `header..signature`. */
export async function signDetached(
  payload: Uint8Array,
  signer: { kid: string; key: CryptoKey },
): Promise<string> {
  const jws = await new CompactSign(payload)
    .setProtectedHeader({ alg: "EdDSA", kid: signer.kid, typ: "prep-evidence-manifest+jws" })
    .sign(signer.key);
  const [header, , signature] = jws.split(".");
  return `${header}..${signature}`;
}

const base64url = (bytes: Uint8Array) => {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
};

export interface Failure {
  /** The file that fails (or "manifest.jws" for the signature). */
  file: string;
  reason: string;
}

export interface VerifyResult {
  ok: boolean;
  failures: Failure[];
  /** The key that signed, when the signature holds. */
  kid: string | null;
  exportId: string | null;
  /** How many listed files matched. */
  checked: number;
}

/**
 * Checks a bundle: the signature over manifest.json (with the key named by its `kid`, of
 * purpose `evidence`, from `jwks`) and every listed file's size and SHA-256; a file on disk the
 * manifest does not list fails too. Pure: the caller reads the files (a folder, a zip).
 */
export async function verifyBundle(
  files: ReadonlyMap<string, Uint8Array>,
  jwks: { keys: unknown[] },
): Promise<VerifyResult> {
  const failures: Failure[] = [];
  const result = (kid: string | null, exportId: string | null, checked: number): VerifyResult => ({
    ok: failures.length === 0,
    failures,
    kid,
    exportId,
    checked,
  });
  const manifestRaw = files.get(MANIFEST_FILE);
  if (!manifestRaw) {
    failures.push({ file: MANIFEST_FILE, reason: "missing" });
    return result(null, null, 0);
  }
  // The signature first, over the raw bytes: a tampered manifest fails it even when it no
  // longer parses.
  const kid = await checkSignature(manifestRaw, files.get(SIGNATURE_FILE), jwks, failures);
  let manifest: Manifest;
  try {
    manifest = JSON.parse(
      new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(manifestRaw),
    ) as Manifest;
    if (!Array.isArray(manifest.files)) throw new Error("no files list");
  } catch (error) {
    failures.push({ file: MANIFEST_FILE, reason: `not a manifest: ${(error as Error).message}` });
    return result(kid, null, 0);
  }

  let checked = 0;
  const listed = new Set([MANIFEST_FILE, SIGNATURE_FILE]);
  for (const entry of manifest.files) {
    listed.add(entry.name);
    const bytes = files.get(entry.name);
    if (!bytes) {
      failures.push({ file: entry.name, reason: "missing" });
      continue;
    }
    if (bytes.byteLength !== entry.size) {
      failures.push({
        file: entry.name,
        reason: `size is ${bytes.byteLength} bytes, the manifest says ${entry.size}`,
      });
      continue;
    }
    const actual = await sha256Hex(bytes);
    if (actual !== entry.sha256) {
      failures.push({ file: entry.name, reason: `SHA-256 is ${actual}, the manifest says ${entry.sha256}` });
      continue;
    }
    checked++;
  }
  for (const name of files.keys())
    if (!listed.has(name)) failures.push({ file: name, reason: "not listed in the manifest" });
  if ((await contentDigest(manifest.files)) !== manifest.contentDigest)
    failures.push({ file: MANIFEST_FILE, reason: "contentDigest does not match the listed data files" });
  return result(kid, manifest.exportId ?? null, checked);
}

async function checkSignature(
  manifest: Uint8Array,
  signature: Uint8Array | undefined,
  jwks: { keys: unknown[] },
  failures: Failure[],
): Promise<string | null> {
  if (!signature) {
    failures.push({ file: SIGNATURE_FILE, reason: "missing" });
    return null;
  }
  const detached = new TextDecoder().decode(signature).trim();
  const [header, payload, sig] = detached.split(".");
  if (header === undefined || payload !== "" || sig === undefined) {
    failures.push({ file: SIGNATURE_FILE, reason: "not a detached JWS (header..signature)" });
    return null;
  }
  let kid: string | undefined;
  try {
    const decoded = decodeProtectedHeader(detached);
    kid = decoded.kid;
    if (decoded.alg !== "EdDSA") throw new Error(`algorithm ${decoded.alg} is not EdDSA`);
  } catch (error) {
    failures.push({ file: SIGNATURE_FILE, reason: `unreadable header: ${(error as Error).message}` });
    return null;
  }
  const jwk = jwks.keys.find(
    (key) => (key as { kid?: string }).kid === kid && (key as { purpose?: string }).purpose === "evidence",
  ) as JWK | undefined;
  if (!kid || !jwk) {
    failures.push({
      file: SIGNATURE_FILE,
      reason: `signing key ${kid ?? "(no kid)"} is not among the evidence keys`,
    });
    return null;
  }
  try {
    const key = await importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x } as JWK, "EdDSA");
    await compactVerify(`${header}.${base64url(manifest)}.${sig}`, key);
    return kid;
  } catch {
    failures.push({
      file: SIGNATURE_FILE,
      reason: `the signature does not match manifest.json (key ${kid})`,
    });
    return null;
  }
}
