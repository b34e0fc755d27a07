// The national footprint through the API: a Chicago check fails the city's additive certificate
// rule with its citation, a Dallas check says it has state-level coverage only, and
// GET /v1/jurisdictions lists each dataset's level and the covered cities per state.
import { describe, expect, it } from "vitest";
import { call, newTenant } from "../../../test/helpers";

interface Finding {
  ruleId: string;
  status: string;
  citation: string;
  jurisdiction: string;
}
interface CheckBody {
  status: string;
  coverage: string | null;
  jurisdictions: string[];
  findings: Finding[];
}

const manager = {
  id: "m-1",
  name: "Dana",
  role: "manager",
  hiredAt: "2020-01-01",
  credentials: [{ type: "food_protection_manager", issuedAt: "2024-01-01" }],
};
const restaurant = (city: string, state: string) => ({
  name: "Test Diner",
  type: "restaurant",
  address: { city, state },
  staff: [manager],
});
const check = async (key: string, facility: object) => {
  const response = await call("/v1/checks", { method: "POST", key, json: { asOf: "2026-11-25", facility } });
  expect(response.status).toBe(200);
  return (await response.json()) as CheckBody;
};

describe("POST /v1/checks across states", () => {
  it("fails Chicago's own certificate rule when only the state certificate is held", async () => {
    const { key } = await newTenant();
    const body = await check(key, restaurant("Chicago", "IL"));
    expect(body.coverage).toBe("city");
    expect(body.findings.find((f) => f.ruleId === "IL-CFSSM")?.status).toBe("pass");
    expect(body.findings.find((f) => f.ruleId === "CHI-FSSC")).toMatchObject({
      status: "fail",
      citation: "Chicago Municipal Code § 7-38-012",
      jurisdiction: "ocd-division/country:us/state:il/place:chicago",
    });
    expect(body.status).toBe("non_compliant");
  });

  it("says a Dallas check has state-level coverage only", async () => {
    const { key } = await newTenant();
    const body = await check(key, restaurant("Dallas", "TX"));
    expect(body.coverage).toBe("state");
    expect(body.jurisdictions).toEqual(["ocd-division/country:us", "ocd-division/country:us/state:tx"]);
    expect(body.findings.find((f) => f.ruleId === "TX-CFPM")?.status).toBe("pass");
  });
});

describe("GET /v1/jurisdictions", () => {
  it("lists each dataset's level and, per state, the cities with their own datasets", async () => {
    const { key } = await newTenant();
    const response = await call("/v1/jurisdictions", { key });
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      data: { jurisdiction: string; level: string; version: string; fresh: boolean }[];
      coverage: {
        jurisdiction: string;
        local: { jurisdiction: string; level: string }[];
        elsewhere: string;
      }[];
    };
    expect(
      body.data.find((d) => d.jurisdiction === "ocd-division/country:us/state:tx/place:houston"),
    ).toMatchObject({
      level: "city",
      version: expect.any(String),
      fresh: expect.any(Boolean),
    });
    const texas = body.coverage.find((s) => s.jurisdiction === "ocd-division/country:us/state:tx");
    expect(texas?.local.map((l) => l.jurisdiction)).toEqual([
      "ocd-division/country:us/state:tx/place:austin",
      "ocd-division/country:us/state:tx/place:houston",
    ]);
    expect(texas?.elsewhere).toBe("state");
    expect(body.coverage.find((s) => s.jurisdiction === "ocd-division/country:us/state:fl")?.local).toEqual(
      [],
    );
  });
});
