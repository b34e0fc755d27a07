/**
 * Keeping a stored facility's verdict current: after it is created, changed or checked it
 * is evaluated today, its status is stored with it, and the verdict goes to the tenant's
 * Durable Object, which raises drift alerts and schedules the next deadline.
 */
import type { FacilityInput, Verdict } from "../../compliance";
import type { EvaluatedStatus, FacilityRecord } from "../../db/facility-records";
import type { FacilitySnapshot } from "../../durable-objects/contract";
import { asOfDate } from "../../runtime/evaluation";
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

/** Attempts, and the wait before each retry, to tell the tenant object about a verdict. */
const NOTIFY_RETRY_DELAYS_MS = [1_000, 4_000];

/**
 * Tells the tenant object about a facility's latest verdict. The facility is already stored,
 * so a failure never fails the request: the first attempt is awaited (drift alerts appear at
 * once), retries run after the response, and should they all fail the hourly reconciliation
 * (pipeline/reconcile-watches.ts) brings the object in line with Postgres.
 */
export async function notifyTenantObject(
  services: Services,
  tenantId: string,
  snapshot: FacilitySnapshot,
): Promise<void> {
  const attempt = () => services.tenant(tenantId).upsertFacility(snapshot);
  try {
    await attempt();
  } catch (error) {
    logNotifyFailure(snapshot.facilityId, 1, error);
    services.background(retryNotify(attempt, snapshot.facilityId));
  }
}

async function retryNotify(attempt: () => Promise<unknown>, facilityId: string): Promise<void> {
  for (const [index, delayMs] of NOTIFY_RETRY_DELAYS_MS.entries()) {
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    try {
      await attempt();
      return;
    } catch (error) {
      logNotifyFailure(facilityId, index + 2, error);
    }
  }
}

function logNotifyFailure(facilityId: string, attempt: number, error: unknown): void {
  console.error(
    JSON.stringify({
      level: "error",
      message: "tenant object upsertFacility failed",
      facilityId,
      attempt,
      error: String(error),
    }),
  );
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
