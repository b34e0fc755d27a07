// Facilities: CRUD with pagination and filters, checks of stored facilities, tenant isolation.
import { describe, expect, it } from "vitest";
import { type CheckBody, cardFor, findingFor, sfRestaurant } from "../../../test/fixtures";
import { call, newTenant } from "../../../test/helpers";

interface FacilityBody {
  id: string;
  name: string;
  status: string | null;
  staff: { id: string; credentials: unknown[] }[];
  address: { city: string; state: string };
}

async function createFacility(key: string, facility: unknown = sfRestaurant()) {
  const response = await call("/v1/facilities", { method: "POST", key, json: facility });
  expect(response.status).toBe(201);
  return (await response.json()) as FacilityBody;
}

describe("facilities", () => {
  it("stores a facility, evaluates it at once and reads it back as given", async () => {
    const { key } = await newTenant();
    const created = await createFacility(key);
    expect(created.id).toMatch(/^fac_/);
    expect(created.status).toBe("non_compliant");
    // Timestamps are RFC 3339 in UTC, not Postgres's text form.
    const stamps = created as unknown as { createdAt: string; updatedAt: string; lastCheckedAt: string };
    for (const stamp of [stamps.createdAt, stamps.updatedAt, stamps.lastCheckedAt]) {
      expect(stamp).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    }
    const fetched = (await (await call(`/v1/facilities/${created.id}`, { key })).json()) as FacilityBody;
    expect(fetched).toEqual(created);
    expect(fetched.staff.map((s) => s.id)).toEqual(["mgr-1", "s-1"]);
  });

  it("lists with filters and cursor pagination", async () => {
    const { key } = await newTenant();
    const ids = [];
    for (let i = 0; i < 3; i++)
      ids.push((await createFacility(key, sfRestaurant({ name: `Kitchen ${i}` }))).id);
    const page1 = (await (await call("/v1/facilities?limit=2", { key })).json()) as {
      data: FacilityBody[];
      nextCursor: string;
    };
    expect(page1.data.map((f) => f.id)).toEqual(ids.slice(0, 2));
    const page2 = (await (
      await call(`/v1/facilities?limit=2&cursor=${page1.nextCursor}`, { key })
    ).json()) as { data: FacilityBody[]; nextCursor: string | null };
    expect(page2.data.map((f) => f.id)).toEqual(ids.slice(2));
    expect(page2.nextCursor).toBeNull();
    const compliant = (await (await call("/v1/facilities?status=compliant", { key })).json()) as {
      data: unknown[];
    };
    expect(compliant.data).toHaveLength(0);
    const inTexas = (await (await call("/v1/facilities?state=tx", { key })).json()) as { data: unknown[] };
    expect(inTexas.data).toHaveLength(0);
    const bad = await call("/v1/facilities?limit=1000&status=great", { key });
    expect(bad.status).toBe(422);
    const pointers = ((await bad.json()) as { errors: { pointer: string }[] }).errors
      .map((e) => e.pointer)
      .sort();
    expect(pointers).toEqual(["/query/limit", "/query/status"]);
  });

  it("patches with merge semantics, re-evaluates, and rejects a change that would make it invalid", async () => {
    const { key } = await newTenant();
    const created = await createFacility(key);
    const staff = sfRestaurant().staff as Record<string, unknown>[];
    staff[1] = { ...staff[1], credentials: [cardFor("2026-09-10")] };
    const patched = await call(`/v1/facilities/${created.id}`, {
      method: "PATCH",
      key,
      json: { staff, address: { line1: "2001 Mission St" } },
    });
    expect(patched.status).toBe(200);
    const body = (await patched.json()) as FacilityBody & { address: { line1: string } };
    expect(body.address).toMatchObject({ line1: "2001 Mission St", city: "San Francisco" });
    expect(body.staff[1]?.credentials).toHaveLength(1);
    expect(body.status).not.toBe("non_compliant");

    const invalid = await call(`/v1/facilities/${created.id}`, {
      method: "PATCH",
      key,
      json: { address: { city: null } },
    });
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as { errors: { pointer: string }[] }).errors[0]?.pointer).toBe(
      "/address/city",
    );
  });

  it("stores a chain size, answers menu labelling for a chain of 20 or more, and refuses a hostile chainLocations with a problem pointing at it", async () => {
    const { key } = await newTenant();
    const created = await createFacility(key, sfRestaurant({ chainLocations: 25 }));
    const read = (await (await call(`/v1/facilities/${created.id}`, { key })).json()) as {
      chainLocations?: number;
    };
    expect(read.chainLocations).toBe(25);
    // Stating no posted notices, the menu rule could not be checked: not_applicable, listed only on request.
    const checked = await call(`/v1/facilities/${created.id}/checks?include=not_applicable`, {
      method: "POST",
      key,
      json: { asOf: "2026-03-02" },
    });
    expect(findingFor((await checked.json()) as CheckBody, "FDA-MENU")?.message).toMatch(
      /Not checked: .*postedNotices/,
    );

    for (const chainLocations of [-1, 0, 2.5, 1e12, "25"]) {
      const refused = await call("/v1/facilities", {
        method: "POST",
        key,
        json: sfRestaurant({ chainLocations }),
      });
      expect(refused.status, String(chainLocations)).toBe(422);
      expect(refused.headers.get("content-type")).toMatch(/application\/problem\+json/);
      const problem = (await refused.json()) as { code: string; errors: { pointer: string }[] };
      expect(problem.code).toBe("validation_failed");
      expect(problem.errors.map((e) => e.pointer)).toEqual(["/chainLocations"]);
    }
    // The OpenAPI document (generated from the same schema) tells integrators the bounds.
    const spec = (await (await call("/v1/openapi.json")).json()) as unknown;
    const found: unknown[] = [];
    const walk = (node: unknown): void => {
      if (!node || typeof node !== "object") return;
      const record = node as Record<string, unknown>;
      if (record.chainLocations) found.push(record.chainLocations);
      for (const value of Object.values(record)) walk(value);
    };
    walk(spec);
    expect(found[0]).toMatchObject({ type: "integer", minimum: 1, maximum: 1_000_000 });
    const patched = await call(`/v1/facilities/${created.id}`, {
      method: "PATCH",
      key,
      json: { chainLocations: -5 },
    });
    expect(patched.status).toBe(422);
  });

  it("keeps postedNotices' three meanings apart (not stated, none, a list) through create, PATCH and read", async () => {
    const { key } = await newTenant();
    const read = async (id: string) =>
      ((await (await call(`/v1/facilities/${id}`, { key })).json()) as { postedNotices?: string[] })
        .postedNotices;
    const unstated = await createFacility(key);
    expect(await read(unstated.id)).toBeUndefined();
    const none = await createFacility(key, sfRestaurant({ postedNotices: [] }));
    expect(await read(none.id)).toEqual([]);
    const patch = (id: string, postedNotices: unknown) =>
      call(`/v1/facilities/${id}`, { method: "PATCH", key, json: { postedNotices } });
    expect((await patch(unstated.id, ["inspection_placard"])).status).toBe(200);
    expect(await read(unstated.id)).toEqual(["inspection_placard"]);
    // JSON merge patch: null removes the member, back to "not stated".
    expect((await patch(unstated.id, null)).status).toBe(200);
    expect(await read(unstated.id)).toBeUndefined();

    for (const hostile of [["placard"], "inspection_placard", [{}], Array(51).fill("letter_grade_card")]) {
      const refused = await patch(none.id, hostile);
      expect(refused.status, JSON.stringify(hostile).slice(0, 40)).toBe(422);
      const problem = (await refused.json()) as { code: string; errors: { pointer: string }[] };
      expect(problem.code).toBe("validation_failed");
      expect(problem.errors[0]?.pointer).toMatch(/^\/postedNotices/);
      expect(await read(none.id)).toEqual([]);
    }
    // The OpenAPI document (generated from the same schema) lists the notice types.
    const spec = JSON.stringify(await (await call("/v1/openapi.json")).json());
    expect(spec).toMatch(/"postedNotices":\{[^}]*"type":"array"/);
    expect(spec).toMatch(/"enum":\["choking_first_aid","letter_grade_card",/);
  });

  it("checks a stored facility at a given date", async () => {
    const { key } = await newTenant();
    const created = await createFacility(key);
    const response = await call(`/v1/facilities/${created.id}/checks`, {
      method: "POST",
      key,
      json: { asOf: "2026-09-20" },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as CheckBody & { facilityId: string };
    expect(body.facilityId).toBe(created.id);
    expect(findingFor(body, "CA-FHC", "s-1")?.status).toBe("warn");
    const noBody = await call(`/v1/facilities/${created.id}/checks`, { method: "POST", key });
    expect(noBody.status).toBe(200);
  });

  it("deletes a facility", async () => {
    const { key } = await newTenant();
    const created = await createFacility(key);
    expect((await call(`/v1/facilities/${created.id}`, { method: "DELETE", key })).status).toBe(204);
    expect((await call(`/v1/facilities/${created.id}`, { key })).status).toBe(404);
    expect((await call(`/v1/facilities/${created.id}`, { method: "DELETE", key })).status).toBe(404);
  });

  it("hides every facility from other tenants (404 on read, change, delete and check)", async () => {
    const owner = await newTenant("Owner");
    const other = await newTenant("Other");
    const created = await createFacility(owner.key);
    const path = `/v1/facilities/${created.id}`;
    expect((await call(path, { key: other.key })).status).toBe(404);
    expect((await call(path, { method: "PATCH", key: other.key, json: { name: "x" } })).status).toBe(404);
    expect((await call(path, { method: "DELETE", key: other.key })).status).toBe(404);
    expect((await call(`${path}/checks`, { method: "POST", key: other.key })).status).toBe(404);
    const list = (await (await call("/v1/facilities", { key: other.key })).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(0);
    expect((await call(path, { key: owner.key })).status).toBe(200);
  });

  it("enforces scopes", async () => {
    const reader = await newTenant("Reader", ["facilities:read"]);
    expect(
      (await call("/v1/facilities", { method: "POST", key: reader.key, json: sfRestaurant() })).status,
    ).toBe(403);
    const writer = await newTenant("Writer", ["facilities:write"]);
    expect((await call("/v1/facilities", { key: writer.key })).status).toBe(403);
  });

  it("refuses places no dataset covers, storing nothing", async () => {
    const { key } = await newTenant();
    const response = await call("/v1/facilities", {
      method: "POST",
      key,
      json: sfRestaurant({ address: { city: "Cheyenne", state: "WY" } }),
    });
    expect(response.status).toBe(422);
    const list = (await (await call("/v1/facilities", { key })).json()) as { data: unknown[] };
    expect(list.data).toHaveLength(0);
  });
});

describe("jurisdictions", () => {
  it("lists coverage with versions and serves a dataset's rules by OCD id", async () => {
    const { key } = await newTenant();
    const list = (await (await call("/v1/jurisdictions", { key })).json()) as {
      data: { jurisdiction: string; version: string; rules: number }[];
    };
    const california = list.data.find((d) => d.jurisdiction === "ocd-division/country:us/state:ca");
    expect(california?.rules).toBeGreaterThan(5);
    const encoded = encodeURIComponent("ocd-division/country:us/state:ca");
    const rules = (await (await call(`/v1/jurisdictions/${encoded}/rules`, { key })).json()) as {
      rules: { id: string; citation: string }[];
      disclaimer: string;
    };
    expect(rules.rules.find((r) => r.id === "CA-FHC")?.citation).toContain("113948");
    expect(rules.disclaimer).toMatch(/legal advice/i);
    const raw = await call("/v1/jurisdictions/ocd-division/country:us/state:ca/rules", { key });
    expect(raw.status).toBe(200);
    expect(
      (
        await call(`/v1/jurisdictions/${encodeURIComponent("ocd-division/country:us/state:wy")}/rules`, {
          key,
        })
      ).status,
    ).toBe(404);
  });
});
