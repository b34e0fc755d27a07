// How long an API key lives: an optional expiry (validated, then a 401 naming it), and no longer
// than its creator's membership and role allow — unless an owner made it as a service key.
import { describe, expect, it } from "vitest";
import { call, expectProblem, expireKey, newTenant } from "../../../test/helpers";
import { addMember, asUser, signUp, type TestSession } from "../../../test/sessions";

const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

interface Key {
  id: string;
  key: string;
  expiresAt: string | null;
  createdBy: string | null;
  service: boolean;
}

async function keyBy(session: TestSession, json: Record<string, unknown>): Promise<Key> {
  const response = await asUser(session, "/v1/keys", { method: "POST", json: { name: "k", ...json } });
  expect(response.status, await response.clone().text()).toBe(201);
  return (await response.json()) as Key;
}

const works = async (key: string) => (await call("/v1/me", { key })).status === 200;

async function listed(session: TestSession, id: string) {
  const list = (await (await asUser(session, "/v1/keys")).json()) as {
    data: { id: string; revokedAt: string | null; revokedReason: string | null; expiresAt: string | null }[];
  };
  return list.data.find((key) => key.id === id);
}

describe("a key's expiry", () => {
  it("is optional, shown in the list, and refused when past, unparseable or more than a year ahead", async () => {
    const { key } = await newTenant();
    const expiresAt = inDays(30);
    const created = await call("/v1/keys", { method: "POST", key, json: { name: "temp", expiresAt } });
    expect(created.status).toBe(201);
    const body = (await created.json()) as Key;
    expect(body.expiresAt).toBe(expiresAt);
    expect(await works(body.key)).toBe(true);
    const list = (await (await call("/v1/keys", { key })).json()) as { data: Key[] };
    expect(list.data.find((k) => k.id === body.id)?.expiresAt).toBe(expiresAt);
    const forever = (await (
      await call("/v1/keys", { method: "POST", key, json: { name: "f" } })
    ).json()) as Key;
    expect(forever.expiresAt).toBeNull();

    for (const [bad, detail] of [
      [inDays(-1), /future/],
      [inDays(400), /366 days/],
      ["next tuesday", /RFC 3339/],
      ["2027-01-01", /RFC 3339/],
    ] as const) {
      const refused = await call("/v1/keys", { method: "POST", key, json: { name: "bad", expiresAt: bad } });
      const problem = await expectProblem(refused, 422, "validation_failed");
      expect(problem.errors).toEqual([
        expect.objectContaining({ pointer: "/expiresAt", detail: expect.stringMatching(detail) }),
      ]);
    }
  });

  it("once reached, answers 401 naming the expiry", async () => {
    const { key } = await newTenant();
    const created = (await (
      await call("/v1/keys", { method: "POST", key, json: { name: "short", expiresAt: inDays(1) } })
    ).json()) as Key;
    await expireKey(created.id);
    const problem = await expectProblem(await call("/v1/me", { key: created.key }), 401, "unauthorized");
    expect(problem.detail).toMatch(/expired at \d{4}-\d\d-\d\dT/);
    expect(await works(key)).toBe(true);
  });
});

describe("a key and its creator", () => {
  it("is revoked when its creator leaves the team, with the keys made with it; service keys and others' stay", async () => {
    const owner = await signUp();
    const admin = await addMember(owner, "admin");
    const secondOwner = await addMember(owner, "owner");
    const adminKey = await keyBy(admin, { scopes: ["checks:read", "keys:write"] });
    expect(adminKey.createdBy).toBe(admin.userId);
    // A key made with the admin's key belongs to the admin too.
    const child = (await (
      await call("/v1/keys", {
        method: "POST",
        key: adminKey.key,
        json: { name: "child", scopes: ["checks:read"] },
      })
    ).json()) as Key;
    expect(child.createdBy).toBe(admin.userId);
    const serviceKey = await keyBy(secondOwner, { service: true });
    expect(serviceKey.service).toBe(true);
    const ownersPlainKey = await keyBy(secondOwner, {});
    const ownerKey = await keyBy(owner, {});

    expect((await asUser(owner, `/v1/users/${admin.userId}`, { method: "DELETE" })).status).toBe(204);
    for (const gone of [adminKey, child]) {
      const problem = await expectProblem(await call("/v1/me", { key: gone.key }), 401, "unauthorized");
      expect(problem.detail).toMatch(/revoked/);
      expect(await listed(owner, gone.id)).toMatchObject({ revokedReason: "creator_removed" });
    }
    expect(await works(serviceKey.key)).toBe(true);
    expect(await works(ownerKey.key)).toBe(true);

    // An owner's service key outlives them; their other keys do not.
    expect((await asUser(owner, `/v1/users/${secondOwner.userId}`, { method: "DELETE" })).status).toBe(204);
    expect(await works(serviceKey.key)).toBe(true);
    expect(await works(ownersPlainKey.key)).toBe(false);
  });

  it("is revoked when its creator's new role may not hold its scopes", async () => {
    const owner = await signUp();
    const admin = await addMember(owner, "admin");
    const keyManager = await keyBy(admin, {});
    const reader = await keyBy(admin, { scopes: ["checks:read", "facilities:read"] });

    const toViewer = await asUser(owner, `/v1/users/${admin.userId}`, {
      method: "PATCH",
      json: { role: "viewer" },
    });
    expect(toViewer.status).toBe(200);
    expect(await works(keyManager.key)).toBe(false);
    expect(await listed(owner, keyManager.id)).toMatchObject({ revokedReason: "creator_demoted" });
    // A viewer may read everything: the read-only key stays.
    expect(await works(reader.key)).toBe(true);

    // A manager sees only assigned locations, and a key cannot be limited so: it goes too.
    const toManager = await asUser(owner, `/v1/users/${admin.userId}`, {
      method: "PATCH",
      json: { role: "manager" },
    });
    expect(toManager.status).toBe(200);
    expect(await works(reader.key)).toBe(false);
  });

  it("may be a service key only when an owner makes it", async () => {
    const owner = await signUp();
    const admin = await addMember(owner, "admin");
    await expectProblem(
      await asUser(admin, "/v1/keys", { method: "POST", json: { name: "svc", service: true } }),
      403,
      "owner_only",
    );
    const { key } = await newTenant();
    await expectProblem(
      await call("/v1/keys", { method: "POST", key, json: { name: "svc", service: true } }),
      403,
      "owner_only",
    );
    expect((await keyBy(owner, { service: true })).service).toBe(true);
  });
});
