/**
 * Schemas of /v1/renewal-reminders: a credential or permit whose renewal Prep tracks
 * (notifications/contract.ts `RenewalReminder`).
 */
import * as v from "valibot";

const StepSchema = v.picklist(["person", "manager", "owner"]);

export const RenewalReminderSchema = v.object({
  facilityId: v.string(),
  facilityName: v.string(),
  ruleId: v.string(),
  title: v.string(),
  citation: v.string(),
  subject: v.nullable(v.object({ kind: v.string(), id: v.string() })),
  /** Start renewal by this date (the due date minus the renewal lead time) … */
  startBy: v.string(),
  /** … to be covered before this one: the credential's or permit's last valid day. */
  validThrough: v.string(),
  /** The last reminder step sent in this cycle; null before the first. */
  lastStep: v.nullable(StepSchema),
  /** The next step (person → manager → owner) and when it is due; null once the owner was told. */
  nextStep: v.nullable(StepSchema),
  nextReminderAt: v.nullable(v.string()),
});
