// Manual overrides through the admin API: platform admins only (tenant keys refused), a second
// operator must approve, the finding names the override, expiry follows asOf, the diff report
// and the platform audit log show it.
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { asPlatform } from "../../../db/client";
import { sfRestaurant } from "../../../test/fixtures";
import { call, newTenant, workerDb } from "../../../test/helpers";
import { dataset, informational, install, newAdmin, nonce } from "../../../test/pipeline";

const MODOC = "ocd-division/country:us/state:ca/county:modoc";
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

describe("admin route security", () => {
  it("refuses missing credentials, tenant keys, session-less garbage and unknown admin keys", async () => {
    const { key } = await newTenant();
    const paths = ["/v1/admin/overrides", "/v1/admin/refresh-runs/run_01M8A5EAZF6PE9WGYST3M0YYXA"];
    for (const path of paths) {
      const missing = await call(path);
      expect(missing.status).toBe(401);
      expect(missing.headers.get("content-type")).toContain("application/problem+json");
      const tenant = await call(path, { key });
      expect(tenant.status).toBe(403);
      expect(((await tenant.json()) as { code: string }).code).toBe("admin_only");
      expect((await call(path, { key: `prep_admin_${"A".repeat(40)}` })).status).toBe(401);
      expect((await call(path, { key: "nonsense" })).status).toBe(401);
    }
    expect((await call("/v1/admin/refresh", { method: "POST", key })).status).toBe(403);
  });
});

describe("overrides", () => {
  it("need a second operator, name themselves in findings, expire by asOf and are audited", async () => {
    const tag = nonce();
    await install(dataset(MODOC, [informational("MOD-INFO")], tag), `modoc-${tag}`);
    const author = await newAdmin();
    const reviewer = await newAdmin();
    const reason = `Emergency order ${tag}: logs must be kept for 90 days`;

    const invalid = await call("/v1/admin/overrides", {
      method: "POST",
      key: author.key,
      json: {
        jurisdiction: MODOC,
        action: "replace",
        ruleId: "MOD-NOPE",
        rule: { title: "x" },
        reason,
        expiresAt: day(30),
      },
    });
    expect(invalid.status).toBe(422);

    const created = await call("/v1/admin/overrides", {
      method: "POST",
      key: author.key,
      json: {
        jurisdiction: MODOC,
        action: "replace",
        ruleId: "MOD-INFO",
        rule: {
          severity: "major",
          requirement: { kind: "informational", reason: "Emergency order.", action: "Keep logs 90 days." },
        },
        reason,
        expiresAt: day(30),
      },
    });
    expect(created.status).toBe(201);
    const override = (await created.json()) as { id: string; status: string };
    expect(override.status).toBe("pending");

    const self = await call(`/v1/admin/overrides/${override.id}/approve`, {
      method: "POST",
      key: author.key,
    });
    expect(self.status).toBe(403);
    expect(((await self.json()) as { code: string }).code).toBe("self_approval");

    // Not in force while pending.
    const { key } = await newTenant();
    const facility = sfRestaurant({
      name: "Alturas Diner",
      address: { city: "Alturas", county: "Modoc", state: "CA" },
    });
    // MOD-INFO is informational (not_applicable): only the whole answer lists it.
    const check = async (asOf: string) => {
      const response = await call("/v1/checks?include=not_applicable", {
        method: "POST",
        key,
        json: { asOf, facility },
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        findings: { ruleId: string; severity: string; override?: { id: string; reason: string } }[];
      };
      return body.findings.find((f) => f.ruleId === "MOD-INFO");
    };
    expect((await check(day(1)))?.override).toBeUndefined();

    const approved = await call(`/v1/admin/overrides/${override.id}/approve`, {
      method: "POST",
      key: reviewer.key,
    });
    expect(approved.status).toBe(200);
    expect(((await approved.json()) as { status: string }).status).toBe("approved");
    expect(
      (await call(`/v1/admin/overrides/${override.id}/approve`, { method: "POST", key: reviewer.key }))
        .status,
    ).toBe(409);

    const during = await check(day(1));
    expect(during).toMatchObject({ severity: "major", override: { id: override.id, reason } });
    // Expiry is asOf-aware: on and after expiresAt the published rule applies again.
    expect((await check(day(30)))?.override).toBeUndefined();
    expect((await check(day(30)))?.severity).toBe("minor");

    const diff = await call(`/v1/admin/datasets/${encodeURIComponent(MODOC)}/diff`, { key: reviewer.key });
    expect(diff.status).toBe(200);
    // The override's window appears as its own piece of the rule, named after the override.
    const report = (await diff.json()) as {
      overrides: { added: { ruleId: string; effectiveFrom: string; override: { id: string } }[] };
    };
    expect(report.overrides.added).toContainEqual(
      expect.objectContaining({
        ruleId: "MOD-INFO",
        effectiveFrom: day(0),
        override: expect.objectContaining({ id: override.id }),
      }),
    );
    const markdown = await call(`/v1/admin/datasets/${encodeURIComponent(MODOC)}/diff?format=markdown`, {
      key: reviewer.key,
    });
    expect(await markdown.text()).toContain(`override ${override.id}`);

    const handle = workerDb();
    try {
      const audit = await asPlatform(handle.db, (tx) =>
        tx.execute(
          sql`SELECT actor, action FROM platform_audit_log WHERE target = ${override.id} ORDER BY id`,
        ),
      );
      expect(audit.rows).toEqual([
        { actor: author.adminId, action: "override.created" },
        { actor: reviewer.adminId, action: "override.approved" },
      ]);
    } finally {
      await handle.close();
    }

    // Revoked: out of force at once.
    expect(
      (await call(`/v1/admin/overrides/${override.id}/revoke`, { method: "POST", key: author.key })).status,
    ).toBe(200);
    expect((await check(day(1)))?.override).toBeUndefined();
  });
});
