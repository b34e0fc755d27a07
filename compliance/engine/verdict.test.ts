// Verdict-level semantics: status aggregation, nextDeadline, reevaluateAt, determinism, caching.
import { describe, expect, it } from "vitest";
import { bundledDatasets } from "../datasets";
import { CERTIFIED_MANAGER, check } from "../test-helpers";
import { compileDataset } from "./compile";

const permit = {
  type: "health_permit" as const,
  number: "HP-1",
  issuedAt: "2025-01-01",
  expiresAt: "2026-12-31",
};

describe("verdict", () => {
  it("is compliant when nothing warns or fails", () => {
    const v = check({ permits: [permit], staff: [CERTIFIED_MANAGER] }, "2026-03-02");
    expect(v.status).toBe("compliant");
    expect(v.nextDeadline).toBeNull();
    expect(v.datasets.map((d) => d.jurisdiction)).toEqual([
      "ocd-division/country:us",
      "ocd-division/country:us/state:ca",
    ]);
    expect(v.jurisdictions.at(-1)).toBe("ocd-division/country:us/state:ca/place:oakland");
  });
  it("is at_risk with a warning, and nextDeadline is the earliest due date", () => {
    const staff = [
      CERTIFIED_MANAGER,
      { id: "a", role: "food_employee" as const, hiredAt: "2026-02-20" },
      { id: "b", role: "food_employee" as const, hiredAt: "2026-02-10" },
    ];
    const v = check({ permits: [permit], staff }, "2026-03-02");
    expect(v.status).toBe("at_risk");
    expect(v.nextDeadline).toEqual({
      date: "2026-03-12",
      ruleId: "CA-FHC",
      subject: { kind: "staff", id: "b" },
    });
    expect(v.reevaluateAt).toBe("2026-03-13"); // the day b's warning becomes a failure
  });
  it("is non_compliant with any failure", () => {
    expect(check({ staff: [CERTIFIED_MANAGER] }, "2026-03-02").status).toBe("non_compliant");
  });
  it("sets reevaluateAt to the start of a 30-day expiring-soon window", () => {
    const v = check(
      { permits: [{ ...permit, expiresAt: "2026-06-30" }], staff: [CERTIFIED_MANAGER] },
      "2026-03-02",
    );
    expect(v.status).toBe("compliant");
    expect(v.reevaluateAt).toBe("2026-05-31");
  });
  it("every warning carries dueBy", () => {
    const v = check(
      { openedAt: "2026-02-01", staff: [{ id: "a", role: "food_employee", hiredAt: "2026-02-20" }] },
      "2026-03-02",
    );
    const warns = v.findings.filter((f) => f.status === "warn");
    expect(warns.length).toBeGreaterThan(1);
    for (const w of warns) expect(w.dueBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
  it("compiles each dataset once (identity and content cache)", () => {
    const ca = bundledDatasets[1];
    if (!ca) throw new Error("missing");
    expect(compileDataset(ca)).toBe(compileDataset(ca));
    expect(compileDataset(JSON.parse(JSON.stringify(ca)))).toBe(compileDataset(ca));
    expect(compileDataset({ ...ca, version: "2099.1.0" })).not.toBe(compileDataset(ca));
  });
});
