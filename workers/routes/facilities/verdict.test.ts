// GET /v1/facilities/{id}/verdict: the findings behind a facility's status, without a check.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { sfRestaurant } from "../../../test/fixtures";
import { call, expectProblem, newTenant } from "../../../test/helpers";

interface VerdictBody {
  facilityId: string;
  asOf: string;
  evaluatedAt: string;
  cause: string;
  status: string;
  findings: { ruleId: string; status: string }[];
}

async function createFacility(key: string, facility: unknown = sfRestaurant()) {
  const response = await call("/v1/facilities", { method: "POST", key, json: facility });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; status: string; lastCheckedAt: string };
}

const verdictOf = async (key: string, id: string) => {
  const response = await call(`/v1/facilities/${id}/verdict`, { key });
  expect(response.status).toBe(200);
  return (await response.json()) as VerdictBody;
};

async function usageTotal(key: string): Promise<number> {
  return ((await (await call("/v1/usage?granularity=day", { key })).json()) as { total: number }).total;
}

describe("GET /v1/facilities/{id}/verdict", () => {
  it("answers the findings behind the stored status right after the facility is added, unmetered", async () => {
    const { key } = await newTenant();
    const created = await createFacility(key);
    const verdict = await verdictOf(key, created.id);
    expect(verdict).toMatchObject({ facilityId: created.id, cause: "created", status: created.status });
    expect(verdict.evaluatedAt).toBe(created.lastCheckedAt);
    expect(verdict.findings.some((f) => f.status === "fail")).toBe(true);
    // Like a check's answer: what does not apply is counted, and listed on request.
    expect(verdict.findings.some((f) => f.status === "not_applicable")).toBe(false);
    const full = (await (
      await call(`/v1/facilities/${created.id}/verdict?include=not_applicable`, { key })
    ).json()) as VerdictBody & { notApplicableCount: number };
    expect(full.findings.filter((f) => f.status === "not_applicable").length).toBe(full.notApplicableCount);
    expect((verdict as VerdictBody & { notApplicableCount: number }).notApplicableCount).toBe(
      full.notApplicableCount,
    );
    expect(await usageTotal(key)).toBe(0);
  });

  it("follows the facility: a change and a check each produce the verdict shown", async () => {
    const { key } = await newTenant();
    const created = await createFacility(key);
    const patch = await call(`/v1/facilities/${created.id}`, {
      method: "PATCH",
      key,
      json: { name: "Renamed" },
    });
    expect(patch.status).toBe(200);
    const updated = (await patch.json()) as { lastCheckedAt: string };
    expect(await verdictOf(key, created.id)).toMatchObject({
      cause: "updated",
      evaluatedAt: updated.lastCheckedAt,
    });
    const check = await call(`/v1/facilities/${created.id}/checks`, { method: "POST", key, json: {} });
    expect(check.status).toBe(200);
    const checked = (await check.json()) as { evaluatedAt: string; findings: unknown[] };
    const verdict = await verdictOf(key, created.id);
    expect(verdict.cause).toBe("check");
    expect(verdict.findings).toEqual(checked.findings);
  });

  it("re-evaluates and tells the tenant object when the object has not heard of the facility", async () => {
    const { key, tenantId } = await newTenant();
    const created = await createFacility(key);
    const tenant = env.TENANT.get(env.TENANT.idFromName(tenantId));
    expect(await tenant.removeFacility(created.id)).toBe(true);
    const verdict = await verdictOf(key, created.id);
    expect(verdict).toMatchObject({ cause: "reconciled", status: created.status });
    expect(await tenant.getFacilityVerdict(created.id)).toMatchObject({ cause: "reconciled" });
  });

  it("answers 404 for an unknown facility and 422 for a malformed id", async () => {
    const { key } = await newTenant();
    await expectProblem(
      await call("/v1/facilities/fac_00000000000000000000000000/verdict", { key }),
      404,
      "not_found",
    );
    await expectProblem(await call("/v1/facilities/nope/verdict", { key }), 422, "validation_failed");
  });
});
