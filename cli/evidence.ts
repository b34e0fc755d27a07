/**
 * `prep evidence verify <folder-or-zip> [--jwks <file>]` — checks an evidence export offline:
 * manifest.jws (Ed25519) over manifest.json's exact bytes, then every listed file's size and
 * SHA-256; a file the manifest does not list fails too. The key comes from the bundle's own
 * jwks.json (a copy of /.well-known/jwks.json when it was made) unless --jwks names a file
 * (e.g. the live JWKS saved from the deployment), which pins it. Prints a JSON summary and exits
 * 0 when everything holds; otherwise one line per failing file on stderr and exit 1.
 *
 * `prep signing-key new --purpose evidence --kid <kid>` prints a new Ed25519 key as a
 * SIGNING_KEYS entry, for rotation (RUNBOOK.md "Signing keys").
 */
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative, sep } from "node:path";
import { unzipSync } from "fflate";
import { JWKS_FILE, verifyBundle } from "../evidence/manifest";
import { generateSigningKey, KEY_PURPOSES, type KeyPurpose } from "../runtime/signing-keys";
import { print, UsageError } from "./shared";

export const EVIDENCE_USAGE = `  prep evidence verify <folder-or-zip> [--jwks <file>]
                                           check an evidence export's hashes and signature offline
  prep signing-key new --purpose ${KEY_PURPOSES.join("|")} --kid <kid>
                                           a new Ed25519 key as a SIGNING_KEYS entry (rotation)`;

/** The bundle does not verify: main prints the message and exits 1. */
export class EvidenceVerificationError extends Error {
  override name = "EvidenceVerificationError";
}

async function readFolder(root: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.isFile())
        files.set(relative(root, path).split(sep).join("/"), new Uint8Array(await readFile(path)));
    }
  };
  await walk(root);
  return files;
}

/** A zip's files; when everything sits in one top folder (a zipped folder), names are relative to it. */
function readZip(bytes: Uint8Array): Map<string, Uint8Array> {
  const entries = Object.entries(unzipSync(bytes)).filter(([name]) => !name.endsWith("/"));
  const tops = new Set(entries.map(([name]) => (name.includes("/") ? name.split("/")[0] : "")));
  const [top] = tops;
  const strip =
    tops.size === 1 && top && !entries.some(([name]) => name === "manifest.json") ? `${top}/` : "";
  return new Map(entries.map(([name, data]) => [name.slice(strip.length), data]));
}

export async function readBundle(path: string): Promise<Map<string, Uint8Array>> {
  const info = await stat(path).catch(() => null);
  if (!info) throw new UsageError(`no such file or folder: ${path}`);
  if (info.isDirectory()) return readFolder(path);
  try {
    return readZip(new Uint8Array(await readFile(path)));
  } catch (error) {
    throw new UsageError(`${path} is neither a folder nor a zip file (${(error as Error).message})`);
  }
}

export async function evidenceCommand(
  verb: string,
  values: { jwks?: string | undefined },
  args: string[],
): Promise<void> {
  if (verb !== "verify") throw new UsageError(`unknown command "evidence ${verb}"`);
  const [path] = args;
  if (!path) throw new UsageError("evidence verify needs a folder or zip: prep evidence verify ./export");
  const files = await readBundle(path);
  let jwksSource = `${JWKS_FILE} in the bundle`;
  let jwksBytes = files.get(JWKS_FILE);
  if (values.jwks) {
    jwksBytes = new Uint8Array(
      await readFile(values.jwks).catch(() => {
        throw new UsageError(`cannot read --jwks ${values.jwks}`);
      }),
    );
    jwksSource = values.jwks;
  }
  let jwks: { keys: unknown[] } = { keys: [] };
  if (jwksBytes) {
    try {
      jwks = JSON.parse(new TextDecoder().decode(jwksBytes)) as { keys: unknown[] };
      if (!Array.isArray(jwks.keys)) throw new Error("no keys array");
    } catch (error) {
      throw new EvidenceVerificationError(
        `${jwksSource} is not a JWKS document: ${(error as Error).message}`,
      );
    }
  }
  const result = await verifyBundle(files, jwks);
  if (!result.ok) {
    throw new EvidenceVerificationError(
      `evidence does not verify:\n${result.failures.map((failure) => `  FAIL ${failure.file}: ${failure.reason}`).join("\n")}`,
    );
  }
  print({
    ok: true,
    exportId: result.exportId,
    kid: result.kid,
    keysFrom: jwksSource,
    filesChecked: result.checked,
  });
}

export async function signingKeyCommand(
  verb: string,
  values: { purpose?: string | undefined; kid?: string | undefined },
) {
  if (verb !== "new") throw new UsageError(`unknown command "signing-key ${verb}"`);
  const purpose = values.purpose as KeyPurpose;
  if (!KEY_PURPOSES.includes(purpose))
    throw new UsageError(`--purpose must be one of ${KEY_PURPOSES.join(", ")}`);
  if (!values.kid || !/^[A-Za-z0-9._-]{1,64}$/.test(values.kid))
    throw new UsageError("--kid must be 1–64 of A-Z a-z 0-9 . _ - (e.g. evidence-2026-12)");
  print(await generateSigningKey(purpose, values.kid));
}
