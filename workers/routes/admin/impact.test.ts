// The impact preview (POST /v1/admin/impact, pipeline/impact.ts): a candidate is evaluated
// against every tenant's stored facilities inside each tenant's object, the answer names
// exactly the locations that change, and nothing is activated. Acceptance: a pending
// California version that shortens the food handler card deadline names the affected
// locations of two tenants and nobody else's.
import { describe, expect, it } from "vitest";
import { bundledDatasets, type Dataset, type Rule } from "../../../compliance/index";
import { listSources } from "../../../db/datasets";
import { createPlatformAdmin, revokePlatformAdmin } from "../../../db/platform-admins";
import { call, expectProblem, newTenant, workerDb } from "../../../test/helpers";
import { dataset, informational, install, newAdmin, nonce } from "../../../test/pipeline";

const CA = "ocd-division/country:us/state:ca";
const TX = "ocd-division/country:us/state:tx";
/** Far enough ahead that no other test's staff were hired within 30 days of it. */
const EFFECTIVE = "2031-03-03";
/** 20 days before EFFECTIVE: inside a 30-day grace, past a 14-day one. */
const HIRED = "2031-02-11";

type Report = {
  jurisdiction: string;
  activeVersionId: string | null;
  dates: string[];
  tenants: number;
  facilities: number;
  affected: { tenants: number; facilities: number };
  byStatus: Record<string, number>;
  changes: {
    tenantId: string;
    facilityId: string;
    asOf: string;
    from: string;
    to: string;
    findings: { ruleId: string; from: string | null; to: string | null }[];
  }[];
  unreachable: string[];
};

/** California's bundled dataset with the card deadline cut from 30 to 14 days from EFFECTIVE. */
function shorterCardDeadline(): Dataset {
  const current = bundledDatasets.find((d) => d.jurisdiction === CA) as Dataset;
  const rules: Rule[] = [];
  for (const rule of current.rules) {
    if (rule.id === "CA-FHC" && rule.requirement.kind === "each_staff_credential" && !rule.effectiveTo) {
      rules.push({ ...rule, effectiveTo: EFFECTIVE });
      rules.push({
        ...rule,
        effectiveFrom: EFFECTIVE,
        requirement: { ...rule.requirement, graceDays: 14 },
      } as Rule);
    } else rules.push(rule);
  }
  return { ...current, version: "2031.3.0", rules };
}

const card = { type: "food_handler_card", issuer: CA, issuedAt: "2030-06-01", expiresAt: "2033-06-01" };

/** A kitchen that is clean on EFFECTIVE but for a cook hired on HIRED (with or without a card). */
function kitchen(name: string, cookHasCard: boolean, address?: Record<string, string>) {
  return {
    name,
    type: "restaurant",
    address: address ?? { line1: "2000 Mission St", city: "San Francisco", state: "CA", postalCode: "94110" },
    openedAt: "2020-01-15",
    permits: [
      {
        type: "health_permit",
        number: `HP-${nonce()}`,
        issuer: "ocd-division/country:us/state:ca/place:san_francisco",
        issuedAt: "2030-01-01",
        expiresAt: "2035-01-01",
      },
    ],
    staff: [
      {
        id: "mgr-1",
        name: "Ana",
        role: "manager",
        hiredAt: "2019-06-01",
        credentials: [
          { type: "food_protection_manager", issuedAt: "2030-03-01", expiresAt: "2035-03-01" },
          card,
        ],
      },
      {
        id: "s-1",
        name: "Maria",
        role: "food_employee",
        hiredAt: HIRED,
        ...(cookHasCard ? { credentials: [card] } : {}),
      },
    ],
  };
}

async function facility(key: string, body: unknown): Promise<string> {
  const response = await call("/v1/facilities", { method: "POST", key, json: body });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const preview = (key: string, body: unknown) => call("/v1/admin/impact", { method: "POST", key, json: body });

async function activeVersionOf(jurisdiction: string) {
  const handle = workerDb();
  try {
    return (await listSources(handle.db, { jurisdictions: [jurisdiction] }))[0]?.activeVersionId;
  } finally {
    await handle.close();
  }
}

describe("POST /v1/admin/impact", () => {
  it("names exactly the locations of the two tenants a shorter California card deadline breaks, and activates nothing", async () => {
    const admin = await newAdmin();
    const [a, b, c, d] = [await newTenant(), await newTenant(), await newTenant(), await newTenant()];
    const a1 = await facility(a.key, kitchen("A: cook without a card", false));
    await facility(a.key, kitchen("A: cook with a card", true));
    const b1 = await facility(b.key, kitchen("B: cook without a card", false));
    await facility(c.key, kitchen("C: cook with a card", true));
    // Same kitchen in Texas: not under California's rules at all.
    await facility(
      d.key,
      kitchen("D: Austin", false, {
        line1: "1 Congress Ave",
        city: "Austin",
        state: "TX",
        postalCode: "78701",
      }),
    );
    const activeBefore = await activeVersionOf(CA);

    const response = await preview(admin.key, { jurisdiction: CA, dataset: shorterCardDeadline() });
    expect(response.status, await response.clone().text()).toBe(200);
    const report = (await response.json()) as Report;
    expect(report.jurisdiction).toBe(CA);
    expect(report.activeVersionId).toBe(activeBefore);
    expect(report.dates).toContain(EFFECTIVE);
    const ours = new Set([a.tenantId, b.tenantId, c.tenantId, d.tenantId]);
    // Nobody else's locations: no other tenant has staff hired around EFFECTIVE.
    expect(report.changes.filter((change) => !ours.has(change.tenantId))).toEqual([]);
    expect(report.changes.map(({ tenantId, facilityId }) => ({ tenantId, facilityId }))).toEqual(
      [
        { tenantId: a.tenantId, facilityId: a1 },
        { tenantId: b.tenantId, facilityId: b1 },
      ].sort((x, y) => x.tenantId.localeCompare(y.tenantId)),
    );
    for (const change of report.changes) {
      expect(change).toMatchObject({ asOf: EFFECTIVE, from: "at_risk", to: "non_compliant" });
      expect(change.findings).toEqual([{ ruleId: "CA-FHC", from: "warn", to: "fail" }]);
      // Ids, statuses and rule ids only: no names, staff or messages leave the tenants.
      expect(JSON.stringify(change)).not.toMatch(/Maria|Ana|cook/);
    }
    expect(report.affected).toEqual({ tenants: 2, facilities: 2 });
    expect(report.byStatus["at_risk→non_compliant"]).toBe(2);
    expect(report.tenants).toBeGreaterThanOrEqual(3);
    expect(report.facilities).toBeGreaterThanOrEqual(4);
    expect(report.unreachable).toEqual([]);
    // Nothing was activated, and the tenants' own verdicts are today's.
    expect(await activeVersionOf(CA)).toBe(activeBefore);
    expect(await activeVersionOf(TX)).toBeDefined();
  });

  it("previews a stored version and an override on a synthetic county (Mono), and says when nothing changes", async () => {
    const admin = await newAdmin();
    const tag = nonce();
    const mono = "ocd-division/country:us/state:ca/county:mono";
    await install(dataset(mono, [informational("MONO-INFO")], tag), `mono-impact-${tag}`);
    const { tenantId, key } = await newTenant();
    const bridgeport = {
      line1: "1 Main St",
      city: "Bridgeport",
      county: "Mono",
      state: "CA",
      postalCode: "93517",
    };
    const facilityId = await facility(key, kitchen("Bridgeport Diner", true, bridgeport));

    // An override adding a permit rule nobody holds: the diner would fail it from today.
    const override = await call("/v1/admin/overrides", {
      method: "POST",
      key: admin.key,
      json: {
        jurisdiction: mono,
        action: "add",
        ruleId: "MONO-COMMISSARY",
        rule: {
          title: "Commissary agreement",
          citation: "Test Code § MONO",
          severity: "major",
          verified: true,
          topic: "mono_commissary",
          composition: "additive",
          requirement: { kind: "permit", permitTypes: ["commissary_agreement"], validityYears: null },
        },
        reason: `Impact test ${tag}`,
        expiresAt: "2099-01-01",
      },
    });
    expect(override.status, await override.clone().text()).toBe(201);
    const overrideId = ((await override.json()) as { id: string }).id;
    const byOverride = await preview(admin.key, { jurisdiction: mono, overrideId });
    expect(byOverride.status, await byOverride.clone().text()).toBe(200);
    const report = (await byOverride.json()) as Report;
    // Earlier runs on a reused database left tenants in Mono too: their objects hold nothing now.
    expect(report.changes.filter((c) => c.tenantId === tenantId)).toEqual([
      expect.objectContaining({
        tenantId,
        facilityId,
        to: "non_compliant",
        findings: [{ ruleId: "MONO-COMMISSARY", from: null, to: "fail" }],
      }),
    ]);
    expect(report.tenants).toBeGreaterThanOrEqual(1);

    // The active version itself, as a candidate: nothing changes.
    const versionId = await activeVersionOf(mono);
    const same = await preview(admin.key, { jurisdiction: mono, versionId, asOf: "2027-01-01" });
    expect(same.status).toBe(200);
    expect(await same.json()).toMatchObject({
      dates: ["2027-01-01"],
      changes: [],
      affected: { facilities: 0 },
    });
  });

  it("refuses what it cannot preview with a problem", async () => {
    const admin = await newAdmin();
    const valid = shorterCardDeadline();
    const cases: [unknown, number, string][] = [
      [{ jurisdiction: CA }, 422, "validation_failed"],
      [
        { jurisdiction: CA, dataset: valid, versionId: "dsv_01JD0000000000000000000000" },
        422,
        "validation_failed",
      ],
      [{ jurisdiction: CA, dataset: { ...valid, rules: "none" } }, 422, "validation_failed"],
      [{ jurisdiction: TX, dataset: valid }, 422, "validation_failed"],
      [{ jurisdiction: "not an ocd id", dataset: valid }, 422, "validation_failed"],
      [{ jurisdiction: CA, versionId: "dsv_01JD0000000000000000000000" }, 404, "not_found"],
      [{ jurisdiction: CA, overrideId: "ovr_01JD0000000000000000000000" }, 404, "not_found"],
      [{ jurisdiction: CA, dataset: valid, asOf: "2026-02-30" }, 422, "validation_failed"],
      [[], 422, "validation_failed"],
    ];
    for (const [body, status, code] of cases)
      await expectProblem(await preview(admin.key, body), status, code);
    const mismatch = await preview(admin.key, { jurisdiction: TX, dataset: valid });
    expect(((await mismatch.json()) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe(
      "/dataset/jurisdiction",
    );
    await expectProblem(
      await call("/v1/admin/impact", {
        method: "POST",
        key: admin.key,
        body: "{}",
        headers: { "content-type": "text/plain" },
      }),
      415,
      "unsupported_media_type",
    );
  });

  it("is for platform admins only: no key, a tenant key, a revoked admin key", async () => {
    const body = { jurisdiction: CA, dataset: shorterCardDeadline() };
    await expectProblem(await call("/v1/admin/impact", { method: "POST", json: body }), 401, "unauthorized");
    const tenant = await newTenant();
    await expectProblem(await preview(tenant.key, body), 403, "admin_only");
    const handle = workerDb();
    try {
      const email = `revoked-${nonce()}@prep.test`;
      const admin = await createPlatformAdmin(handle.db, email, "test");
      expect(
        (await preview(admin.key, { jurisdiction: CA, versionId: "dsv_01JD0000000000000000000000" })).status,
      ).toBe(404);
      await revokePlatformAdmin(handle.db, email, "test");
      await expectProblem(await preview(admin.key, body), 401, "unauthorized");
    } finally {
      await handle.close();
    }
  });
});
