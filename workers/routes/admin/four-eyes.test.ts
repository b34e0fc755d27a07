// Four eyes on everything that reaches tenants from the platform: a source or trust change waits
// for a second admin, a version fetched by one admin's refresh is approved by another, and every
// mutating admin route leaves a platform audit entry naming its actor — the walk below covers
// every such route the app registers, so a new one without an audit entry fails here.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { asPlatform } from "../../../db/client";
import { listSources } from "../../../db/datasets";
import { refreshDatasets } from "../../../pipeline/refresh";
import { CRON_ACTOR } from "../../../pipeline/schedule";
import { checkInput, POISONS } from "../../../test/check-records";
import { call, expectProblem, newTenant, workerDb } from "../../../test/helpers";
import {
  dataset,
  informational,
  install,
  newAdmin,
  nonce,
  serve,
  sourceUrl,
  withJobContext,
} from "../../../test/pipeline";
import { openReviewItem } from "../../../test/regulators";
import { createApp } from "../../app";
import { TenantMeters } from "../../services/tenant-meters";

type Admin = Awaited<ReturnType<typeof newAdmin>>;

const post = (path: string, admin: Admin, json?: unknown) =>
  call(path, { method: "POST", key: admin.key, ...(json === undefined ? {} : { json }) });

async function activeVersion(jurisdiction: string) {
  const handle = workerDb();
  try {
    const [source] = await listSources(handle.db, { jurisdictions: [jurisdiction] });
    return source;
  } finally {
    await handle.close();
  }
}

/** Platform audit entries by `actor`, oldest first. */
async function auditedBy(actor: string) {
  const handle = workerDb();
  try {
    const result = await asPlatform(handle.db, (tx) =>
      tx.execute(sql`SELECT action, target FROM platform_audit_log WHERE actor = ${actor} ORDER BY seq`),
    );
    return result.rows as { action: string; target: string | null }[];
  } finally {
    await handle.close();
  }
}

/** A synthetic dataset (state:zz: no facility resolves there), active, with an upstream serving v2. */
async function datasetWithNewUpstream(trusted: boolean) {
  const tag = nonce();
  const jurisdiction = `ocd-division/country:us/state:zz/place:eyes_${tag}`;
  const activeId = await install(dataset(jurisdiction, [informational("ZZ-ONE")], tag), tag, trusted);
  await serve(tag, {
    body: JSON.stringify(
      dataset(jurisdiction, [informational("ZZ-ONE"), informational("ZZ-TWO")], tag, "2026.2.0"),
    ),
  });
  return { tag, jurisdiction, encoded: encodeURIComponent(jurisdiction), activeId };
}

async function refreshAs(admin: Admin, jurisdiction: string) {
  const response = await post("/v1/admin/refresh", admin, { jurisdictions: [jurisdiction] });
  expect(response.status).toBe(200);
  return (await response.json()) as {
    runId: string;
    startedBy: string;
    datasets: { outcome: string; versionId?: string }[];
  };
}

async function proposeSource(admin: Admin, encoded: string, body: { sourceUrl: string; trusted: boolean }) {
  const response = await call(`/v1/admin/datasets/${encoded}/source`, {
    method: "PUT",
    key: admin.key,
    json: body,
  });
  expect(response.status).toBe(202);
  const change = (await response.json()) as { id: string; status: string; createdBy: string };
  expect(response.headers.get("location")).toBe(`/v1/admin/source-changes/${change.id}`);
  return change;
}

describe("a source or trust change", () => {
  it("one admin sets trusted: true and refreshes: nothing reaches tenants until a second admin approves", async () => {
    const { tag, jurisdiction, encoded, activeId } = await datasetWithNewUpstream(false);
    const attacker = await newAdmin();
    const change = await proposeSource(attacker, encoded, { sourceUrl: sourceUrl(tag), trusted: true });
    expect(change).toMatchObject({ status: "pending", createdBy: attacker.adminId });

    // Still untrusted: the refresh only stores the new version for review.
    const report = await refreshAs(attacker, jurisdiction);
    expect(report.datasets[0]?.outcome).toBe("pending_review");
    expect((await activeVersion(jurisdiction))?.trusted).toBe(false);
    expect((await activeVersion(jurisdiction))?.activeVersionId).toBe(activeId);

    // Approving their own change is refused, and changes nothing.
    const self = await post(`/v1/admin/source-changes/${change.id}/approve`, attacker);
    const problem = await expectProblem(self, 403, "self_approval");
    expect(problem.detail).toMatch(/different operator/);
    expect((await activeVersion(jurisdiction))?.trusted).toBe(false);

    // …and so is approving the version their own refresh fetched.
    const pendingId = report.datasets[0]?.versionId ?? "";
    await expectProblem(
      await post(`/v1/admin/datasets/${encoded}/versions/${pendingId}/approve`, attacker),
      403,
      "self_approval",
    );
    expect((await activeVersion(jurisdiction))?.activeVersionId).toBe(activeId);

    // A second admin approves the source: now it is trusted, and the next refresh activates.
    const reviewer = await newAdmin();
    const approved = await post(`/v1/admin/source-changes/${change.id}/approve`, reviewer);
    expect(approved.status).toBe(200);
    expect(await approved.json()).toMatchObject({ status: "approved", decidedBy: reviewer.adminId });
    expect((await activeVersion(jurisdiction))?.trusted).toBe(true);
    await expectProblem(
      await post(`/v1/admin/source-changes/${change.id}/approve`, reviewer),
      409,
      "conflict",
    );

    const listed = (await (
      await call(`/v1/admin/source-changes?jurisdiction=${encoded}`, { key: reviewer.key })
    ).json()) as { data: { id: string; status: string }[] };
    expect(listed.data).toEqual([expect.objectContaining({ id: change.id, status: "approved" })]);

    const audit = await auditedBy(attacker.adminId);
    expect(audit).toContainEqual({ action: "dataset_source.proposed", target: change.id });
    expect(audit).toContainEqual({ action: "refresh.started", target: report.runId });
    expect(await auditedBy(reviewer.adminId)).toContainEqual({
      action: "dataset_source.approved",
      target: change.id,
    });
  });

  it("a rejected change never takes effect; an unknown dataset is a 404 problem", async () => {
    const { tag, jurisdiction, encoded } = await datasetWithNewUpstream(false);
    const [author, reviewer] = [await newAdmin(), await newAdmin()];
    const change = await proposeSource(author, encoded, {
      sourceUrl: `${sourceUrl(tag)}?evil`,
      trusted: true,
    });
    const rejected = await post(`/v1/admin/source-changes/${change.id}/reject`, reviewer);
    expect(rejected.status).toBe(200);
    expect((await activeVersion(jurisdiction))?.sourceUrl).toBe(sourceUrl(tag));
    await expectProblem(
      await post(`/v1/admin/source-changes/${change.id}/approve`, reviewer),
      409,
      "conflict",
    );
    const unknown = encodeURIComponent(`ocd-division/country:us/state:zz/place:none_${nonce()}`);
    await expectProblem(
      await call(`/v1/admin/datasets/${unknown}/source`, {
        method: "PUT",
        key: author.key,
        json: { sourceUrl: sourceUrl(tag), trusted: true },
      }),
      404,
      "not_found",
    );
  });
});

describe("a version fetched for review", () => {
  it("is approved by an admin other than the one whose refresh fetched it", async () => {
    const { jurisdiction, encoded, activeId } = await datasetWithNewUpstream(false);
    const [starter, reviewer] = [await newAdmin(), await newAdmin()];
    const report = await refreshAs(starter, jurisdiction);
    expect(report.startedBy).toBe(starter.adminId);
    const pendingId = report.datasets[0]?.versionId ?? "";

    await expectProblem(
      await post(`/v1/admin/datasets/${encoded}/versions/${pendingId}/approve`, starter),
      403,
      "self_approval",
    );
    expect((await activeVersion(jurisdiction))?.activeVersionId).toBe(activeId);

    const versions = (await (
      await call(`/v1/admin/datasets/${encoded}/versions`, { key: reviewer.key })
    ).json()) as { data: { id: string; createdBy: string | null }[] };
    expect(versions.data.find((v) => v.id === pendingId)?.createdBy).toBe(starter.adminId);

    expect((await post(`/v1/admin/datasets/${encoded}/versions/${pendingId}/approve`, reviewer)).status).toBe(
      200,
    );
    expect((await activeVersion(jurisdiction))?.activeVersionId).toBe(pendingId);

    // The run says who started it.
    const run = (await (
      await call(`/v1/admin/refresh-runs/${report.runId}`, { key: reviewer.key })
    ).json()) as {
      startedBy: string;
    };
    expect(run.startedBy).toBe(starter.adminId);
  });
});

describe("a version from a source an admin proposed", () => {
  it("is not theirs to approve, even when the scheduled refresh fetched it", async () => {
    const { tag, jurisdiction, encoded, activeId } = await datasetWithNewUpstream(false);
    const [proposer, approver] = [await newAdmin(), await newAdmin()];
    // An untrusted upstream looks harmless to approve…
    const change = await proposeSource(proposer, encoded, {
      sourceUrl: sourceUrl(`${tag}-new`),
      trusted: false,
    });
    expect((await post(`/v1/admin/source-changes/${change.id}/approve`, approver)).status).toBe(200);
    await serve(`${tag}-new`, {
      body: JSON.stringify(
        dataset(jurisdiction, [informational("ZZ-ONE"), informational("ZZ-EVIL")], tag, "2026.3.0"),
      ),
    });
    const report = await withJobContext((ctx) =>
      refreshDatasets(ctx, { trigger: "cron", startedBy: CRON_ACTOR, jurisdictions: [jurisdiction] }),
    );
    expect(report.datasets[0]?.outcome).toBe("pending_review");
    const pendingId = report.datasets[0]?.versionId ?? "";
    // …but its proposer cannot then approve what came from it alone.
    await expectProblem(
      await post(`/v1/admin/datasets/${encoded}/versions/${pendingId}/approve`, proposer),
      403,
      "self_approval",
    );
    expect((await activeVersion(jurisdiction))?.activeVersionId).toBe(activeId);
    expect((await post(`/v1/admin/datasets/${encoded}/versions/${pendingId}/approve`, approver)).status).toBe(
      200,
    );
    const run = (await (
      await call(`/v1/admin/refresh-runs/${report.runId}`, { key: approver.key })
    ).json()) as {
      startedBy: string;
    };
    expect(run.startedBy).toBe("cron");
  });
});

// ---- Every mutating admin route is audited with its actor ----

interface Scenario {
  /** Performs the route's action as `actor` (with `other` for what a second admin must do first). */
  run: (actor: Admin, other: Admin) => Promise<Response>;
  /** The platform audit action expected from `actor`. */
  action: string;
}

async function pendingVersion(starter: Admin) {
  const made = await datasetWithNewUpstream(false);
  const report = await refreshAs(starter, made.jurisdiction);
  return { ...made, pendingId: report.datasets[0]?.versionId ?? "" };
}

async function proposeOverride(author: Admin) {
  const tag = nonce();
  const jurisdiction = `ocd-division/country:us/state:zz/place:ovr_${tag}`;
  await install(dataset(jurisdiction, [informational("ZZ-INFO")], tag), tag);
  return post("/v1/admin/overrides", author, {
    jurisdiction,
    action: "replace",
    ruleId: "ZZ-INFO",
    rule: { severity: "major" },
    reason: `Audit walk ${tag}`,
    expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10),
  });
}

async function overrideBy(author: Admin) {
  const response = await proposeOverride(author);
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; jurisdiction: string };
}

async function deadLetter() {
  const { tenantId } = await newTenant();
  const stub = TenantMeters.of(env, tenantId).shard(0);
  const poison = checkInput(tenantId, { mutate: POISONS.nul });
  await stub.recordCheck(poison);
  await runDurableObjectAlarm(stub);
  return `/v1/admin/tenants/${tenantId}/dead-letters/${poison.check.id}`;
}

const SCENARIOS: Record<string, Scenario> = {
  "POST /v1/admin/refresh": {
    action: "refresh.started",
    run: async (actor) =>
      post("/v1/admin/refresh", actor, { jurisdictions: [(await pendingVersion(actor)).jurisdiction] }),
  },
  "PUT /v1/admin/datasets/:ocdId{.+}/source": {
    action: "dataset_source.proposed",
    run: async (actor) => {
      const { tag, encoded } = await datasetWithNewUpstream(false);
      return call(`/v1/admin/datasets/${encoded}/source`, {
        method: "PUT",
        key: actor.key,
        json: { sourceUrl: sourceUrl(tag), trusted: true },
      });
    },
  },
  "POST /v1/admin/source-changes/:id/approve": {
    action: "dataset_source.approved",
    run: async (actor, other) => {
      const { tag, encoded } = await datasetWithNewUpstream(false);
      const change = await proposeSource(other, encoded, { sourceUrl: sourceUrl(tag), trusted: true });
      return post(`/v1/admin/source-changes/${change.id}/approve`, actor);
    },
  },
  "POST /v1/admin/source-changes/:id/reject": {
    action: "dataset_source.rejected",
    run: async (actor, other) => {
      const { tag, encoded } = await datasetWithNewUpstream(false);
      const change = await proposeSource(other, encoded, { sourceUrl: sourceUrl(tag), trusted: true });
      return post(`/v1/admin/source-changes/${change.id}/reject`, actor);
    },
  },
  "POST /v1/admin/datasets/:ocdId{.+}/versions/:versionId/approve": {
    action: "dataset_version.approved",
    run: async (actor, other) => {
      const { encoded, pendingId } = await pendingVersion(other);
      return post(`/v1/admin/datasets/${encoded}/versions/${pendingId}/approve`, actor);
    },
  },
  "POST /v1/admin/datasets/:ocdId{.+}/versions/:versionId/reject": {
    action: "dataset_version.rejected",
    run: async (actor, other) => {
      const { encoded, pendingId } = await pendingVersion(other);
      return post(`/v1/admin/datasets/${encoded}/versions/${pendingId}/reject`, actor);
    },
  },
  "POST /v1/admin/overrides": {
    action: "override.created",
    run: proposeOverride,
  },
  "POST /v1/admin/overrides/:id/approve": {
    action: "override.approved",
    run: async (actor, other) => post(`/v1/admin/overrides/${(await overrideBy(other)).id}/approve`, actor),
  },
  "POST /v1/admin/overrides/:id/reject": {
    action: "override.rejected",
    run: async (actor, other) => post(`/v1/admin/overrides/${(await overrideBy(other)).id}/reject`, actor),
  },
  "POST /v1/admin/overrides/:id/revoke": {
    action: "override.revoked",
    run: async (actor, other) => {
      const { id } = await overrideBy(other);
      const third = await newAdmin();
      expect((await post(`/v1/admin/overrides/${id}/approve`, third)).status).toBe(200);
      return post(`/v1/admin/overrides/${id}/revoke`, actor);
    },
  },
  "POST /v1/admin/tenants/:tenantId/dead-letters/:checkId/requeue": {
    action: "dead_letter.requeued",
    run: async (actor) => post(`${await deadLetter()}/requeue`, actor),
  },
  "DELETE /v1/admin/tenants/:tenantId/dead-letters/:checkId": {
    action: "dead_letter.discarded",
    run: async (actor) => call(await deadLetter(), { method: "DELETE", key: actor.key }),
  },
  // Changes nothing, but looks across every tenant: recorded like an action.
  "POST /v1/admin/impact": {
    action: "dataset_impact.previewed",
    run: async (actor) => {
      const { jurisdiction, tag } = await datasetWithNewUpstream(true);
      const candidate = dataset(jurisdiction, [informational("ZZ-ONE"), informational("ZZ-NEW")], tag);
      return post("/v1/admin/impact", actor, { jurisdiction, dataset: candidate });
    },
  },
  // Source watchers' review queue (ADR 0020).
  "POST /v1/admin/reviews/:id/resolve": {
    action: "source_review.resolved",
    run: async (actor) =>
      post(`/v1/admin/reviews/${(await openReviewItem()).reviewId}/resolve`, actor, {
        resolution: "no_change_needed",
        note: "Wording only; the limit we model is unchanged.",
      }),
  },
};

/** Every admin route that changes something (anything but GET), as the app registers it. */
function mutatingAdminRoutes(): string[] {
  const routes = createApp()
    .routes.filter(
      (r) => r.path.startsWith("/v1/admin/") && !["GET", "ALL", "HEAD", "OPTIONS"].includes(r.method),
    )
    .map((r) => `${r.method} ${r.path}`);
  return [...new Set(routes)].sort();
}

describe("the platform audit log", () => {
  it("has a scenario for every mutating admin route (a new one needs an audit entry and a scenario)", () => {
    expect(mutatingAdminRoutes()).toEqual(Object.keys(SCENARIOS).sort());
  });

  it.each(Object.entries(SCENARIOS))("%s writes an entry naming its actor", async (_, scenario) => {
    const [actor, other] = [await newAdmin(), await newAdmin()];
    const response = await scenario.run(actor, other);
    expect(response.status, await response.clone().text()).toBeLessThan(300);
    expect((await auditedBy(actor.adminId)).map((entry) => entry.action)).toContain(scenario.action);
  });
});
