/**
 * Builds, signs and (optionally) publishes the dataset bundle (pipeline/bundle.ts):
 *
 *   tsx scripts/publish-datasets.ts [--out dist/dataset-bundle] [--prefix bundles/latest]
 *       [--commit <sha>] [--put local|remote --bucket <name>]
 *   tsx scripts/publish-datasets.ts --new-key <kid>     prints a new Ed25519 key pair (JWKs)
 *
 * Every file of compliance/datasets/ is validated first (the same validateDataset as `prep data
 * validate` and the refresh); one invalid file publishes nothing. The private key comes from
 * DATASET_SIGNING_KEY (a JWK, a CI secret). With --put, each object goes to R2 through
 * `wrangler r2 object put` — the datasets first, the manifest and its signature last, so a
 * deployment reading mid-publish finds the old manifest or the complete new bundle.
 * Compliance-data CI runs it on main (.github/workflows/compliance-data-ci.yml); `npm start`
 * publishes to its local bucket with a key of its own (scripts/start.ts).
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { JWK } from "jose";
import { validateDataset } from "../compliance";
import { buildBundle, newBundleKeyPair } from "../pipeline/bundle";

const ROOT = resolve(import.meta.dirname, "..");
const DATASETS_DIR = join(ROOT, "compliance", "datasets");

/** The validated datasets of compliance/datasets/, as their exact file text. */
export function readValidDatasets(dir = DATASETS_DIR) {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort();
  const problems: string[] = [];
  const datasets = files.flatMap((file) => {
    const text = readFileSync(join(dir, file), "utf8");
    const result = validateDataset(JSON.parse(text));
    if (!result.ok) {
      problems.push(`${file}: ${result.problems.map((p) => `${p.pointer || "/"} ${p.message}`).join("; ")}`);
      return [];
    }
    return [{ file, text, jurisdiction: result.dataset.jurisdiction, version: result.dataset.version }];
  });
  if (problems.length > 0) throw new Error(`invalid datasets, nothing published:\n${problems.join("\n")}`);
  return datasets;
}

/** Writes the bundle under `out` and returns its files, datasets first and the manifest last. */
export async function writeBundle(options: { out: string; signingKey: JWK; commit?: string | undefined }) {
  const files = await buildBundle(readValidDatasets(), options.signingKey, {
    publishedAt: new Date().toISOString(),
    commit: options.commit,
  });
  const ordered = [...files.keys()].sort(
    (a, b) => Number(a.startsWith("manifest")) - Number(b.startsWith("manifest")),
  );
  for (const path of ordered) {
    const target = join(options.out, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, files.get(path) ?? "");
  }
  return ordered;
}

/**
 * Puts the bundle into R2 with wrangler (local: Miniflare's bucket under .wrangler/state or
 * `persistTo`): the datasets in one `r2 bulk put`, then `manifest.json` and `manifest.jws`
 * one by one — last, so a reader never finds a manifest naming objects not there yet.
 */
export function putBundle(options: {
  out: string;
  paths: readonly string[];
  bucket: string;
  prefix: string;
  where: "local" | "remote";
  persistTo?: string | undefined;
}): void {
  const wrangler = join(ROOT, "node_modules", ".bin", "wrangler");
  const common = [`--${options.where}`, ...(options.persistTo ? ["--persist-to", options.persistTo] : [])];
  const run = (args: string[]) => {
    const result = spawnSync(wrangler, args, { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
    if (result.status !== 0) throw new Error(`wrangler ${args.slice(0, 3).join(" ")} failed`);
  };
  const datasets = options.paths.filter((p) => !p.startsWith("manifest"));
  const list = join(options.out, "bulk-put.json");
  writeFileSync(
    list,
    JSON.stringify(datasets.map((p) => ({ key: `${options.prefix}/${p}`, file: join(options.out, p) }))),
  );
  run([
    "r2",
    "bulk",
    "put",
    options.bucket,
    "--filename",
    list,
    "--content-type",
    "application/json",
    "-y",
    ...common,
  ]);
  for (const path of options.paths.filter((p) => p.startsWith("manifest")))
    run([
      "r2",
      "object",
      "put",
      `${options.bucket}/${options.prefix}/${path}`,
      "--file",
      join(options.out, path),
      "--content-type",
      path.endsWith(".json") ? "application/json" : "application/jose",
      ...common,
    ]);
}

async function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: "string", default: join(ROOT, "dist", "dataset-bundle") },
      prefix: { type: "string", default: "bundles/latest" },
      commit: { type: "string" },
      put: { type: "string" },
      bucket: { type: "string" },
      "new-key": { type: "string" },
    },
  });
  if (values["new-key"]) {
    const pair = await newBundleKeyPair(values["new-key"]);
    process.stdout.write(
      `${JSON.stringify({ DATASET_SIGNING_KEY: pair.privateJwk, DATASET_BUNDLE_PUBLIC_KEY: pair.publicJwk }, null, 2)}\n`,
    );
    return;
  }
  const secret = process.env.DATASET_SIGNING_KEY;
  if (!secret) throw new Error("DATASET_SIGNING_KEY (the bundle-signing private JWK) is not set");
  const paths = await writeBundle({
    out: values.out,
    signingKey: JSON.parse(secret) as JWK,
    commit: values.commit,
  });
  if (values.put) {
    if (values.put !== "local" && values.put !== "remote") throw new Error("--put must be local or remote");
    if (!values.bucket) throw new Error("--put needs --bucket <name>");
    putBundle({ out: values.out, paths, bucket: values.bucket, prefix: values.prefix, where: values.put });
  }
  process.stdout.write(
    `${JSON.stringify({ out: values.out, prefix: values.prefix, files: paths }, null, 2)}\n`,
  );
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}
