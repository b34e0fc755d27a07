/**
 * Reconciliation: nothing is silently unwatched. Postgres holds each tenant's facilities; the
 * tenant's Durable Object holds each one's latest verdict and raises drift and deadline
 * alerts from it. A notification lost between the two (the object unreachable for longer
 * than the Worker's retries) would leave a facility unwatched, so every hour this job
 * compares the two, tenant by tenant:
 *
 * - a facility the object lacks, or holds from before Postgres's latest evaluation, is sent
 *   to the object, which evaluates it today (and raises the drift alert it had missed);
 * - a facility the object holds but Postgres no longer has is forgotten;
 * - a verdict the object produced later than Postgres's (a deadline passed, a rule changed)
 *   becomes the facility's stored status, so lists and the Overview show what the object
 *   knows.
 *
 * Tenants are those with facilities (`prep_facility_places`, the platform's one door to
 * them); each tenant's facilities are read inside its own row-level-security transaction.
 */
import { COVERED_STATES } from "../compliance/index";
import { withTenant } from "../db/client";
import { facilityPlaces } from "../db/facility-places";
import {
  type FacilityStatus,
  listFacilityStates,
  loadFacility,
  setFacilityStatus,
} from "../db/facility-records";
import type { JobContext, TenantObjects } from "./context";

export interface ReconcileReport {
  tenants: number;
  /** Facilities sent to their object because it lacked them or held them stale. */
  sent: number;
  /** Facilities the object forgot because Postgres no longer has them. */
  removed: number;
  /** Stored statuses brought up to the object's later verdict. */
  statusesUpdated: number;
  /** Tenants whose reconciliation failed (tried again next hour). */
  failures: number;
}

/** Reconciles every tenant with facilities, or only `options.tenantIds`. */
export async function reconcileWatches(
  ctx: JobContext,
  options: { tenantIds?: readonly string[] } = {},
): Promise<ReconcileReport> {
  const report: ReconcileReport = { tenants: 0, sent: 0, removed: 0, statusesUpdated: 0, failures: 0 };
  const objects = ctx.tenantObjects;
  if (!objects) return report;
  const tenants =
    options.tenantIds ??
    new Set((await facilityPlaces(ctx.db, COVERED_STATES)).map((place) => place.tenantId));
  for (const tenantId of tenants) {
    try {
      const outcome = await reconcileTenant(ctx, objects, tenantId);
      report.tenants++;
      report.sent += outcome.sent;
      report.removed += outcome.removed;
      report.statusesUpdated += outcome.statusesUpdated;
    } catch (error) {
      report.failures++;
      ctx.log({ level: "error", message: "reconciliation failed", tenantId, error: String(error) });
    }
  }
  ctx.log({ message: "reconciliation", ...report });
  return report;
}

async function reconcileTenant(ctx: JobContext, objects: TenantObjects, tenantId: string) {
  const [stored, watched] = await Promise.all([
    withTenant(ctx.db, tenantId, listFacilityStates),
    objects.watched(tenantId),
  ]);
  const watchedById = new Map(watched.map((w) => [w.facilityId, w]));
  const storedIds = new Set(stored.map((s) => s.id));
  const toSend: string[] = [];
  const laterStatuses: { id: string; status: FacilityStatus; evaluatedAt: string }[] = [];
  for (const facility of stored) {
    const held = watchedById.get(facility.id);
    const storedAt = facility.lastCheckedAt ? Date.parse(facility.lastCheckedAt) : 0;
    if (!held || Date.parse(held.evaluatedAt) < storedAt) toSend.push(facility.id);
    else if (Date.parse(held.evaluatedAt) > storedAt && held.status !== facility.status)
      laterStatuses.push({
        id: facility.id,
        status: held.status as FacilityStatus,
        evaluatedAt: held.evaluatedAt,
      });
  }
  const remove = watched.map((w) => w.facilityId).filter((id) => !storedIds.has(id));

  const upsert = await withTenant(ctx.db, tenantId, async (tx) => {
    for (const later of laterStatuses) await setFacilityStatus(tx, later.id, later.status, later.evaluatedAt);
    const records = [];
    for (const id of toSend) {
      const record = await loadFacility(tx, id);
      if (record) records.push({ facilityId: id, facility: record.facility });
    }
    return records;
  });
  const outcome =
    upsert.length > 0 || remove.length > 0
      ? await objects.reconcile(tenantId, { upsert, remove })
      : { evaluated: 0, removed: 0 };
  return { sent: outcome.evaluated, removed: outcome.removed, statusesUpdated: laterStatuses.length };
}
