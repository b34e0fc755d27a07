/**
 * Keeping a stored facility's verdict current: after it is created, changed or checked it
 * is evaluated today, its status is stored with it, and the verdict goes to the tenant's
 * Durable Object, which raises drift alerts and schedules the next deadline.
 */
import type { FacilityInput, Verdict } from "../../compliance";
import type { EvaluatedStatus, FacilityRecord } from "../../db/facility-records";
import { asOfDate } from "../../runtime/evaluation";
import type { Principal } from "../middleware/auth";
import { verdictFor } from "./evaluate";
import type { Services } from "./services";

export async function evaluateToday(
  services: Services,
  facility: FacilityInput,
): Promise<{ verdict: Verdict; evaluated: EvaluatedStatus }> {
  const datasets = await services.datasets.current(services.db, services.background);
  const now = new Date();
  const verdict = verdictFor(facility, asOfDate(undefined, now), datasets);
  return { verdict, evaluated: { status: verdict.status, checkedAt: now.toISOString() } };
}

/**
 * Tells the tenant object about a facility's latest verdict. The facility is already
 * stored; should the object be unreachable, the next change or deadline sweep catches up,
 * so a failure here is logged rather than failing a request whose data is safe.
 */
export async function notifyTenantObject(
  services: Services,
  principal: Principal,
  facilityId: string,
  facility: FacilityInput,
  verdict: Verdict,
  cause: "created" | "updated" | "check",
): Promise<void> {
  try {
    await services.tenant(principal.tenantId).upsertFacility({ facilityId, facility, verdict, cause });
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        message: "tenant object upsertFacility failed",
        facilityId,
        error: String(error),
      }),
    );
  }
}

/** The API's view of a stored facility: the facility itself plus what Prep knows of it. */
export function facilityBody(record: FacilityRecord) {
  return {
    id: record.id,
    ...record.facility,
    status: record.status,
    lastCheckedAt: record.lastCheckedAt,
    createdAt: record.createdAt,
    updatedAt: record.updatedAt,
  };
}
