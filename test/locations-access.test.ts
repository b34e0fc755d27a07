// Managers limited to chosen locations (one by one or by group), location groups, check history.

import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sfRestaurant } from "./fixtures";
import { addMember, asUser, signUp, type TestSession } from "./sessions";

async function addFacility(session: TestSession, name: string): Promise<string> {
  const response = await asUser(session, "/v1/facilities", { method: "POST", json: sfRestaurant({ name }) });
  expect(response.status).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

const ids = async (response: Response) =>
  ((await response.json()) as { data: { id: string }[] }).data.map((f) => f.id);

describe("a manager's locations", () => {
  it("are the only ones the manager can list, read, change or check", async () => {
    const owner = await signUp();
    const mine = await addFacility(owner, "Mine");
    const other = await addFacility(owner, "Not mine");
    const manager = await addMember(owner, "manager", { facilityIds: [mine] });

    expect(await ids(await asUser(manager, "/v1/facilities"))).toEqual([mine]);
    expect((await asUser(manager, `/v1/facilities/${mine}`)).status).toBe(200);
    expect((await asUser(manager, `/v1/facilities/${mine}/verdict`)).status).toBe(200);
    expect(
      (await asUser(manager, `/v1/facilities/${mine}`, { method: "PATCH", json: { name: "Mine, renamed" } }))
        .status,
    ).toBe(200);
    expect(
      (await asUser(manager, `/v1/facilities/${mine}/checks`, { method: "POST", json: {} })).status,
    ).toBe(200);
    for (const [method, path] of [
      ["GET", `/v1/facilities/${other}`],
      ["PATCH", `/v1/facilities/${other}`],
      ["POST", `/v1/facilities/${other}/checks`],
      ["GET", `/v1/facilities/${other}/checks`],
      ["GET", `/v1/facilities/${other}/verdict`],
    ] as const) {
      const response = await asUser(manager, path, {
        method,
        ...(method === "GET" ? {} : { json: method === "PATCH" ? { name: "x" } : {} }),
      });
      expect(response.status, `${method} ${path}`).toBe(404);
    }
    const session = (await (await asUser(manager, "/v1/session")).json()) as { locations: string[] };
    expect(session.locations).toEqual([mine]);
  });

  it("cannot add or remove locations, or manage groups (403 location_limited)", async () => {
    const owner = await signUp();
    const mine = await addFacility(owner, "Mine");
    const manager = await addMember(owner, "manager", { facilityIds: [mine] });
    const created = await asUser(manager, "/v1/facilities", { method: "POST", json: sfRestaurant() });
    expect(created.status).toBe(403);
    expect(await created.json()).toMatchObject({ code: "location_limited" });
    expect((await asUser(manager, `/v1/facilities/${mine}`, { method: "DELETE" })).status).toBe(403);
    expect(
      (await asUser(manager, "/v1/groups", { method: "POST", json: { name: "West", kind: "region" } }))
        .status,
    ).toBe(403);
    expect((await asUser(manager, "/v1/keys")).status).toBe(403);
  });

  it("include every location of an assigned group, as the group changes", async () => {
    const owner = await signUp();
    const [a, b, c] = [
      await addFacility(owner, "A"),
      await addFacility(owner, "B"),
      await addFacility(owner, "C"),
    ];
    const group = (await (
      await asUser(owner, "/v1/groups", {
        method: "POST",
        json: { name: "Bay Area", kind: "region", facilityIds: [a, b] },
      })
    ).json()) as {
      id: string;
    };
    const manager = await addMember(owner, "manager", { groupIds: [group.id] });
    expect((await ids(await asUser(manager, "/v1/facilities"))).sort()).toEqual([a, b].sort());
    expect(
      (await asUser(owner, `/v1/groups/${group.id}`, { method: "PATCH", json: { facilityIds: [c] } })).status,
    ).toBe(200);
    expect(await ids(await asUser(manager, "/v1/facilities"))).toEqual([c]);
    // Assigned directly as well: the union counts.
    expect(
      (await asUser(owner, `/v1/users/${manager.userId}`, { method: "PATCH", json: { facilityIds: [a] } }))
        .status,
    ).toBe(200);
    expect((await ids(await asUser(manager, "/v1/facilities"))).sort()).toEqual([a, c].sort());
  });

  it("with nothing assigned, sees nothing", async () => {
    const owner = await signUp();
    await addFacility(owner, "Somewhere");
    const manager = await addMember(owner, "manager");
    expect(await ids(await asUser(manager, "/v1/facilities"))).toEqual([]);
  });
});

describe("location groups", () => {
  it("are created, listed, renamed and deleted; names are unique per kind", async () => {
    const owner = await signUp();
    const a = await addFacility(owner, "A");
    const created = await asUser(owner, "/v1/groups", {
      method: "POST",
      json: { name: "Taco Town", kind: "brand", facilityIds: [a] },
    });
    expect(created.status).toBe(201);
    const group = (await created.json()) as { id: string };
    expect(group).toMatchObject({ name: "Taco Town", kind: "brand", facilityIds: [a] });
    expect(
      (await asUser(owner, "/v1/groups", { method: "POST", json: { name: "taco town", kind: "brand" } }))
        .status,
    ).toBe(409);
    expect(
      (await asUser(owner, "/v1/groups", { method: "POST", json: { name: "Taco Town", kind: "region" } }))
        .status,
    ).toBe(201);
    const renamed = await asUser(owner, `/v1/groups/${group.id}`, {
      method: "PATCH",
      json: { name: "Taco Town West" },
    });
    expect(await renamed.json()).toMatchObject({ name: "Taco Town West", facilityIds: [a] });
    const bad = await asUser(owner, `/v1/groups/${group.id}`, {
      method: "PATCH",
      json: { facilityIds: ["fac_00000000000000000000000000"] },
    });
    expect(bad.status).toBe(422);
    expect((await asUser(owner, `/v1/groups/${group.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await asUser(owner, `/v1/facilities/${a}`)).status).toBe(200);
  });

  it("of another tenant are invisible (404)", async () => {
    const a = await signUp("A");
    const b = await signUp("B");
    const group = (await (
      await asUser(b, "/v1/groups", { method: "POST", json: { name: "B's", kind: "region" } })
    ).json()) as { id: string };
    expect(await ids(await asUser(a, "/v1/groups"))).toEqual([]);
    expect(
      (await asUser(a, `/v1/groups/${group.id}`, { method: "PATCH", json: { name: "Mine now" } })).status,
    ).toBe(404);
    expect((await asUser(a, `/v1/groups/${group.id}`, { method: "DELETE" })).status).toBe(404);
  });
});

describe("check history", () => {
  it("lists a facility's checks newest first, once the tenant object has delivered them", async () => {
    const owner = await signUp();
    const id = await addFacility(owner, "Historic");
    const first = (await (
      await asUser(owner, `/v1/facilities/${id}/checks`, { method: "POST", json: { asOf: "2026-10-01" } })
    ).json()) as { id: string };
    const second = (await (
      await asUser(owner, `/v1/facilities/${id}/checks`, { method: "POST", json: { asOf: "2026-10-02" } })
    ).json()) as { id: string };
    await runDurableObjectAlarm(env.TENANT.get(env.TENANT.idFromName(owner.tenantId)));
    const history = (await (await asUser(owner, `/v1/facilities/${id}/checks?limit=1`)).json()) as {
      data: { id: string; status: string; failing: number }[];
      nextCursor: string;
    };
    expect(history.data.map((c) => c.id)).toEqual([second.id]);
    expect(typeof history.data[0]?.failing).toBe("number");
    const next = (await (
      await asUser(owner, `/v1/facilities/${id}/checks?limit=1&cursor=${history.nextCursor}`)
    ).json()) as { data: { id: string }[] };
    expect(next.data.map((c) => c.id)).toEqual([first.id]);
  });

  it("is 404 for another tenant's facility", async () => {
    const a = await signUp("A");
    const b = await signUp("B");
    const id = await addFacility(b, "B's");
    expect((await asUser(a, `/v1/facilities/${id}/checks`)).status).toBe(404);
  });
});
