/**
 * `prep analytics status|requeue` — the product-analytics queue (runtime/analytics-outbox.ts)
 * for the operator: how many events wait and since when, the dead letters by event and
 * reason, and putting dead letters back in the queue once their cause is fixed
 * (RUNBOOK.md, "Analytics: destination outage, dead letters").
 */
import { analyticsOutboxStatus, requeueDeadAnalytics } from "../runtime/analytics-outbox";
import { print, UsageError, withDatabase } from "./shared";

export const ANALYTICS_USAGE = `  prep analytics status                    events waiting to be sent, dead letters by event and reason
  prep analytics requeue [--event <name>]  dead letters back in the queue (all, or one event's)`;

export async function analyticsCommand(verb: string, values: { event?: string | undefined }): Promise<void> {
  if (verb === "status") {
    print(await withDatabase(analyticsOutboxStatus));
    return;
  }
  if (verb === "requeue") {
    const requeued = await withDatabase((db) => requeueDeadAnalytics(db, values.event));
    print({ requeued, sentBy: "the next drain (after a request, or the hourly cron)" });
    return;
  }
  throw new UsageError(`unknown command "analytics ${verb}"\n\n${ANALYTICS_USAGE}`);
}
