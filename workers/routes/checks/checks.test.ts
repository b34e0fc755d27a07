// POST /v1/checks and GET /v1/checks/{id}: verdicts with citations, idempotency, errors, security.
import { describe, expect, it } from "vitest";
import { type CheckBody, cardFor, findingFor, sfRestaurant } from "../../../test/fixtures";
import { call, newTenant } from "../../../test/helpers";

const check = (key: string, body: unknown, headers: Record<string, string> = {}) =>
  call("/v1/checks", { method: "POST", key, json: body, headers });

describe("POST /v1/checks", () => {
  it("fails a food employee without a card past the 30-day window, citing HSC 113948", async () => {
    const { key } = await newTenant();
    const response = await check(key, { asOf: "2026-11-25", facility: sfRestaurant() });
    expect(response.status).toBe(200);
    const body = (await response.json()) as CheckBody;
    expect(body.id).toMatch(/^chk_/);
    expect(body.status).toBe("non_compliant");
    expect(body.jurisdictions).toEqual([
      "ocd-division/country:us",
      "ocd-division/country:us/state:ca",
      "ocd-division/country:us/state:ca/county:san_francisco",
      "ocd-division/country:us/state:ca/place:san_francisco",
    ]);
    const finding = findingFor(body, "CA-FHC", "s-1");
    expect(finding).toMatchObject({ status: "fail", subject: { kind: "staff", id: "s-1" } });
    expect(finding?.citation).toContain("113948");
    expect(finding?.message).toMatch(/Maria/);
  });

  it("warns with a due date inside the grace period, and passes once the card is held", async () => {
    const { key } = await newTenant();
    const inGrace = (await (
      await check(key, { asOf: "2026-09-20", facility: sfRestaurant() })
    ).json()) as CheckBody;
    const warn = findingFor(inGrace, "CA-FHC", "s-1");
    expect(warn?.status).toBe("warn");
    expect(warn?.dueBy).toMatch(/^2026-10-0[1-2]$/);
    expect(inGrace.status).toBe("at_risk");

    const facility = sfRestaurant();
    (facility.staff as { credentials?: unknown[] }[])[1] = {
      id: "s-1",
      name: "Maria",
      role: "food_employee",
      hiredAt: "2026-09-01",
      credentials: [cardFor("2026-09-10")],
    } as never;
    const held = (await (await check(key, { asOf: "2026-11-25", facility })).json()) as CheckBody;
    expect(findingFor(held, "CA-FHC", "s-1")?.status).toBe("pass");
  });

  it("is deterministic for the same asOf", async () => {
    const { key } = await newTenant();
    const a = (await (
      await check(key, { asOf: "2026-11-25", facility: sfRestaurant() })
    ).json()) as CheckBody;
    const b = (await (
      await check(key, { asOf: "2026-11-25", facility: sfRestaurant() })
    ).json()) as CheckBody;
    expect(b.id).not.toBe(a.id);
    expect(b.findings).toEqual(a.findings);
    expect(b.status).toBe(a.status);
  });

  it("returns the same check for a retried Idempotency-Key and refuses the key with another body", async () => {
    const { key } = await newTenant();
    const body = { asOf: "2026-11-25", facility: sfRestaurant() };
    const first = await check(key, body, { "idempotency-key": "order-123" });
    const retry = await check(key, body, { "idempotency-key": "order-123" });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect(((await retry.json()) as CheckBody).id).toBe(((await first.json()) as CheckBody).id);

    const conflict = await check(key, { ...body, asOf: "2026-11-24" }, { "idempotency-key": "order-123" });
    expect(conflict.status).toBe(422);
    expect(await conflict.json()).toMatchObject({ code: "idempotency_key_reused" });
  });

  it("answers 422 with a pointer per invalid field", async () => {
    const { key } = await newTenant();
    const staff = [
      { id: "s-1", role: "food_employee", hiredAt: "2026-09-01" },
      { id: "s-2", role: "food_employee", hiredAt: "2026-02-30" },
    ];
    const facility = sfRestaurant({ type: "food_truck", staff });
    const response = await check(key, { asOf: "yesterday", facility });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { pointer: string }[] };
    const pointers = problem.errors.map((e) => e.pointer);
    expect(pointers).toEqual(
      expect.arrayContaining(["/asOf", "/facility/type", "/facility/staff/1/hiredAt"]),
    );
  });

  it("answers 422 jurisdiction_not_covered for places without datasets", async () => {
    const { key } = await newTenant();
    const response = await check(key, {
      facility: sfRestaurant({ address: { city: "Cheyenne", state: "WY" } }),
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ code: "jurisdiction_not_covered" });
  });

  it("needs the checks:write scope", async () => {
    const { key } = await newTenant("Read only", ["facilities:read"]);
    const response = await check(key, { facility: sfRestaurant() });
    expect(response.status).toBe(403);
  });
});

describe("GET /v1/checks/{id}", () => {
  it("returns the check exactly as answered, and 404 to another tenant", async () => {
    const owner = await newTenant("Owner");
    const other = await newTenant("Other");
    const created = (await (
      await check(owner.key, { asOf: "2026-11-25", facility: sfRestaurant() })
    ).json()) as CheckBody;
    const fetched = await call(`/v1/checks/${created.id}`, { key: owner.key });
    expect(fetched.status).toBe(200);
    expect(await fetched.json()).toEqual(created);
    expect((await call(`/v1/checks/${created.id}`, { key: other.key })).status).toBe(404);
    expect((await call("/v1/checks/not-an-id", { key: owner.key })).status).toBe(422);
  });
});

describe("compact answers: findings that do not apply are counted, listed only on request", () => {
  const statuses = (body: CheckBody) => body.findings.map((f) => f.status);
  const applicable = (body: CheckBody) => body.findings.filter((f) => f.status !== "not_applicable");

  it("leaves out not_applicable findings by default and agrees with the full view", async () => {
    const { key } = await newTenant();
    const body = { asOf: "2026-11-25", facility: sfRestaurant() };
    const compact = (await (await check(key, body)).json()) as CheckBody & { notApplicableCount: number };
    const full = (await (
      await call("/v1/checks?include=not_applicable", { method: "POST", key, json: body })
    ).json()) as CheckBody & { notApplicableCount: number };

    expect(statuses(compact)).not.toContain("not_applicable");
    expect(full.findings.filter((f) => f.status === "not_applicable").length).toBe(full.notApplicableCount);
    expect(compact.notApplicableCount).toBe(full.notApplicableCount);
    expect(compact.notApplicableCount).toBeGreaterThan(10);
    // The verdict and the findings that apply are the same in both views.
    expect(compact.status).toBe(full.status);
    expect(compact.findings).toEqual(applicable(full));
    expect(JSON.stringify(compact).length).toBeLessThan(JSON.stringify(full).length / 2);

    // A past check reads the same way.
    const fetched = (await (await call(`/v1/checks/${compact.id}`, { key })).json()) as CheckBody;
    expect(fetched).toEqual(compact);
    const fetchedFull = (await (
      await call(`/v1/checks/${compact.id}?include=not_applicable`, { key })
    ).json()) as CheckBody;
    expect(statuses(fetchedFull).filter((s) => s === "not_applicable").length).toBe(
      compact.notApplicableCount,
    );
    expect(applicable(fetchedFull)).toEqual(compact.findings);
  });

  it("answers a replayed Idempotency-Key in the view the retry asks for", async () => {
    const { key } = await newTenant();
    const body = { asOf: "2026-11-25", facility: sfRestaurant() };
    const headers = { "idempotency-key": "compact-1" };
    const first = (await (await check(key, body, headers)).json()) as CheckBody;
    const retry = await call("/v1/checks?include=not_applicable", {
      method: "POST",
      key,
      json: body,
      headers,
    });
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    const replayed = (await retry.json()) as CheckBody;
    expect(replayed.id).toBe(first.id);
    expect(statuses(replayed)).toContain("not_applicable");
    expect(applicable(replayed)).toEqual(first.findings);
  });

  it("refuses an unknown include with a problem naming the query parameter", async () => {
    const { key } = await newTenant();
    const response = await call("/v1/checks?include=everything", {
      method: "POST",
      key,
      json: { facility: sfRestaurant() },
    });
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { errors: { pointer: string; detail: string }[] };
    expect(problem.errors[0]).toMatchObject({ pointer: "/query/include" });
    expect(problem.errors[0]?.detail).toMatch(/not_applicable/);
  });
});
