// The audit trail: owners and admins page through their tenant's hash-chained entries and
// export them as CSV; another tenant sees none of them; managers and viewers are refused; the
// platform trail is for platform admins; `prep audit verify`'s check passes on the stored
// chains and names the row an owner-connection edit broke.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { describeReport, GENESIS_HASH, verifyAuditChains } from "../../../db/audit-chain";
import { openDatabase } from "../../../db/client";
import { call, expectProblem, newTenant } from "../../../test/helpers";
import { newAdmin } from "../../../test/pipeline";
import { addMember, asUser, signUp } from "../../../test/sessions";
import { auditCsv, csvField } from "./csv";

interface Entry {
  id: string;
  seq: number;
  action: string;
  target: string | null;
  prevHash: string;
  hash: string;
}
interface Page {
  data: Entry[];
  nextCursor: string | null;
}

const ownerDb = () => openDatabase({ databaseUrl: env.OWNER_DATABASE_URL ?? "", wsProxy: env.DB_WS_PROXY });

async function makeKeys(key: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const created = await call("/v1/keys", {
      method: "POST",
      key,
      json: { name: `k${i}`, scopes: ["checks:read"] },
    });
    expect(created.status).toBe(201);
    ids.push(((await created.json()) as { id: string }).id);
  }
  return ids;
}

describe("GET /v1/audit-log", () => {
  it("pages newest first through one unbroken chain, and another tenant sees none of it", async () => {
    const owner = await newTenant("Audited Co");
    const keyIds = await makeKeys(owner.key, 3);
    // Concurrent audited changes queue on the chain instead of forking it.
    await Promise.all(keyIds.map((id) => call(`/v1/keys/${id}`, { method: "DELETE", key: owner.key })));

    const first = (await (await call("/v1/audit-log?limit=4", { key: owner.key })).json()) as Page;
    expect(first.data).toHaveLength(4);
    expect(first.nextCursor).toBe(first.data[3]?.id);
    const rest = (await (
      await call(`/v1/audit-log?limit=100&cursor=${first.nextCursor}`, { key: owner.key })
    ).json()) as Page;
    expect(rest.nextCursor).toBeNull();
    const all = [...first.data, ...rest.data].reverse();
    // tenant.created, 3 × api_key.created, 3 × api_key.revoked
    expect(all.map((e) => e.seq)).toEqual(all.map((_, i) => i + 1));
    expect(all[0]?.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < all.length; i++) expect(all[i]?.prevHash).toBe(all[i - 1]?.hash);
    expect(
      all
        .filter((e) => e.action === "api_key.revoked")
        .map((e) => e.target)
        .sort(),
    ).toEqual([...keyIds].sort());

    const intruder = await newTenant("Nosy Co");
    const theirs = (await (await call("/v1/audit-log?limit=100", { key: intruder.key })).json()) as Page;
    expect(theirs.data.every((e) => !keyIds.includes(e.target ?? ""))).toBe(true);
    const crossCursor = (await (
      await call(`/v1/audit-log?cursor=${first.nextCursor}`, { key: intruder.key })
    ).json()) as Page;
    expect(crossCursor.data).toEqual([]);
  });

  it("exports CSV with ?format=csv and Accept: text/csv", async () => {
    const owner = await newTenant("Csv Co");
    await makeKeys(owner.key, 2);
    const byQuery = await call("/v1/audit-log?format=csv", { key: owner.key });
    expect(byQuery.status).toBe(200);
    expect(byQuery.headers.get("content-type")).toContain("text/csv");
    expect(byQuery.headers.get("content-disposition")).toContain("audit-log.csv");
    const text = await byQuery.text();
    const lines = text.trimEnd().split("\r\n");
    expect(lines[0]).toBe("id,seq,at,actor,action,target,detail,prev_hash,hash");
    expect(lines).toHaveLength(4);
    const byAccept = await call("/v1/audit-log", { key: owner.key, headers: { accept: "text/csv" } });
    expect(await byAccept.text()).toBe(text);
    expect((await call("/v1/audit-log?format=xml", { key: owner.key })).status).toBe(422);
  });

  it("is for owners and admins: managers and viewers are refused", async () => {
    const owner = await signUp("Session Audit Co");
    expect((await asUser(owner, "/v1/audit-log")).status).toBe(200);
    const admin = await addMember(owner, "admin");
    const listed = (await (await asUser(admin, "/v1/audit-log")).json()) as Page;
    expect(listed.data.some((e) => e.action.startsWith("invite."))).toBe(true);
    for (const role of ["viewer", "manager"]) {
      const member = await addMember(owner, role);
      await expectProblem(await asUser(member, "/v1/audit-log"), 403, "insufficient_scope");
    }
  });
});

describe("CSV quoting", () => {
  it("quotes commas, quotes and line breaks, and defuses formulas", () => {
    expect(csvField('a,"b"\r\nc')).toBe('"a,""b""\r\nc"');
    expect(csvField("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvField("-1,2")).toBe(`"'-1,2"`);
    expect(csvField(null)).toBe("");
    const csv = auditCsv([
      {
        id: "aud_1",
        seq: 1,
        at: "2026-01-01T00:00:00.000Z",
        actor: "usr_1",
        action: "x.y",
        target: null,
        detail: { note: 'say "hi"' },
        prevHash: GENESIS_HASH,
        hash: "f".repeat(64),
      },
    ]);
    expect(csv.split("\r\n")[1]).toBe(
      `aud_1,1,2026-01-01T00:00:00.000Z,usr_1,x.y,,"{""note"":""say \\""hi\\""""}",${GENESIS_HASH},${"f".repeat(64)}`,
    );
  });
});

describe("GET /v1/admin/audit-log", () => {
  it("shows platform admins the platform chain, and refuses tenant keys", async () => {
    const admin = await newAdmin();
    const page = (await (await call("/v1/admin/audit-log?limit=100", { key: admin.key })).json()) as Page;
    expect(page.data.some((e) => e.action === "platform_admin.created" && e.target === admin.adminId)).toBe(
      true,
    );
    const [newest, older] = page.data;
    if (newest && older) expect(newest.prevHash).toBe(older.hash);
    const csv = await call("/v1/admin/audit-log?format=csv&limit=1", { key: admin.key });
    expect(csv.headers.get("content-type")).toContain("text/csv");
    const { key } = await newTenant();
    await expectProblem(await call("/v1/admin/audit-log", { key }), 403, "admin_only");
  });
});

describe("audit chain verification (prep audit verify)", () => {
  it("passes, then names the row an owner-connection edit broke", async () => {
    const owner = await newTenant("Tamper Co");
    await makeKeys(owner.key, 2);
    const handle = ownerDb();
    try {
      const before = await verifyAuditChains(handle.db);
      expect(before.broken).toBeNull();
      expect(describeReport(before)).toMatch(/^ok: \d+ tenant entries in \d+ chains, \d+ platform entries$/);
      expect(before.tenantEntries).toBeGreaterThanOrEqual(3);

      const victim = (
        await handle.db.execute(
          sql`SELECT id, actor FROM audit_log WHERE tenant_id = ${owner.tenantId} AND seq = 2`,
        )
      ).rows[0] as { id: string; actor: string };
      await handle.db.execute(sql`UPDATE audit_log SET actor = 'someone-else' WHERE id = ${victim.id}`);
      try {
        const after = await verifyAuditChains(handle.db);
        expect(after.broken).toMatchObject({
          table: "audit_log",
          id: victim.id,
          chain: owner.tenantId,
          field: "hash",
        });
        expect(after.broken?.expected).not.toBe(after.broken?.stored);
        expect(describeReport(after)).toContain(`audit_log id ${victim.id}`);
      } finally {
        await handle.db.execute(sql`UPDATE audit_log SET actor = ${victim.actor} WHERE id = ${victim.id}`);
      }
      expect((await verifyAuditChains(handle.db)).broken).toBeNull();
    } finally {
      await handle.close();
    }
  });
});
