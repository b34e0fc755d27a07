// Renewal lead times are data: every credential and permit type has one in the FDA model layer
// (so wherever a facility stands), a narrower layer's entry wins, and changing the data changes
// the findings' `startBy` (= dueBy, else validThrough, − the lead time).
import { describe, expect, it } from "vitest";
import { bundledDatasets, bundledLayersFor } from "../datasets";
import type { Dataset } from "../schema/dataset";
import { CREDENTIAL_TYPES, PERMIT_TYPES } from "../schema/facility";
import { validateDataset } from "../schema/validate-dataset";
import { CERTIFIED_MANAGER, facility, only } from "../test-helpers";
import { compileDataset } from "./compile";
import { evaluate } from "./evaluate";

const US = "ocd-division/country:us";
const CA = "ocd-division/country:us/state:ca";
const OAKLAND = [US, CA, "ocd-division/country:us/state:ca/county:alameda"];

function layers(edit?: (datasets: Dataset[]) => Dataset[]): ReturnType<typeof compileDataset>[] {
  const chain = bundledLayersFor([US, CA]);
  return (edit ? edit(chain) : chain).map(compileDataset);
}

const withLead = (dataset: Dataset, kind: "credential" | "permit", type: string, days: number): Dataset => ({
  ...dataset,
  leadTimes: [
    ...(dataset.leadTimes ?? []).filter((l) => !(l.kind === kind && l.type === type)),
    {
      kind,
      type,
      days,
      verified: false,
      citation: "test",
      basis: "test",
    } as NonNullable<Dataset["leadTimes"]>[number],
  ],
});

const kitchen = facility({
  openedAt: "2020-01-01",
  staff: [
    {
      ...CERTIFIED_MANAGER,
      credentials: [{ type: "food_protection_manager", issuedAt: "2022-06-01", expiresAt: "2027-06-30" }],
    },
    {
      id: "c-1",
      name: "Bo",
      role: "food_employee",
      hiredAt: "2024-01-01",
      credentials: [{ type: "food_handler_card", issuedAt: "2024-01-05", expiresAt: "2026-12-20" }],
    },
  ],
  permits: [{ type: "health_permit", number: "HP-1", issuedAt: "2026-01-01", expiresAt: "2027-01-31" }],
});
const run = (compiled: ReturnType<typeof compileDataset>[], asOf = "2026-12-01") =>
  evaluate(kitchen, compiled, asOf, { jurisdictions: OAKLAND });

describe("renewal lead times", () => {
  it("the FDA model layer states one for every credential and permit type, each with a citation", () => {
    const us = bundledDatasets.find((d) => d.jurisdiction === US) as Dataset;
    const stated = new Set((us.leadTimes ?? []).map((l) => `${l.kind}:${l.type}`));
    for (const type of CREDENTIAL_TYPES) expect(stated).toContain(`credential:${type}`);
    for (const type of PERMIT_TYPES) expect(stated).toContain(`permit:${type}`);
    for (const lead of us.leadTimes ?? []) {
      expect(lead.citation.length).toBeGreaterThan(0);
      // Unverified ones say so in the citation and explain the default.
      if (!lead.verified) expect(lead.citation).toMatch(/^\[V\]/);
    }
  });

  it("findings carry startBy beside dueBy, and validThrough for what is current", () => {
    const v = run(layers());
    // Card expiring within 30 days: warn, dueBy = expiry, startBy = expiry − 14 (food handler card).
    expect(only(v, "CA-FHC", "c-1")).toMatchObject({
      status: "warn",
      dueBy: "2026-12-20",
      validThrough: "2026-12-20",
      startBy: "2026-12-06",
    });
    // A passing permit: no dueBy, but its expiry and when to start (45 days for a health permit).
    expect(only(v, "CA-PERMIT")).toMatchObject({
      status: "pass",
      dueBy: null,
      validThrough: "2027-01-31",
      startBy: "2026-12-17",
    });
    // The certificate holder rule: 60 days for a manager exam.
    expect(only(v, "CA-FSC")).toMatchObject({
      status: "pass",
      validThrough: "2027-06-30",
      startBy: "2027-05-01",
    });
    // Findings about no credential or permit have neither.
    expect(only(v, "FDA-PIC")).toMatchObject({ startBy: null, validThrough: null });
  });

  it("a grace-period warning starts by its deadline − the lead time", () => {
    const hired = facility({
      staff: [CERTIFIED_MANAGER, { id: "n-1", role: "food_employee", hiredAt: "2026-11-20" }],
    });
    const f = only(evaluate(hired, layers(), "2026-12-01", { jurisdictions: OAKLAND }), "CA-FHC", "n-1");
    expect(f).toMatchObject({
      status: "warn",
      dueBy: "2026-12-20",
      startBy: "2026-12-06",
      validThrough: null,
    });
  });

  it("changing the data changes startBy", () => {
    const longer = layers((chain) =>
      chain.map((d) => (d.jurisdiction === US ? withLead(d, "permit", "health_permit", 90) : d)),
    );
    expect(only(run(longer), "CA-PERMIT").startBy).toBe("2026-11-02");
    const shorter = layers((chain) =>
      chain.map((d) => (d.jurisdiction === US ? withLead(d, "credential", "food_handler_card", 3) : d)),
    );
    expect(only(run(shorter), "CA-FHC", "c-1").startBy).toBe("2026-12-17");
  });

  it("the narrowest layer stating a type wins (where the facility stands)", () => {
    const local = layers((chain) =>
      chain.map((d) => (d.jurisdiction === CA ? withLead(d, "permit", "health_permit", 10) : d)),
    );
    expect(only(run(local), "CA-PERMIT").startBy).toBe("2027-01-21");
    // The broader layer's value still applies to the types the narrower one does not state.
    expect(only(run(local), "CA-FHC", "c-1").startBy).toBe("2026-12-06");
  });

  it("without any lead time, startBy is null", () => {
    const none = layers((chain) => chain.map((d) => ({ ...d, leadTimes: [] })));
    expect(only(run(none), "CA-PERMIT")).toMatchObject({ startBy: null, validThrough: "2027-01-31" });
  });

  it("validateDataset refuses two lead times for one type", () => {
    const us = bundledDatasets.find((d) => d.jurisdiction === US) as Dataset;
    const twice = { ...us, leadTimes: [...(us.leadTimes ?? []), ...(us.leadTimes ?? []).slice(0, 1)] };
    const result = validateDataset(twice);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.message).toMatch(/duplicate lead time/);
    const bad = {
      ...us,
      leadTimes: [{ kind: "permit", type: "no_such", days: 0, verified: true, citation: "", basis: "" }],
    };
    expect(validateDataset(bad).ok).toBe(false);
  });
});
