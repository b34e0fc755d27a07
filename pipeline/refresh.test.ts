// The refresh job against a real HTTP upstream: a changed dataset becomes a new version and
// drift in a tenant's Durable Object; an unchanged one (304 or same hash) creates nothing; every
// bad upstream leaves the active version alone and records the failure with a retry time.
import { describe, expect, it } from "vitest";
import type { Rule } from "../compliance/index";
import { listSources, listVersions } from "../db/datasets";
import { getRun } from "../db/refresh-runs";
import { sfRestaurant } from "../test/fixtures";
import { call, newTenant, workerDb } from "../test/helpers";
import { dataset, informational, install, newAdmin, nonce, serve, withJobContext } from "../test/pipeline";
import { refreshDatasets } from "./refresh";

const ALPINE = "ocd-division/country:us/state:ca/county:alpine";

async function state(jurisdiction: string) {
  const handle = workerDb();
  try {
    const [source] = await listSources(handle.db, { jurisdictions: [jurisdiction] });
    return { source, versions: await listVersions(handle.db, jurisdiction) };
  } finally {
    await handle.close();
  }
}

const refresh = (jurisdiction: string, dueOnly = false, now?: Date) =>
  withJobContext(
    (ctx) =>
      refreshDatasets(ctx, { trigger: "admin", startedBy: "test", jurisdictions: [jurisdiction], dueOnly }),
    now ? { now: () => now } : {},
  );

describe("a changed upstream", () => {
  it("stores a new version with provenance and surfaces drift in the tenant's object", async () => {
    const tag = nonce();
    const name = `alpine-${tag}`;
    const v1 = dataset(ALPINE, [informational("ALP-INFO")], tag);
    await install(v1, name);
    // The tenant's facility stands in Alpine County, evaluated under v1.
    const { key } = await newTenant();
    const facility = sfRestaurant({
      name: "Markleeville Grill",
      address: { city: "Markleeville", county: "Alpine", state: "CA" },
    });
    const created = await call("/v1/facilities", { method: "POST", key, json: facility });
    expect(created.status).toBe(201);

    const permitRule = {
      ...informational("ALP-COMMISSARY"),
      severity: "major",
      requirement: { kind: "permit", permitTypes: ["commissary_agreement"], validityYears: null },
    } as Rule;
    const v2 = dataset(ALPINE, [informational("ALP-INFO"), permitRule], tag, "2026.2.0");
    await serve(name, { body: JSON.stringify(v2), etag: `"${tag}-2"` });

    const report = await refresh(ALPINE);
    const outcome = report.datasets[0];
    expect(outcome).toMatchObject({ jurisdiction: ALPINE, outcome: "created", version: "2026.2.0" });
    expect(outcome?.diff?.added.map((r) => r.ruleId)).toEqual(["ALP-COMMISSARY"]);
    expect(report.propagation?.tenants).toBeGreaterThanOrEqual(1);

    const after = await state(ALPINE);
    const active = after.versions.find((v) => v.status === "active");
    expect(active).toMatchObject({
      id: outcome?.versionId,
      approvedBy: "auto:trusted-source",
      version: "2026.2.0",
    });
    expect(active?.source).toContain(`/datasets/${name}.json`);
    expect(after.source?.etag).toBe(`"${tag}-2"`);

    const alerts = (await (await call("/v1/alerts", { key })).json()) as {
      data: { cause: string; reason: string; changes: { ruleId: string; to: string }[] }[];
    };
    const drift = alerts.data.find((a) => a.cause === "rules");
    expect(drift?.reason).toContain(ALPINE);
    expect(drift?.changes).toContainEqual(expect.objectContaining({ ruleId: "ALP-COMMISSARY", to: "fail" }));

    // The run is stored with its per-dataset outcome.
    const handle = workerDb();
    try {
      const run = await getRun(handle.db, report.runId);
      expect(run?.status).toBe("succeeded");
      expect(run?.attempts[0]).toMatchObject({ jurisdiction: ALPINE, outcome: "created" });
    } finally {
      await handle.close();
    }
  });
});

describe("an unchanged upstream", () => {
  it("creates no version for the same content, nor for a 304", async () => {
    const tag = nonce();
    const jurisdiction = `ocd-division/country:us/state:zz/place:same_${tag}`;
    const content = dataset(jurisdiction, [informational("ZZ-ONE")], tag);
    await install(content, tag);
    await serve(tag, { body: JSON.stringify(content), etag: `"${tag}"` });

    const first = await refresh(jurisdiction);
    expect(first.datasets[0]?.outcome).toBe("unchanged");
    // Now the stored ETag makes the upstream answer 304.
    const second = await refresh(jurisdiction);
    expect(second.datasets[0]?.outcome).toBe("unchanged");
    const after = await state(jurisdiction);
    expect(after.versions).toHaveLength(1);
    expect(after.source?.lastRefreshedAt).not.toBeNull();
  });
});

describe("a bad upstream never replaces the active version", () => {
  const rules = ["ZZ-A", "ZZ-B", "ZZ-C", "ZZ-D", "ZZ-E"].map((id) => informational(id));
  const cases: [string, string, (jurisdiction: string, tag: string) => Parameters<typeof serve>[1]][] = [
    ["HTTP 500", "http_error", () => ({ status: 500, body: "oops" })],
    [
      "a timeout",
      "timeout",
      (j, tag) => ({ delayMs: 1_500, body: JSON.stringify(dataset(j, rules, tag, "2026.9.0")) }),
    ],
    ["invalid JSON", "invalid_json", () => ({ body: '{"jurisdiction": ' })],
    [
      "a schema violation",
      "invalid_dataset",
      (j, tag) => ({
        body: JSON.stringify({ ...dataset(j, rules, tag, "2026.9.0"), disclaimer: undefined }),
      }),
    ],
    [
      "more than 20% of the rules dropped",
      "rules_dropped",
      (j, tag) => ({ body: JSON.stringify(dataset(j, rules.slice(0, 3), tag, "2026.9.0")) }),
    ],
  ];

  for (const [label, code, answer] of cases) {
    it(`${label}: recorded as ${code} with a retry time`, async () => {
      const tag = nonce();
      const jurisdiction = `ocd-division/country:us/state:zz/place:bad_${tag}`;
      const activeId = await install(dataset(jurisdiction, rules, tag), tag);
      await serve(tag, answer(jurisdiction, tag));

      const before = Date.now();
      const report = await refresh(jurisdiction);
      const outcome = report.datasets[0];
      expect(report.status).toBe("failed");
      expect(outcome).toMatchObject({ outcome: "failed", errorCode: code });
      expect(Date.parse(outcome?.nextAttemptAt ?? "")).toBeGreaterThan(before);

      const after = await state(jurisdiction);
      expect(after.source?.activeVersionId).toBe(activeId);
      expect(after.versions.map((v) => v.id)).toEqual([activeId]);
      expect(after.source).toMatchObject({ failureCount: 1, nextAttemptAt: expect.any(String) });
      expect(after.source?.lastError).toContain(code);
    });
  }

  it("is retried by the hourly job once the retry is due, with a longer backoff after another failure", async () => {
    const tag = nonce();
    const jurisdiction = `ocd-division/country:us/state:zz/place:retry_${tag}`;
    await install(dataset(jurisdiction, rules, tag), tag);
    await serve(tag, { status: 503 });
    const first = await refresh(jurisdiction);
    expect(first.datasets[0]?.outcome).toBe("failed");

    // Not due yet: nothing to retry.
    expect((await refresh(jurisdiction, true)).datasets).toHaveLength(0);
    const later = new Date(Date.now() + 2 * 60 * 60 * 1000);
    const retried = await refresh(jurisdiction, true, later);
    expect(retried.datasets[0]).toMatchObject({ outcome: "failed", errorCode: "http_error" });
    const gap = Date.parse(retried.datasets[0]?.nextAttemptAt ?? "") - later.getTime();
    expect(gap).toBe(60 * 60 * 1000);

    // The upstream recovers: the retry succeeds and the failure count resets.
    await serve(tag, { body: JSON.stringify(dataset(jurisdiction, rules, tag)) });
    const recovered = await refresh(jurisdiction, true, new Date(later.getTime() + 2 * 60 * 60 * 1000));
    expect(recovered.datasets[0]?.outcome).toBe("unchanged");
    expect((await state(jurisdiction)).source).toMatchObject({
      failureCount: 0,
      nextAttemptAt: null,
      lastError: null,
    });
  });
});

describe("untrusted sources", () => {
  it("leave a new version pending until an admin approves it", async () => {
    const tag = nonce();
    const jurisdiction = `ocd-division/country:us/state:zz/place:review_${tag}`;
    const activeId = await install(dataset(jurisdiction, [informational("ZZ-ONE")], tag), tag, false);
    await serve(tag, {
      body: JSON.stringify(
        dataset(jurisdiction, [informational("ZZ-ONE"), informational("ZZ-TWO")], tag, "2026.2.0"),
      ),
    });

    const report = await refresh(jurisdiction);
    expect(report.datasets[0]?.outcome).toBe("pending_review");
    const pendingId = report.datasets[0]?.versionId ?? "";
    expect((await state(jurisdiction)).source?.activeVersionId).toBe(activeId);

    const admin = await newAdmin();
    const encoded = encodeURIComponent(jurisdiction);
    const diff = await call(`/v1/admin/datasets/${encoded}/diff?to=${pendingId}`, { key: admin.key });
    expect(diff.status).toBe(200);
    expect(
      ((await diff.json()) as { versions: { added: { ruleId: string }[] } }).versions.added[0]?.ruleId,
    ).toBe("ZZ-TWO");

    const approved = await call(`/v1/admin/datasets/${encoded}/versions/${pendingId}/approve`, {
      method: "POST",
      key: admin.key,
    });
    expect(approved.status).toBe(200);
    expect((await state(jurisdiction)).source?.activeVersionId).toBe(pendingId);
    const again = await call(`/v1/admin/datasets/${encoded}/versions/${pendingId}/approve`, {
      method: "POST",
      key: admin.key,
    });
    expect(again.status).toBe(404);
  });
});

describe("POST /v1/admin/refresh", () => {
  it("runs the job on demand and answers the run report", async () => {
    const tag = nonce();
    const jurisdiction = `ocd-division/country:us/state:zz/place:demand_${tag}`;
    await install(dataset(jurisdiction, [informational("ZZ-ONE")], tag), tag);
    await serve(tag, { status: 500 });
    const admin = await newAdmin();
    const response = await call("/v1/admin/refresh", {
      method: "POST",
      key: admin.key,
      json: { jurisdictions: [jurisdiction] },
    });
    expect(response.status).toBe(200);
    const report = (await response.json()) as {
      runId: string;
      datasets: { jurisdiction: string; outcome: string }[];
    };
    expect(report.runId).toMatch(/^run_/);
    expect(report.datasets).toEqual([expect.objectContaining({ jurisdiction, outcome: "failed" })]);
    const run = await call(`/v1/admin/refresh-runs/${report.runId}`, { key: admin.key });
    expect(run.status).toBe(200);
  });
});
