// Reconciliation: each tenant object ends up watching exactly the facilities Postgres holds,
// with verdicts no older than Postgres's, and Postgres shows the object's later statuses.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { withTenant } from "../db/client";
import { loadFacility, replaceFacility } from "../db/facility-records";
import { sfRestaurant } from "../test/fixtures";
import { call, newTenant, workerDb } from "../test/helpers";
import { withJobContext } from "../test/pipeline";
import { reconcileWatches } from "./reconcile-watches";

const tenantObject = (tenantId: string) => env.TENANT.get(env.TENANT.idFromName(tenantId));

async function createFacility(key: string, name = "Reconciled Kitchen") {
  const response = await call("/v1/facilities", { method: "POST", key, json: sfRestaurant({ name }) });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; status: string; lastCheckedAt: string };
}

/** The facility as Postgres stores it (the object's own shape). */
async function storedInput(tenantId: string, id: string) {
  const handle = workerDb();
  try {
    const record = await withTenant(handle.db, tenantId, (tx) => loadFacility(tx, id));
    if (!record) throw new Error(`no facility ${id}`);
    return record.facility;
  } finally {
    await handle.close();
  }
}

const reconcile = (tenantId: string) =>
  withJobContext((ctx) => reconcileWatches(ctx, { tenantIds: [tenantId] }));

describe("reconciling tenant objects with Postgres", () => {
  it("sends a facility whose notification was lost, and the object watches it again", async () => {
    const { key, tenantId } = await newTenant();
    const facility = await createFacility(key);
    await tenantObject(tenantId).removeFacility(facility.id);

    const report = await reconcile(tenantId);
    expect(report).toMatchObject({ tenants: 1, sent: 1, removed: 0, failures: 0 });
    expect(await tenantObject(tenantId).getFacilityVerdict(facility.id)).toMatchObject({
      cause: "reconciled",
    });
    expect(await reconcile(tenantId)).toMatchObject({ sent: 0, removed: 0, statusesUpdated: 0 });
  });

  it("re-sends a facility changed in Postgres after the object's verdict, raising the missed drift alert", async () => {
    const { key, tenantId } = await newTenant();
    const facility = await createFacility(key);
    // A change stored without the object hearing of it: the permit lapsed long ago.
    const handle = workerDb();
    try {
      await withTenant(handle.db, tenantId, async (tx) => {
        const record = await loadFacility(tx, facility.id);
        if (!record) throw new Error("facility missing");
        const lapsed = {
          ...record.facility,
          permits: record.facility.permits?.map((p) => ({ ...p, expiresAt: "2020-01-01" })),
        };
        await replaceFacility(tx, tenantId, facility.id, lapsed, {
          status: "non_compliant",
          checkedAt: new Date(Date.now() + 1_000).toISOString(),
        });
      });
    } finally {
      await handle.close();
    }

    expect(await reconcile(tenantId)).toMatchObject({ sent: 1 });
    const alerts = (await (await call("/v1/alerts", { key })).json()) as {
      data: { facilityId: string; cause: string }[];
    };
    expect(alerts.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ facilityId: facility.id, cause: "reconciled" })]),
    );
  });

  it("forgets a facility Postgres no longer has", async () => {
    const { key, tenantId } = await newTenant();
    const kept = await createFacility(key);
    const ghost = await tenantObject(tenantId).getFacilityVerdict(kept.id);
    if (!ghost) throw new Error("the object should hold the facility");
    await tenantObject(tenantId).upsertFacility({
      facilityId: "fac_00000000000000000000000000",
      facility: await storedInput(tenantId, kept.id),
      verdict: ghost.verdict,
      cause: "created",
    });

    expect(await reconcile(tenantId)).toMatchObject({ removed: 1, sent: 0 });
    const watched = await tenantObject(tenantId).watchedFacilities();
    expect(watched.map((w) => w.facilityId)).toEqual([kept.id]);
  });

  it("stores the status of a verdict the object produced later (a deadline passed)", async () => {
    const { key, tenantId } = await newTenant();
    const facility = await createFacility(key);
    const held = await tenantObject(tenantId).getFacilityVerdict(facility.id);
    if (!held) throw new Error("the object should hold the facility");
    const later = new Date(Date.parse(facility.lastCheckedAt) + 60_000).toISOString();
    const changed = held.verdict.status === "compliant" ? "at_risk" : "compliant";
    await tenantObject(tenantId).upsertFacility({
      facilityId: facility.id,
      facility: await storedInput(tenantId, facility.id),
      verdict: { ...held.verdict, status: changed },
      cause: "deadline",
      evaluatedAt: later,
    });

    expect(await reconcile(tenantId)).toMatchObject({ statusesUpdated: 1, sent: 0 });
    const stored = (await (await call(`/v1/facilities/${facility.id}`, { key })).json()) as {
      status: string;
      lastCheckedAt: string;
    };
    expect(stored).toMatchObject({ status: changed, lastCheckedAt: later });
  });
});
