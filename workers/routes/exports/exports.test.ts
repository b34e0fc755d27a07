// Evidence exports through the API: a real export of two locations is built by the tenant
// object's alarm into Miniflare's R2; its bundle verifies offline and fails, naming the file,
// after one byte changes; JSON files are canonical; the PDF's text has every failing
// citation; another tenant reaches nothing; hostile input gets RFC 9457 problems.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { unzipSync } from "fflate";
import { extractText, getDocumentProxy } from "unpdf";
import { beforeAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../../../evidence/canonical";
import { verifyBundle } from "../../../evidence/manifest";
import { evidenceObjectKey } from "../../../evidence/storage";
import { downloadBundle, type ExportView, flushChecks, runExport } from "../../../test/evidence";
import { sfRestaurant } from "../../../test/fixtures";
import { call, expectProblem, newTenant } from "../../../test/helpers";

type Tenant = Awaited<ReturnType<typeof newTenant>>;

let owner: Tenant;
let intruder: Tenant;
let facilityIds: string[];
let view: ExportView;
let bundle: Map<string, Uint8Array>;
let jwks: { keys: unknown[] };
const today = new Date().toISOString().slice(0, 10);

async function createFacility(key: string, name: string): Promise<string> {
  const response = await call("/v1/facilities", { method: "POST", key, json: sfRestaurant({ name }) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

beforeAll(async () => {
  owner = await newTenant("Évidence Kitchens ≤ “Co”");
  intruder = await newTenant("Intruder Co");
  facilityIds = [
    await createFacility(owner.key, "Mission Street Kitchen"),
    await createFacility(owner.key, "Café Ünïcode – 北京 ≥ 2"),
  ];
  for (const id of facilityIds) {
    const check = await call(`/v1/facilities/${id}/checks`, { method: "POST", key: owner.key, json: {} });
    expect(check.status).toBe(200);
  }
  await flushChecks(owner.tenantId);
  const created = await call("/v1/exports", {
    method: "POST",
    key: owner.key,
    json: { facilityIds, to: today },
  });
  expect(created.status).toBe(202);
  const queued = (await created.json()) as ExportView;
  expect(queued.status).toBe("queued");
  view = await runExport(owner.tenantId, owner.key, queued.id);
  expect(view.error).toBeNull();
  expect(view.status).toBe("ready");
  bundle = await downloadBundle(owner.key, view);
  jwks = (await (await call("/.well-known/jwks.json")).json()) as { keys: unknown[] };
}, 120_000);

describe("a ready export", () => {
  it("lists every file with size, SHA-256 and a download URL", () => {
    expect(view.files.map((file) => file.name).sort()).toEqual(
      [
        "index.json",
        "jwks.json",
        "manifest.json",
        "manifest.jws",
        "report.pdf",
        ...facilityIds.map((id) => `locations/${id}.json`),
      ].sort(),
    );
    expect(view.progress).toEqual({ locationsDone: 2, locationsTotal: 2 });
    for (const file of view.files) {
      expect(file.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(bundle.get(file.name)?.byteLength).toBe(file.size);
    }
  });

  it("verifies: every hash and the signature hold", async () => {
    const result = await verifyBundle(bundle, jwks);
    expect(result.failures).toEqual([]);
    expect(result).toMatchObject({ ok: true, kid: "evidence-test", exportId: view.id });
  });

  it("fails after one byte of a location file changes, naming that file", async () => {
    const name = `locations/${facilityIds[1]}.json`;
    const tampered = new Map(bundle);
    const bytes = Uint8Array.from(bundle.get(name) as Uint8Array);
    bytes[10] = (bytes[10] as number) ^ 1;
    tampered.set(name, bytes);
    const result = await verifyBundle(tampered, jwks);
    expect(result.ok).toBe(false);
    expect(result.failures).toEqual([{ file: name, reason: expect.stringMatching(/SHA-256/) }]);
  });

  it("fails when the manifest changes (the signature no longer holds) or is signed by an unknown key", async () => {
    const tampered = new Map(bundle);
    const manifest = Uint8Array.from(bundle.get("manifest.json") as Uint8Array);
    manifest[manifest.length - 2] = (manifest[manifest.length - 2] as number) ^ 1;
    tampered.set("manifest.json", manifest);
    const result = await verifyBundle(tampered, jwks);
    expect(result.failures.map((failure) => failure.file)).toContain("manifest.jws");
    const noKeys = await verifyBundle(bundle, { keys: [] });
    expect(noKeys.failures).toEqual([{ file: "manifest.jws", reason: expect.stringMatching(/not among/) }]);
  });

  it("writes every JSON file canonically (sorted keys, no whitespace)", () => {
    for (const [name, bytes] of bundle) {
      if (!name.endsWith(".json")) continue;
      const text = new TextDecoder().decode(bytes);
      expect(canonicalJson(JSON.parse(text)), name).toBe(text);
    }
  });

  it("holds each location's verdict, checks with citations and dataset versions, permits and credentials", () => {
    const location = JSON.parse(new TextDecoder().decode(bundle.get(`locations/${facilityIds[0]}.json`))) as {
      schema: string;
      checks: unknown[];
      datasetVersions: Record<string, unknown>[];
      permits: unknown[];
      credentials: unknown[];
      verdict: { verdict: { status: string } };
    };
    expect(location.schema).toBe("https://prep.dev/schemas/evidence/location/v1");
    expect(location.checks).toHaveLength(1);
    expect(location.datasetVersions.length).toBeGreaterThan(0);
    expect(location.datasetVersions[0]).toMatchObject({
      source: expect.any(String),
      contentHash: expect.any(String),
    });
    expect(location.permits).toEqual([expect.objectContaining({ number: "SF-HP-1" })]);
    expect(location.credentials.length).toBe(2);
    expect(location.verdict.verdict.status).toBeDefined();
    const index = JSON.parse(new TextDecoder().decode(bundle.get("index.json"))) as {
      locations: { name: string }[];
    };
    expect(index.locations.map((l) => l.name)).toEqual(["Mission Street Kitchen", "Café Ünïcode – 北京 ≥ 2"]);
  });

  it("renders a PDF whose text has every failing finding's citation and the content digest", async () => {
    const pdf = await getDocumentProxy(Uint8Array.from(bundle.get("report.pdf") as Uint8Array));
    const { text, totalPages } = await extractText(pdf, { mergePages: true });
    expect(totalPages).toBeGreaterThanOrEqual(4);
    const manifest = JSON.parse(new TextDecoder().decode(bundle.get("manifest.json"))) as {
      contentDigest: string;
    };
    expect(text.replace(/\s+/g, "")).toContain(manifest.contentDigest);
    let failing = 0;
    for (const id of facilityIds) {
      const verdict = (await (await call(`/v1/facilities/${id}/verdict`, { key: owner.key })).json()) as {
        findings: { status: string; citation: string }[];
      };
      for (const finding of verdict.findings.filter((f) => f.status === "fail")) {
        failing++;
        expect(text.replace(/\s+/g, " ")).toContain(finding.citation.replace(/\s+/g, " "));
      }
    }
    expect(failing).toBeGreaterThan(0);
    expect(text).toContain("Évidence Kitchens ≤ “Co”");
    expect(text).toContain("Café Ünïcode – 北京 ≥ 2".replace("北京", "").slice(0, 13));
  });

  it("stores the files in R2 under the tenant's prefix", async () => {
    const listed = await env.EVIDENCE_BUCKET.list({
      prefix: `tenants/${owner.tenantId}/exports/${view.id}/`,
    });
    expect(listed.objects).toHaveLength(view.files.length);
    const stored = await env.EVIDENCE_BUCKET.get(evidenceObjectKey(owner.tenantId, view.id, "manifest.json"));
    expect(stored?.size).toBe(bundle.get("manifest.json")?.byteLength);
  });

  it("announces itself ready once, through the notification pipeline (export.ready)", async () => {
    const stub = env.TENANT.get(env.TENANT.idFromName(owner.tenantId));
    const events = await runInDurableObject(stub, (_, state) =>
      state.storage.sql
        .exec<{ event: string }>(
          "SELECT event FROM notification_events WHERE type = 'export.ready' AND key = ?",
          `export:${view.id}`,
        )
        .toArray(),
    );
    expect(events).toHaveLength(1);
    const event = JSON.parse((events[0] as { event: string }).event) as {
      summary: string;
      data: Record<string, unknown>;
    };
    expect(event.data).toMatchObject({
      exportId: view.id,
      trigger: "manual",
      to: today,
      locations: 2,
      path: "/evidence",
    });
    expect(event.summary).toContain("(2 locations) is ready");
  });

  it("downloads whole as one zip (a folder named after the export) that verifies", async () => {
    const response = await call(`/v1/exports/${view.id}/bundle.zip`, { key: owner.key });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("application/zip");
    expect(response.headers.get("content-disposition")).toBe(`attachment; filename="${view.id}.zip"`);
    const entries = unzipSync(new Uint8Array(await response.arrayBuffer()));
    const unzipped = new Map(
      Object.entries(entries).map(([name, bytes]) => [name.replace(`${view.id}/`, ""), bytes]),
    );
    expect([...unzipped.keys()].sort()).toEqual([...bundle.keys()].sort());
    for (const [name, bytes] of bundle) expect(unzipped.get(name), name).toEqual(bytes);
    expect((await verifyBundle(unzipped, jwks)).ok).toBe(true);
  });

  it("lists the export", async () => {
    const list = (await (await call("/v1/exports", { key: owner.key })).json()) as { data: ExportView[] };
    expect(list.data.map((row) => row.id)).toContain(view.id);
  });
});

describe("another tenant", () => {
  it("never reaches the export, its files or its shares (404)", async () => {
    await expectProblem(await call(`/v1/exports/${view.id}`, { key: intruder.key }), 404, "not_found");
    for (const file of view.files)
      await expectProblem(await call(new URL(file.url).pathname, { key: intruder.key }), 404, "not_found");
    await expectProblem(await call(`/v1/exports/${view.id}/shares`, { key: intruder.key }), 404, "not_found");
    await expectProblem(
      await call(`/v1/exports/${view.id}/bundle.zip`, { key: intruder.key }),
      404,
      "not_found",
    );
    const list = (await (await call("/v1/exports", { key: intruder.key })).json()) as { data: unknown[] };
    expect(list.data).toEqual([]);
  });

  it("cannot export the owner's facilities (422 naming each)", async () => {
    const body = await expectProblem(
      await call("/v1/exports", { method: "POST", key: intruder.key, json: { facilityIds } }),
      422,
      "validation_failed",
    );
    expect(body.errors).toEqual([
      { pointer: "/facilityIds/0", detail: `facility ${facilityIds[0]} was not found` },
      { pointer: "/facilityIds/1", detail: `facility ${facilityIds[1]} was not found` },
    ]);
  });
});

describe("hostile input", () => {
  const post = (json: unknown) => call("/v1/exports", { method: "POST", key: owner.key, json });

  const cases: [unknown, string][] = [
    [{ from: "0000-01-01" }, "/from"],
    [{ to: "9999-12-31" }, "/to"],
    [{ from: "2026-02-30" }, "/from"],
    [{ from: "2026-13-01" }, "/from"],
    [{ from: "yesterday" }, "/from"],
    [{ from: "2026-01-01T00:00:00Z" }, "/from"],
    [{ from: 20260101 }, "/from"],
    [{ from: "2026-06-02", to: "2026-06-01" }, "/from"],
    [{ from: "2024-01-01", to: "2025-06-01" }, "/from"],
    [{ facilityIds: [] }, "/facilityIds"],
    [{ facilityIds: "fac_01" }, "/facilityIds"],
    [{ facilityIds: ["../../etc/passwd"] }, "/facilityIds/0"],
    [{ facilityIds: ["fac_01JD0000000000000000000000", "fac_01JD0000000000000000000000"] }, "/facilityIds"],
    [
      { facilityIds: Array.from({ length: 1001 }, (_, i) => `fac_01JD${String(i).padStart(22, "0")}`) },
      "/facilityIds",
    ],
    [{ facilityIds: ["fac_\u{1F600}\u0000"] }, "/facilityIds/0"],
    [{ extra: true }, "/extra"],
  ];
  it.each(cases.map(([json, pointer]) => [JSON.stringify(json).slice(0, 60), json, pointer] as const))(
    "refuses %s (422 at its pointer)",
    async (_, json, pointer) => {
      const body = await expectProblem(await post(json), 422, "validation_failed");
      expect((body.errors as { pointer: string }[]).map((error) => error.pointer)).toContain(pointer);
    },
  );

  it("accepts the first year a date can say (0001), with no history", async () => {
    const response = await post({ facilityIds: [facilityIds[0]], from: "0001-01-01", to: "0001-12-31" });
    expect(response.status).toBe(202);
    const done = await runExport(owner.tenantId, owner.key, ((await response.json()) as { id: string }).id);
    expect(done.status).toBe("ready");
  }, 60_000);

  it("refuses a body that is not JSON (415) and malformed JSON (400)", async () => {
    await expectProblem(
      await call("/v1/exports", { method: "POST", key: owner.key, body: "x" }),
      415,
      "unsupported_media_type",
    );
    await expectProblem(
      await call("/v1/exports", {
        method: "POST",
        key: owner.key,
        body: "{",
        headers: { "content-type": "application/json" },
      }),
      400,
      "malformed_json",
    );
  });

  it("refuses ids that are not export ids (422) and unknown files (404)", async () => {
    await expectProblem(await call("/v1/exports/exp_x", { key: owner.key }), 422, "validation_failed");
    await expectProblem(
      await call(`/v1/exports/${view.id}/files/a%00b`, { key: owner.key }),
      422,
      "validation_failed",
    );
    // A listed name is the only way to a file: a traversal is just a name the export lacks.
    await expectProblem(
      await call(`/v1/exports/${view.id}/files/..%2F..%2Fsecret`, { key: owner.key }),
      404,
      "not_found",
    );
    await expectProblem(
      await call(`/v1/exports/${view.id}/files/nope.json`, { key: owner.key }),
      404,
      "not_found",
    );
  });
});

describe("entitlement", () => {
  it("refuses a plan without evidence exports (403 feature_not_in_plan)", async () => {
    const starter = await newTenant("Starter Co", undefined, { plan: "starter", states: ["CA"] });
    const body = await expectProblem(
      await call("/v1/exports", { method: "POST", key: starter.key, json: {} }),
      403,
      "feature_not_in_plan",
    );
    expect(body.detail).toMatch(/evidence_exports/);
  });
});

describe("the JWKS", () => {
  it("publishes the current and the retired evidence keys, public halves only", () => {
    // The ring also holds the partner-token key (ADR 0023), published beside them.
    const all = jwks.keys as Record<string, string>[];
    expect(all.filter((key) => key.purpose === "partner_token").map((key) => key.kid)).toEqual([
      "evidence-test-partner",
    ]);
    const keys = all.filter((key) => key.purpose === "evidence");
    expect(keys.map((key) => key.kid)).toEqual(["evidence-test-retired", "evidence-test"]);
    for (const key of keys) {
      expect(key).toMatchObject({
        kty: "OKP",
        crv: "Ed25519",
        alg: "EdDSA",
        use: "sig",
        purpose: "evidence",
      });
      expect(key.d).toBeUndefined();
    }
  });
});
