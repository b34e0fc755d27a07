/**
 * Scheduled evidence exports (hourly): for each tenant with a schedule (monthly or
 * quarterly), once a period has closed, queue one export of it — the period is claimed in the
 * tenant's own transaction, so overlapping runs queue it once — and hand it to the tenant
 * object (`JobContext.evidence.start`), which raises `export.ready` when it is built. A tenant
 * whose plan no longer includes `evidence_exports` is skipped (its schedule stays).
 */
import { entitled } from "../billing/entitlements";
import { loadBillingAccount } from "../db/billing";
import { asPlatform, withTenant } from "../db/client";
import {
  claimSchedulePeriod,
  createExport,
  existingFacilityIds,
  getSchedule,
  listSchedules,
} from "../db/evidence";
import type { JobContext } from "./context";

/** Who the audit log and the export row name as having asked. */
export const SCHEDULE_ACTOR = "schedule";

const iso = (date: Date) => date.toISOString().slice(0, 10);

/** The last whole period (month or quarter, UTC) that ended before `now`. */
export function closedPeriod(cadence: "monthly" | "quarterly", now: Date): { from: string; to: string } {
  const months = cadence === "monthly" ? 1 : 3;
  const year = now.getUTCFullYear();
  const startOfCurrent = cadence === "monthly" ? now.getUTCMonth() : Math.floor(now.getUTCMonth() / 3) * 3;
  const from = new Date(Date.UTC(year, startOfCurrent - months, 1));
  const to = new Date(Date.UTC(year, startOfCurrent, 0));
  return { from: iso(from), to: iso(to) };
}

export async function runScheduledExports(ctx: JobContext): Promise<{ queued: number; skipped: number }> {
  const reach = ctx.evidence;
  if (!reach) return { queued: 0, skipped: 0 };
  const schedules = await asPlatform(ctx.db, (tx) => listSchedules(tx));
  let queued = 0;
  let skipped = 0;
  for (const schedule of schedules) {
    try {
      const period = closedPeriod(schedule.cadence, ctx.now());
      if (!schedule.lastPeriodFrom || schedule.lastPeriodFrom < period.from) {
        const row = await withTenant(ctx.db, schedule.tenantId, async (tx) => {
          const account = await loadBillingAccount(tx, schedule.tenantId);
          if (!account || !entitled(account, "evidence_exports", ctx.now().getTime()))
            return "not_entitled" as const;
          const current = await getSchedule(tx);
          if (!current || !(await claimSchedulePeriod(tx, period.from))) return null;
          const facilityIds = await existingFacilityIds(tx, current.facilityIds);
          if (facilityIds.length === 0) return null;
          return createExport(tx, {
            tenantId: schedule.tenantId,
            trigger: "scheduled",
            facilityIds,
            allFacilities: current.facilityIds === null,
            from: period.from,
            to: period.to,
            createdBy: SCHEDULE_ACTOR,
          });
        });
        if (row === "not_entitled") skipped++;
        else if (row) {
          await reach.start(schedule.tenantId, row);
          queued++;
        }
      }
    } catch (error) {
      ctx.log({
        level: "error",
        message: "scheduled export failed",
        tenantId: schedule.tenantId,
        error: String(error),
      });
    }
  }
  return { queued, skipped };
}
