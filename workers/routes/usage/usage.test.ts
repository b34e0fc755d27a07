// GET /v1/usage: exact counts from the tenant's meters, by hour or day and by state, only
// ever the caller's tenant; validation, authentication and scope.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { checkInput } from "../../../test/check-records";
import { sfRestaurant } from "../../../test/fixtures";
import { call, newTenant } from "../../../test/helpers";
import { TenantMeters } from "../../services/tenant-meters";

interface UsageBody {
  from: string;
  to: string;
  granularity: string;
  total: number;
  series: { start: string; count: number; byState: Record<string, number> }[];
}

async function record(tenantId: string, states: string[]): Promise<void> {
  const meters = TenantMeters.of(env, tenantId);
  for (const state of states) {
    const input = checkInput(tenantId, { state });
    expect((await meters.record(input)).kind).toBe("recorded");
  }
}

async function usage(key: string, query = ""): Promise<UsageBody> {
  const response = await call(`/v1/usage${query}`, { key });
  expect(response.status).toBe(200);
  return (await response.json()) as UsageBody;
}

describe("GET /v1/usage", () => {
  it("counts each tenant's own checks per state, by hour and by day", async () => {
    const a = await newTenant("A");
    const b = await newTenant("B");
    await record(a.tenantId, ["CA", "CA", "NY"]);
    await record(b.tenantId, ["TX"]);

    const byDay = await usage(a.key);
    expect(byDay).toMatchObject({ granularity: "day", total: 3 });
    expect(byDay.series.length).toBeGreaterThanOrEqual(30);
    expect(byDay.series.at(-1)).toMatchObject({ count: 3, byState: { CA: 2, NY: 1 } });

    const today = new Date().toISOString().slice(0, 10);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const byHour = await usage(a.key, `?from=${today}&to=${tomorrow}&granularity=hour`);
    expect(byHour.series).toHaveLength(24);
    expect(byHour.total).toBe(3);
    const thisHour = byHour.series.find((bucket) => bucket.count > 0);
    expect(thisHour?.start.slice(0, 13)).toBe(new Date().toISOString().slice(0, 13));

    expect(await usage(b.key)).toMatchObject({ total: 1 });
    expect((await usage(b.key)).series.at(-1)?.byState).toEqual({ TX: 1 });
  });

  it("counts checks made through POST /v1/checks once per Idempotency-Key", async () => {
    const { key } = await newTenant();
    const check = (idempotencyKey?: string) =>
      call("/v1/checks", {
        method: "POST",
        key,
        json: { facility: sfRestaurant() },
        headers: idempotencyKey ? { "idempotency-key": idempotencyKey } : {},
      });
    expect((await check("order-1")).status).toBe(200);
    const retry = await check("order-1");
    expect(retry.headers.get("idempotent-replayed")).toBe("true");
    expect((await check()).status).toBe(200);
    expect(await usage(key)).toMatchObject({ total: 2 });
  });

  it("names the whole hours it counted and excludes checks outside [from, to)", async () => {
    const { key, tenantId } = await newTenant();
    await record(tenantId, ["CA"]);
    const body = await usage(
      key,
      "?from=2026-01-05T10:30:00Z&to=2026-01-06T08:15:00%2B02:00&granularity=hour",
    );
    expect(body).toMatchObject({
      from: "2026-01-05T10:00:00.000Z",
      to: "2026-01-06T07:00:00.000Z",
      total: 0,
    });
    expect(body.series).toHaveLength(21);
    expect(body.series[0]?.start).toBe("2026-01-05T10:00:00.000Z");
  });

  it("answers 422 with a pointer per invalid parameter", async () => {
    const { key } = await newTenant();
    const pointers = async (query: string) => {
      const response = await call(`/v1/usage${query}`, { key });
      expect(response.status).toBe(422);
      const body = (await response.json()) as { code: string; errors: { pointer: string }[] };
      expect(body.code).toBe("validation_failed");
      return body.errors.map((error) => error.pointer).sort();
    };
    expect(await pointers("?from=2026-02-30&to=soon&granularity=week")).toEqual([
      "/query/from",
      "/query/granularity",
      "/query/to",
    ]);
    expect(await pointers("?from=2026-03-02&to=2026-03-01")).toEqual(["/query/to"]);
    expect(await pointers("?from=2026-01-01&to=2026-03-01&granularity=hour")).toEqual(["/query/from"]);
  });

  it("requires a key (401) with the usage:read scope (403)", async () => {
    expect((await call("/v1/usage")).status).toBe(401);
    const { key } = await newTenant("No usage scope", ["checks:write"]);
    const response = await call("/v1/usage", { key });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: "insufficient_scope", requiredScope: "usage:read" });
  });
});
