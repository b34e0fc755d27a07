// API keys: shown once, stored hashed, scoped, revocable, tenant-isolated.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { hashApiKey } from "../../../db/api-keys";
import { openDatabase } from "../../../db/client";
import { call, newTenant } from "../../../test/helpers";

describe("API keys", () => {
  it("authenticates a new tenant's key and reports its scopes", async () => {
    const { key, tenantId, keyId } = await newTenant();
    expect(key).toMatch(/^prep_test_[0-9A-Za-z]{40}$/);
    const response = await call("/v1/me", { key });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      tenantId,
      keyId,
      mode: "test",
      scopes: expect.arrayContaining(["checks:write"]),
    });
  });

  it("stores only the SHA-256 and the non-secret prefix", async () => {
    const { key, keyId } = await newTenant();
    const owner = openDatabase({ databaseUrl: env.OWNER_DATABASE_URL ?? "", wsProxy: env.DB_WS_PROXY });
    try {
      const rows = (await owner.db.execute(sql`SELECT * FROM api_keys WHERE id = ${keyId}`)).rows as Record<
        string,
        unknown
      >[];
      expect(rows).toHaveLength(1);
      const stored = JSON.stringify(rows[0]);
      expect(stored).not.toContain(key.slice(18));
      expect(rows[0]?.hash).toBe(await hashApiKey(key));
      expect(rows[0]?.prefix).toBe(key.slice(0, 18));
    } finally {
      await owner.close();
    }
  });

  it("hashes keys as lower-case hex SHA-256, so stored hashes stay comparable", async () => {
    // FIPS 180-2's test vector for "abc".
    expect(await hashApiKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("creates a key shown once, lists it without the secret, and revokes it", async () => {
    const { key } = await newTenant();
    const created = await call("/v1/keys", {
      method: "POST",
      key,
      json: { name: "POS", scopes: ["checks:write"] },
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; key: string; scopes: string[] };
    expect(body.scopes).toEqual(["checks:write"]);
    expect((await call("/v1/me", { key: body.key })).status).toBe(200);

    const list = (await (await call("/v1/keys", { key })).json()) as { data: Record<string, unknown>[] };
    expect(list.data.map((k) => k.id)).toContain(body.id);
    expect(JSON.stringify(list)).not.toContain(body.key);

    expect((await call(`/v1/keys/${body.id}`, { method: "DELETE", key })).status).toBe(204);
    const revoked = await call("/v1/me", { key: body.key });
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { detail: string }).detail).toMatch(/revoked/);
  });

  it("answers 403 when the key lacks the scope", async () => {
    const { key } = await newTenant("Scoped", ["checks:write"]);
    const response = await call("/v1/keys", { key });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "insufficient_scope", requiredScope: "keys:write" });
  });

  it("never lets one tenant revoke another tenant's key (404)", async () => {
    const a = await newTenant("A");
    const b = await newTenant("B");
    const response = await call(`/v1/keys/${a.keyId}`, { method: "DELETE", key: b.key });
    expect(response.status).toBe(404);
    expect((await call("/v1/me", { key: a.key })).status).toBe(200);
  });
});
