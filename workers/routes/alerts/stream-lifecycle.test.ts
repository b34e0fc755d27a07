// Live alert sockets end with the credential that opened them: a revoked key (by a person, or
// with its creator's removal), a removed or re-roled user, an expired session or key; a manager's filter follows their current assignments.
// Other sockets stay open throughout.
import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { revokeApiKey } from "../../../db/api-keys";
import { withTenant } from "../../../db/client";
import { revokeSessions } from "../../../db/sessions";
import type { StreamGrant } from "../../../durable-objects/live-alerts";
import { cardFor, sfRestaurant } from "../../../test/fixtures";
import { BASE, call, newTenant, workerDb } from "../../../test/helpers";
import { addMember, asUser, PASSWORD, sessionFrom, signUp, type TestSession } from "../../../test/sessions";

interface Stream {
  response: Response;
  messages: { type: string; alert: { facilityId: string } }[];
  closed: { code: number; reason: string } | null;
  socket: WebSocket | null;
}

/** Opens the alert stream with a key or a session cookie; `messages` and `closed` fill as it lives. */
async function openStream(auth: { key: string } | { session: TestSession }): Promise<Stream> {
  const headers = new Headers({ upgrade: "websocket" });
  if ("key" in auth) headers.set("authorization", `Bearer ${auth.key}`);
  else headers.set("cookie", auth.session.cookie);
  const response = await exports.default.fetch(new Request(`${BASE}/v1/alerts/stream`, { headers }));
  expect(response.status).toBe(101);
  const socket = response.webSocket;
  const stream: Stream = { response, messages: [], closed: null, socket };
  socket?.accept();
  socket?.addEventListener("message", (event) => {
    if (event.data !== "pong") stream.messages.push(JSON.parse(event.data as string));
  });
  socket?.addEventListener("close", (event) => {
    stream.closed = { code: event.code, reason: event.reason };
  });
  return stream;
}

const until = async (condition: () => boolean, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
};
const settle = () => new Promise((resolve) => setTimeout(resolve, 150));

/** The socket closes with this code and reason (within the test's wait). */
async function expectClosed(stream: Stream, code: number, reason: string) {
  await until(() => stream.closed !== null);
  expect(stream.closed).toEqual({ code, reason });
}

/** Still open: it answers a ping (the runtime's auto-response) and has no close event. */
async function expectOpen(stream: Stream) {
  await settle();
  expect(stream.closed).toBeNull();
  const pong = new Promise<string>((resolve) =>
    stream.socket?.addEventListener("message", (event) => {
      if (event.data === "pong") resolve("pong");
    }),
  );
  stream.socket?.send("ping");
  expect(await pong).toBe("pong");
}

const tenantObject = (tenantId: string) => env.TENANT.get(env.TENANT.idFromName(tenantId));

const trainedStaff = () => {
  const staff = sfRestaurant().staff as Record<string, unknown>[];
  return [staff[0], { ...staff[1], credentials: [cardFor("2026-09-10")] }];
};

async function addFacility(owner: TestSession, name: string): Promise<string> {
  const response = await asUser(owner, "/v1/facilities", { method: "POST", json: sfRestaurant({ name }) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** Fixes the (non-compliant) fixture facility: one drift alert for it. */
async function drift(owner: TestSession, facilityId: string) {
  const response = await asUser(owner, `/v1/facilities/${facilityId}`, {
    method: "PATCH",
    json: { staff: trainedStaff() },
  });
  expect(response.status).toBe(200);
}

/** Puts the untrained new hire back: the fixed facility drifts again (one more alert). */
async function driftBack(owner: TestSession, facilityId: string) {
  const response = await asUser(owner, `/v1/facilities/${facilityId}`, {
    method: "PATCH",
    json: { staff: sfRestaurant().staff },
  });
  expect(response.status).toBe(200);
}

const alertFacilities = (stream: Stream) =>
  stream.messages.filter((m) => m.type === "alert").map((m) => m.alert.facilityId);

describe("a live alert socket ends with its credential", () => {
  it("closes (4401) when its API key is revoked; another key's socket stays open", async () => {
    const { key } = await newTenant();
    const spare = await call("/v1/keys", {
      method: "POST",
      key,
      json: { name: "dashboard", scopes: ["alerts:read"] },
    });
    expect(spare.status).toBe(201);
    const created = (await spare.json()) as { id: string; key: string };
    const doomed = await openStream({ key: created.key });
    const kept = await openStream({ key });

    expect((await call(`/v1/keys/${created.id}`, { method: "DELETE", key })).status).toBe(204);
    await expectClosed(doomed, 4401, "credential revoked");
    await expectOpen(kept);
    // The revoked key cannot reopen it.
    const again = await exports.default.fetch(
      new Request(`${BASE}/v1/alerts/stream`, {
        headers: { upgrade: "websocket", authorization: `Bearer ${created.key}` },
      }),
    );
    expect(again.status).toBe(401);
    kept.socket?.close(1000, "done");
  });

  it("closes a revoked key's socket at the next sweep even when the Worker never told the object", async () => {
    const { key, keyId, tenantId } = await newTenant();
    const stream = await openStream({ key });
    // Revoked straight in Postgres (as the CLI does), with no notification to the object.
    const handle = workerDb();
    try {
      await withTenant(handle.db, tenantId, (tx) => revokeApiKey(tx, keyId));
    } finally {
      await handle.close();
    }
    await expectOpen(stream);
    expect(await runDurableObjectAlarm(tenantObject(tenantId))).toBe(true);
    await expectClosed(stream, 4401, "credential revoked");
  });

  it("closes (4401) when its user is removed, and (4403) when their role changes; the owner's stays open", async () => {
    const owner = await signUp();
    const removed = await addMember(owner, "viewer");
    const demoted = await addMember(owner, "admin");
    const owners = await openStream({ session: owner });
    const removedStream = await openStream({ session: removed });
    const demotedStream = await openStream({ session: demoted });

    expect((await asUser(owner, `/v1/users/${removed.userId}`, { method: "DELETE" })).status).toBe(204);
    await expectClosed(removedStream, 4401, "credential revoked");
    await expectOpen(demotedStream);

    const changed = await asUser(owner, `/v1/users/${demoted.userId}`, {
      method: "PATCH",
      json: { role: "viewer" },
    });
    expect(changed.status).toBe(200);
    await expectClosed(demotedStream, 4403, "access changed");
    await expectOpen(owners);
    owners.socket?.close(1000, "done");
  });

  it("closes (4401) when the key's creator is removed from the team", async () => {
    const owner = await signUp();
    const admin = await addMember(owner, "admin");
    const made = await asUser(admin, "/v1/keys", {
      method: "POST",
      json: { name: "admin's dashboard", scopes: ["alerts:read"] },
    });
    expect(made.status).toBe(201);
    const stream = await openStream({ key: ((await made.json()) as { key: string }).key });
    const owners = await openStream({ session: owner });
    expect((await asUser(owner, `/v1/users/${admin.userId}`, { method: "DELETE" })).status).toBe(204);
    await expectClosed(stream, 4401, "credential revoked");
    await expectOpen(owners);
    owners.socket?.close(1000, "done");
  });

  it("closes (4401) when its key expires, at the sweep", async () => {
    const { key, tenantId } = await newTenant();
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const made = await call("/v1/keys", {
      method: "POST",
      key,
      json: { name: "expiring", scopes: ["alerts:read"], expiresAt },
    });
    const created = (await made.json()) as { id: string; key: string };
    const expiring = await openStream({ key: created.key });
    const lasting = await openStream({ key });
    const stub = tenantObject(tenantId);
    // The socket knows the key's expiry; brought forward to 2 seconds from now in place.
    await runInDurableObject(stub, (_instance, state) => {
      for (const socket of state.getWebSockets(`actor:${created.id}`)) {
        const grant = socket.deserializeAttachment() as StreamGrant;
        expect(grant.expiresMs).toBe(Date.parse(expiresAt));
        socket.serializeAttachment({ ...grant, expiresMs: Date.now() + 2_000 } satisfies StreamGrant);
      }
    });
    await expectOpen(expiring);
    // The sweep runs at its due time (within a minute), after the expiry.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await expectClosed(expiring, 4401, "key expired");
    await expectOpen(lasting);
    lasting.socket?.close(1000, "done");
  });

  it("closes (4401) when its session is signed out or revoked by an owner; the user's other socket stays", async () => {
    const owner = await signUp();
    const member = await addMember(owner, "viewer");
    const signedIn = (await call("/v1/auth/signin", {
      method: "POST",
      json: { email: member.email, password: PASSWORD },
      headers: { "cf-connecting-ip": "198.51.100.41" },
    })) as Response;
    const laptop = await sessionFrom(signedIn);
    const phoneStream = await openStream({ session: member });
    const laptopStream = await openStream({ session: laptop });
    const ownersStream = await openStream({ session: owner });

    expect((await asUser(laptop, "/v1/auth/signout", { method: "POST" })).status).toBe(204);
    await expectClosed(laptopStream, 4401, "credential revoked");
    await expectOpen(phoneStream);

    const { data } = (await (await asUser(owner, `/v1/users/${member.userId}/sessions`)).json()) as {
      data: { id: string }[];
    };
    expect(data).toHaveLength(1);
    const revoked = await asUser(owner, `/v1/users/${member.userId}/sessions/${data[0]?.id}`, {
      method: "DELETE",
    });
    expect(revoked.status).toBe(204);
    await expectClosed(phoneStream, 4401, "credential revoked");
    await expectOpen(ownersStream);
    ownersStream.socket?.close(1000, "done");
  });

  it("closes a revoked session's socket at the next sweep even when the Worker never told the object", async () => {
    const owner = await signUp();
    const stream = await openStream({ session: owner });
    // Revoked straight in Postgres, with no notification to the object.
    const handle = workerDb();
    try {
      await withTenant(handle.db, owner.tenantId, (tx) =>
        revokeSessions(tx, { userId: owner.userId, revokedBy: "test" }),
      );
    } finally {
      await handle.close();
    }
    await expectOpen(stream);
    expect(await runDurableObjectAlarm(tenantObject(owner.tenantId))).toBe(true);
    await expectClosed(stream, 4401, "credential revoked");
  });

  it("closes (4401) when its session expires, at the sweep, with no alert sent", async () => {
    const owner = await signUp();
    const member = await addMember(owner, "viewer");
    const expiring = await openStream({ session: member });
    const lasting = await openStream({ session: owner });
    const stub = tenantObject(owner.tenantId);
    // The session expires in 2 seconds (a 12 h session, shortened in place).
    const expiresMs = Date.now() + 2_000;
    await runInDurableObject(stub, (_instance, state) => {
      for (const socket of state.getWebSockets(`actor:${member.userId}`)) {
        const grant = socket.deserializeAttachment() as StreamGrant;
        expect(grant.kind).toBe("session");
        expect(grant.expiresMs).toBeGreaterThan(Date.now() + 11 * 3_600_000);
        socket.serializeAttachment({ ...grant, expiresMs } satisfies StreamGrant);
      }
    });
    await expectOpen(expiring);
    // The sweep is never more than a minute away; firing it ahead of time runs it at its due time.
    const due = await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm());
    expect(due).not.toBeNull();
    expect(due as number).toBeLessThanOrEqual(Date.now() + 60_000);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    await expectClosed(expiring, 4401, "session expired");
    await expectOpen(lasting);
    // Still swept while a socket is open.
    expect(await runInDurableObject(stub, (_instance, state) => state.storage.getAlarm())).not.toBeNull();
    lasting.socket?.close(1000, "done");
  });
});

describe("a manager's live alerts follow their current locations", () => {
  it("when their locations change: a newly assigned location's alerts arrive, a removed one's stop", async () => {
    const owner = await signUp();
    const first = await addFacility(owner, "First");
    const second = await addFacility(owner, "Second");
    const manager = await addMember(owner, "manager", { facilityIds: [first] });
    const stream = await openStream({ session: manager });
    const owners = await openStream({ session: owner });

    const reassigned = await asUser(owner, `/v1/users/${manager.userId}`, {
      method: "PATCH",
      json: { facilityIds: [second] },
    });
    expect(reassigned.status).toBe(200);
    await drift(owner, first);
    await drift(owner, second);
    await until(() => alertFacilities(owners).length === 2 && alertFacilities(stream).length > 0);
    await settle();
    expect(alertFacilities(owners).sort()).toEqual([first, second].sort());
    expect(alertFacilities(stream)).toEqual([second]);
    await expectOpen(stream);
    for (const s of [stream, owners]) s.socket?.close(1000, "done");
  });

  it("when an assigned group's locations change", async () => {
    const owner = await signUp();
    const [a, b] = [await addFacility(owner, "A"), await addFacility(owner, "B")];
    const created = await asUser(owner, "/v1/groups", {
      method: "POST",
      json: { name: "Bay Area", kind: "region", facilityIds: [a] },
    });
    expect(created.status).toBe(201);
    const group = (await created.json()) as { id: string };
    const manager = await addMember(owner, "manager", { groupIds: [group.id] });
    const stream = await openStream({ session: manager });
    const owners = await openStream({ session: owner });

    const changed = await asUser(owner, `/v1/groups/${group.id}`, {
      method: "PATCH",
      json: { facilityIds: [b] },
    });
    expect(changed.status).toBe(200);
    await drift(owner, a);
    await drift(owner, b);
    await until(() => alertFacilities(stream).length > 0);
    await settle();
    expect(alertFacilities(stream)).toEqual([b]);

    // The group deleted: B is no longer theirs.
    expect((await asUser(owner, `/v1/groups/${group.id}`, { method: "DELETE" })).status).toBe(204);
    await driftBack(owner, b);
    await until(() => alertFacilities(owners).length === 3);
    await settle();
    expect(alertFacilities(owners)).toEqual([a, b, b]);
    expect(alertFacilities(stream)).toEqual([b]);
    await expectOpen(stream);
    for (const s of [stream, owners]) s.socket?.close(1000, "done");
  });
});
