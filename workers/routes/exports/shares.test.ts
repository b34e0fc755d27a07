// Auditor share links: a link opens a plain read-only page and downloads files without an
// account; every access is logged (time, IP, user agent) and shown to the tenant; revoked
// and expired links answer 410 with a plain page; tokens are stored hashed; another tenant
// can neither list nor revoke them.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { unzipSync } from "fflate";
import { beforeAll, describe, expect, it } from "vitest";
import { openDatabase, withTenant } from "../../../db/client";
import { createExport } from "../../../db/evidence";
import { hashToken } from "../../../db/invites";
import { messageIdFor } from "../../../runtime/analytics";
import { drainUntil, has, hmacKey } from "../../../test/analytics";
import { downloadBundle, type ExportView, runExport } from "../../../test/evidence";
import { sfRestaurant } from "../../../test/fixtures";
import { call, expectProblem, newTenant, workerDb } from "../../../test/helpers";

type Tenant = Awaited<ReturnType<typeof newTenant>>;
interface Share {
  id: string;
  url: string;
  status: string;
  email: string | null;
  expiresAt: string;
  accessCount: number;
  accesses: { at: string; ip: string | null; userAgent: string | null; resource: string; outcome: string }[];
}

let owner: Tenant;
let intruder: Tenant;
let view: ExportView;
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

function ownerDb() {
  return openDatabase({ databaseUrl: env.OWNER_DATABASE_URL ?? "", wsProxy: env.DB_WS_PROXY });
}

async function share(json: unknown = { expiresAt: inDays(7), email: "Auditor@Example.com" }): Promise<Share> {
  const response = await call(`/v1/exports/${view.id}/shares`, { method: "POST", key: owner.key, json });
  expect(response.status).toBe(201);
  return (await response.json()) as Share;
}

const visit = (url: string, ua = "AuditBrowser/1.0") =>
  call(new URL(url).pathname, { headers: { "user-agent": ua, "cf-connecting-ip": "203.0.113.7" } });

async function shares(): Promise<Share[]> {
  const response = await call(`/v1/exports/${view.id}/shares`, { key: owner.key });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Share[] }).data;
}

beforeAll(async () => {
  owner = await newTenant("Share Co");
  intruder = await newTenant("Intruder Co");
  const facility = await call("/v1/facilities", { method: "POST", key: owner.key, json: sfRestaurant() });
  const facilityId = ((await facility.json()) as { id: string }).id;
  const created = await call("/v1/exports", {
    method: "POST",
    key: owner.key,
    json: { facilityIds: [facilityId] },
  });
  view = await runExport(owner.tenantId, owner.key, ((await created.json()) as { id: string }).id);
  expect(view.status).toBe("ready");
}, 120_000);

describe("a share link", () => {
  it("is counted in product analytics with plan properties only", async () => {
    const link = await share({ expiresAt: inDays(7) });
    const got = await drainUntil(owner.tenantId, (g) => has(g, ["Export Shared"]));
    expect(got.segment.find((m) => m.event === "Export Shared")).toMatchObject({
      messageId: await messageIdFor(hmacKey(), `Export Shared:${link.id}`),
      properties: { locations: 1, expiresInDays: 7 },
    });
  });

  it("opens a read-only page listing the files, and downloads them, logging every access", async () => {
    const link = await share();
    expect(link).toMatchObject({ status: "active", email: "auditor@example.com", accessCount: 0 });
    expect(link.url).toMatch(/^https:\/\/prep\.test\/share\/[A-Za-z0-9_-]{43}$/);

    const page = await visit(link.url);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    for (const file of view.files) expect(html).toContain(file.sha256);

    const api = await downloadBundle(owner.key, view);
    const pdf = await visit(`${link.url}/files/report.pdf`);
    expect(pdf.status).toBe(200);
    expect(new Uint8Array(await pdf.arrayBuffer())).toEqual(api.get("report.pdf"));

    const [listed] = (await shares()).filter((s) => s.id === link.id);
    expect(listed?.accessCount).toBe(2);
    expect(listed?.accesses).toEqual([
      expect.objectContaining({
        resource: "report.pdf",
        outcome: "granted",
        ip: "203.0.113.7",
        userAgent: "AuditBrowser/1.0",
      }),
      expect.objectContaining({ resource: "page", outcome: "granted", ip: "203.0.113.7" }),
    ]);
  });

  it("downloads everything as one zip, logged as such", async () => {
    const link = await share();
    const html = await (await visit(link.url)).text();
    expect(html).toContain(`${new URL(link.url).pathname}/bundle.zip`);
    const zip = await visit(`${link.url}/bundle.zip`);
    expect(zip.status).toBe(200);
    expect(zip.headers.get("content-type")).toBe("application/zip");
    const names = Object.keys(unzipSync(new Uint8Array(await zip.arrayBuffer())));
    expect(names.sort()).toEqual(view.files.map((file) => `${view.id}/${file.name}`).sort());
    const [listed] = (await shares()).filter((s) => s.id === link.id);
    expect(listed?.accesses[0]).toMatchObject({ resource: "bundle.zip", outcome: "granted" });
  });

  it("stores only the token's SHA-256", async () => {
    const link = await share();
    const token = new URL(link.url).pathname.split("/").at(-1) as string;
    const owner = ownerDb();
    try {
      const rows = await owner.db.execute(
        sql`SELECT token_hash FROM evidence_share_links WHERE id = ${link.id}`,
      );
      expect(rows.rows[0]).toEqual({ token_hash: await hashToken(token) });
      const leaked = await owner.db.execute(
        sql`SELECT count(*)::int AS n FROM evidence_share_links WHERE token_hash = ${token}`,
      );
      expect(leaked.rows[0]).toEqual({ n: 0 });
    } finally {
      await owner.close();
    }
  });

  it("answers 410 with a plain page once revoked, and logs the refused access", async () => {
    const link = await share();
    const revoked = await call(`/v1/exports/${view.id}/shares/${link.id}`, {
      method: "DELETE",
      key: owner.key,
    });
    expect(revoked.status).toBe(204);
    expect(
      (await call(`/v1/exports/${view.id}/shares/${link.id}`, { method: "DELETE", key: owner.key })).status,
    ).toBe(204);
    for (const url of [link.url, `${link.url}/files/manifest.json`]) {
      const response = await visit(url);
      expect(response.status).toBe(410);
      expect(await response.text()).toMatch(/revoked/);
    }
    const [listed] = (await shares()).filter((s) => s.id === link.id);
    expect(listed?.status).toBe("revoked");
    expect(listed?.accesses.map((a) => a.outcome)).toEqual(["revoked", "revoked"]);
  });

  it("answers 410 once expired", async () => {
    const link = await share();
    expect((await visit(link.url)).status).toBe(200);
    const db = ownerDb();
    try {
      await db.db.execute(
        sql`UPDATE evidence_share_links SET expires_at = now() - interval '1 second' WHERE id = ${link.id}`,
      );
    } finally {
      await db.close();
    }
    const response = await visit(link.url);
    expect(response.status).toBe(410);
    expect(await response.text()).toMatch(/expired/);
    const [listed] = (await shares()).filter((s) => s.id === link.id);
    expect(listed?.status).toBe("expired");
  });

  it("answers 404 to unknown and malformed tokens and to files the export lacks", async () => {
    expect((await visit(`https://prep.test/share/${"A".repeat(43)}`)).status).toBe(404);
    expect((await visit("https://prep.test/share/short")).status).toBe(404);
    expect((await visit("https://prep.test/share/%F0%9F%98%80")).status).toBe(404);
    const link = await share();
    expect((await visit(`${link.url}/files/nope.json`)).status).toBe(404);
    expect((await visit(`${link.url}/files/..%2F..%2Fetc%2Fpasswd`)).status).toBe(404);
  });
});

describe("creating and revoking links", () => {
  it.each([
    ["no expiry", {}, "/expiresAt"],
    ["a past expiry", { expiresAt: inDays(-1) }, "/expiresAt"],
    ["an expiry beyond 90 days", { expiresAt: inDays(91) }, "/expiresAt"],
    ["year 0001", { expiresAt: "0001-01-01T00:00:00Z" }, "/expiresAt"],
    ["year 9999", { expiresAt: "9999-12-31T23:59:59Z" }, "/expiresAt"],
    ["an invalid date", { expiresAt: "2026-02-30T00:00:00Z" }, "/expiresAt"],
    ["a bad email", { expiresAt: inDays(1), email: "not-an-email" }, "/email"],
    ["a Unicode NUL email", { expiresAt: inDays(1), email: "a\u0000@example.com" }, "/email"],
  ])("refuses %s (422)", async (_, json, pointer) => {
    const body = await expectProblem(
      await call(`/v1/exports/${view.id}/shares`, { method: "POST", key: owner.key, json }),
      422,
      "validation_failed",
    );
    expect((body.errors as { pointer: string }[]).map((e) => e.pointer)).toContain(pointer);
  });

  it("refuses an export that is not ready (409)", async () => {
    // A queued row no object was told about: it stays queued, so the refusal is certain.
    const handle = workerDb();
    const queued = await withTenant(handle.db, owner.tenantId, (tx) =>
      createExport(tx, {
        tenantId: owner.tenantId,
        trigger: "manual",
        facilityIds: [],
        allFacilities: true,
        from: "2026-01-01",
        to: "2026-01-31",
        createdBy: "test",
      }),
    ).finally(() => handle.close());
    const body = await expectProblem(
      await call(`/v1/exports/${queued.id}/shares`, {
        method: "POST",
        key: owner.key,
        json: { expiresAt: inDays(1) },
      }),
      409,
      "export_not_ready",
    );
    expect(body.detail).toMatch(/queued/);
    // Nor is there a zip of it yet.
    await expectProblem(
      await call(`/v1/exports/${queued.id}/bundle.zip`, { key: owner.key }),
      409,
      "export_not_ready",
    );
  });

  it("hides links from another tenant: list, create and revoke are 404", async () => {
    const link = await share();
    await expectProblem(await call(`/v1/exports/${view.id}/shares`, { key: intruder.key }), 404, "not_found");
    await expectProblem(
      await call(`/v1/exports/${view.id}/shares`, {
        method: "POST",
        key: intruder.key,
        json: { expiresAt: inDays(1) },
      }),
      404,
      "not_found",
    );
    await expectProblem(
      await call(`/v1/exports/${view.id}/shares/${link.id}`, { method: "DELETE", key: intruder.key }),
      404,
      "not_found",
    );
    expect((await visit(link.url)).status).toBe(200);
  });

  it("needs exports:write to create or revoke, exports:read to list (403)", async () => {
    const reader = await call("/v1/keys", {
      method: "POST",
      key: owner.key,
      json: { name: "reader", scopes: ["exports:read"] },
    });
    const readKey = ((await reader.json()) as { key: string }).key;
    await expectProblem(
      await call(`/v1/exports/${view.id}/shares`, {
        method: "POST",
        key: readKey,
        json: { expiresAt: inDays(1) },
      }),
      403,
      "insufficient_scope",
    );
    expect((await call(`/v1/exports/${view.id}/shares`, { key: readKey })).status).toBe(200);
  });
});
