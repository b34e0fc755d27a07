// Signed dataset bundles (pipeline/bundle.ts) through the real refresh job and Miniflare's
// R2: a bundle signed with the pinned key activates its new version (and reading it again is
// unchanged); a tampered, unsigned or foreign-signed bundle never activates and leaves the
// active version untouched. Synthetic datasets under state:zz, each bundle under its own prefix.
import { env } from "cloudflare:workers";
import type { JWK } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { configureSource, listSources, listVersions } from "../db/datasets";
import { workerDb } from "../test/helpers";
import { dataset, informational, install, nonce, withJobContext } from "../test/pipeline";
import {
  buildBundle,
  newBundleKeyPair,
  parsePublicKey,
  sha256Hex,
  signDetached,
  verifyDetached,
} from "./bundle";
import { refreshDatasets } from "./refresh";
import { isAllowedSourceUrl } from "./sources";

let keys: { privateJwk: JWK; publicJwk: JWK };
let foreign: { privateJwk: JWK; publicJwk: JWK };
beforeAll(async () => {
  keys = await newBundleKeyPair("bundle-test");
  foreign = await newBundleKeyPair("someone-else");
});

const bucket = () => env.DATASET_BUNDLES as R2Bucket;

/** An active v1 whose source is the bundle at `r2:tests/<tag>`, and the v2 to publish there. */
async function setUp() {
  const tag = nonce();
  const jurisdiction = `ocd-division/country:us/state:zz/place:bundle_${tag}`;
  const rules = ["ZZ-A", "ZZ-B"].map((id) => informational(id));
  const activeId = await install(dataset(jurisdiction, rules, tag), tag);
  const prefix = `tests/${tag}`;
  const handle = workerDb();
  try {
    await configureSource(handle.db, jurisdiction, { sourceUrl: `r2:${prefix}`, trusted: true });
  } finally {
    await handle.close();
  }
  const v2 = dataset(jurisdiction, [...rules, informational("ZZ-C")], tag, "2026.2.0");
  const files = await buildBundle(
    [{ file: `zz-${tag}.json`, text: JSON.stringify(v2, null, 2), jurisdiction, version: v2.version }],
    keys.privateJwk,
    { publishedAt: new Date().toISOString(), commit: "abc123" },
  );
  return { tag, jurisdiction, activeId, prefix, files, datasetPath: `datasets/zz-${tag}.json` };
}

async function publish(prefix: string, files: ReadonlyMap<string, string>) {
  for (const [path, text] of files) await bucket().put(`${prefix}/${path}`, text);
}

const refresh = (jurisdiction: string, publicKey: JWK | null = keys.publicJwk) =>
  withJobContext(
    (ctx) => refreshDatasets(ctx, { trigger: "admin", startedBy: "test", jurisdictions: [jurisdiction] }),
    { publishedBundles: { store: bucket(), publicKey } },
  );

async function stateOf(jurisdiction: string) {
  const handle = workerDb();
  try {
    const [source] = await listSources(handle.db, { jurisdictions: [jurisdiction] });
    return { source, versions: await listVersions(handle.db, jurisdiction) };
  } finally {
    await handle.close();
  }
}

describe("a signed bundle", () => {
  it("activates its new version; read again, it is unchanged", async () => {
    const { jurisdiction, activeId, prefix, files } = await setUp();
    await publish(prefix, files);
    const first = await refresh(jurisdiction);
    expect(first.datasets[0]).toMatchObject({ outcome: "created", version: "2026.2.0" });
    const after = await stateOf(jurisdiction);
    expect(after.source?.activeVersionId).toBe(first.datasets[0]?.versionId);
    expect(after.source?.activeVersionId).not.toBe(activeId);
    expect(after.versions.find((v) => v.status === "active")?.source).toBe(`r2:${prefix}`);
    // The manifest's hash is the ETag: the same bundle again is not even re-read.
    expect((await refresh(jurisdiction)).datasets[0]?.outcome).toBe("unchanged");
  });
});

describe("a bundle that cannot be trusted never activates", () => {
  const cases: [string, string, (b: Awaited<ReturnType<typeof setUp>>) => Promise<JWK | null>][] = [
    [
      "a dataset changed after signing",
      "hash_mismatch",
      async ({ prefix, files, datasetPath }) => {
        await publish(prefix, files);
        const tampered = (files.get(datasetPath) ?? "").replace('"ZZ-C"', '"ZZ-X"');
        await bucket().put(`${prefix}/${datasetPath}`, tampered);
        return keys.publicJwk;
      },
    ],
    [
      "a manifest changed after signing (to match a tampered dataset)",
      "bad_signature",
      async ({ prefix, files, datasetPath }) => {
        const tampered = (files.get(datasetPath) ?? "").replace('"ZZ-C"', '"ZZ-X"');
        const manifest = (files.get("manifest.json") ?? "").replace(
          await sha256Hex(files.get(datasetPath) ?? ""),
          await sha256Hex(tampered),
        );
        await publish(prefix, new Map([...files, [datasetPath, tampered], ["manifest.json", manifest]]));
        return keys.publicJwk;
      },
    ],
    [
      "no signature",
      "unsigned",
      async ({ prefix, files }) => {
        await publish(prefix, new Map([...files].filter(([path]) => path !== "manifest.jws")));
        return keys.publicJwk;
      },
    ],
    [
      "a signature by another key",
      "bad_signature",
      async ({ prefix, files }) => {
        const signature = await signDetached(files.get("manifest.json") ?? "", foreign.privateJwk);
        await publish(prefix, new Map([...files, ["manifest.jws", signature]]));
        return keys.publicJwk;
      },
    ],
    [
      "no pinned key configured",
      "bad_signature",
      async ({ prefix, files }) => {
        await publish(prefix, files);
        return null;
      },
    ],
  ];

  for (const [label, code, arrange] of cases) {
    it(`${label}: refused as ${code}, the active version untouched`, async () => {
      const setup = await setUp();
      const publicKey = await arrange(setup);
      const report = await refresh(setup.jurisdiction, publicKey);
      expect(report.datasets[0]).toMatchObject({ outcome: "failed", errorCode: code });
      const after = await stateOf(setup.jurisdiction);
      expect(after.source?.activeVersionId).toBe(setup.activeId);
      expect(after.versions.map((v) => v.id)).toEqual([setup.activeId]);
      expect(after.source?.lastError).toContain(code);
    });
  }
});

describe("bundle signatures and sources", () => {
  it("verify only the exact bytes, with the pinned key, in detached form", async () => {
    const signature = await signDetached("payload", keys.privateJwk);
    expect(signature).toMatch(/^[\w-]+\.\.[\w-]+$/);
    expect(await verifyDetached("payload", signature, keys.publicJwk)).toBe(true);
    expect(await verifyDetached("payload ", signature, keys.publicJwk)).toBe(false);
    expect(await verifyDetached("payload", signature, foreign.publicJwk)).toBe(false);
    expect(await verifyDetached("payload", "not.a.jws", keys.publicJwk)).toBe(false);
    expect(await verifyDetached("payload", "", keys.publicJwk)).toBe(false);
  });

  it("pin only public Ed25519 keys, and accept only clean r2: prefixes as sources", () => {
    expect(parsePublicKey(JSON.stringify(keys.publicJwk))).toMatchObject({ kty: "OKP", crv: "Ed25519" });
    expect(parsePublicKey(JSON.stringify(keys.privateJwk))).toBeNull();
    expect(parsePublicKey("")).toBeNull();
    expect(parsePublicKey("{not json")).toBeNull();
    expect(isAllowedSourceUrl("r2:bundles/latest")).toBe(true);
    for (const bad of ["r2:", "r2:/abs", "r2:a/../b", "r2:a//b", "r2:a b", "r2:./x"])
      expect(isAllowedSourceUrl(bad), bad).toBe(false);
  });
});
