/**
 * `npm start`'s published bundle: the repository's datasets, signed with a key kept in the
 * data directory (made on the first run) and put into the local R2 bucket wrangler dev
 * serves (Miniflare), so the local Worker's refresh of an `r2:bundles/latest` source runs the
 * same verification as production. Returns the public key to pin (DATASET_BUNDLE_PUBLIC_KEY).
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import type { JWK } from "jose";
import { newBundleKeyPair } from "../pipeline/bundle";
import { putBundle, writeBundle } from "./publish-datasets";

export const LOCAL_BUNDLE_BUCKET = "prep-dataset-bundles-local";
export const LOCAL_BUNDLE_PREFIX = "bundles/latest";

export async function publishLocalBundle(dataDir: string, persistTo: string | undefined): Promise<JWK> {
  const keyFile = resolve(dataDir, "bundle-signing-key.json");
  if (!existsSync(keyFile))
    writeFileSync(keyFile, JSON.stringify(await newBundleKeyPair("local-dev"), null, 2), { mode: 0o600 });
  const { privateJwk, publicJwk } = JSON.parse(readFileSync(keyFile, "utf8")) as {
    privateJwk: JWK;
    publicJwk: JWK;
  };
  const out = resolve(dataDir, "dataset-bundle");
  const paths = await writeBundle({ out, signingKey: privateJwk });
  putBundle({
    out,
    paths,
    bucket: LOCAL_BUNDLE_BUCKET,
    prefix: LOCAL_BUNDLE_PREFIX,
    where: "local",
    persistTo,
  });
  return publicJwk;
}
