/**
 * Predictive renewal reminders (issue 18, docs/notifications.md "Renewal reminders"): when a
 * reminder is due, who it escalates to, and what it says. Pure: the tenant object keeps the
 * state (durable-objects/renewal-reminders.ts) and raises the events through the pipeline.
 *
 * A credential or permit found current has `validThrough` (E, its last valid day) and
 * `startBy` (D = E − the renewal lead time of the datasets). Steps, one `renewal.reminder`
 * event each, at REMINDER_HOUR_UTC:
 *
 * 1. `person`  — REMINDER_DAYS_BEFORE_START days before D: "start renewal by D to be covered
 *    before E", to the person the credential belongs to (a staff member whose id is a Prep
 *    user id); a permit, or a credential of someone who is not a user, goes to the location's
 *    managers, else the owners.
 * 2. `manager` — the day after D, if the credential was not updated: to the location's managers
 *    (none: the owners).
 * 3. `owner`   — ESCALATION_INTERVAL_DAYS later: to the tenant's owners.
 *
 * A step is never due sooner than ESCALATION_INTERVAL_DAYS after the previous one was sent
 * (a reminder found late still escalates one step per interval). A new `validThrough` (the
 * credential or permit was renewed) ends the cycle at once: queued reminders are canceled and
 * the new expiry starts a new cycle.
 */

export const REMINDER_DAYS_BEFORE_START = 14;
export const ESCALATION_INTERVAL_DAYS = 7;
/** 15:00 UTC: morning across the continental US (07:00 Pacific, 10:00 Eastern). */
export const REMINDER_HOUR_UTC = 15;

export const REMINDER_STEPS = ["person", "manager", "owner"] as const;
export type ReminderStep = (typeof REMINDER_STEPS)[number];

const DAY_MS = 86_400_000;

/** Midnight UTC of a `YYYY-MM-DD` date, in ms. */
export const dayMs = (date: string): number => Date.parse(`${date}T00:00:00Z`);

/**
 * When step `step` (1–3) is due, given the reminder's start-by date and when the previous step
 * was sent (null for the first step); null after the last step.
 */
export function reminderDueAt(step: number, startBy: string, previousSentMs: number | null): number | null {
  const d = dayMs(startBy) + REMINDER_HOUR_UTC * 3_600_000;
  const planned =
    step === 1
      ? d - REMINDER_DAYS_BEFORE_START * DAY_MS
      : step === 2
        ? d + DAY_MS
        : step === 3
          ? d + (1 + ESCALATION_INTERVAL_DAYS) * DAY_MS
          : null;
  if (planned === null) return null;
  return previousSentMs === null
    ? planned
    : Math.max(planned, previousSentMs + ESCALATION_INTERVAL_DAYS * DAY_MS);
}

/** A credential or permit whose renewal is being tracked. */
export interface RenewalFacts {
  facilityId: string;
  facilityName: string;
  ruleId: string;
  title: string;
  citation: string;
  subject: { kind: string; id: string } | null;
  /** The staff member the credential belongs to, if known (their id; a Prep user id when they are a user). */
  holder: string | null;
  /** Start renewal by this date (D) … */
  startBy: string;
  /** … to be covered before this one (E, the last valid day). */
  validThrough: string;
}

const WHO: Record<ReminderStep, string> = {
  person: "",
  manager: " — escalated to the location's manager",
  owner: " — escalated to the owner",
};

/** The step's one-line summary (email subject, SMS text). */
export function reminderSummary(facts: RenewalFacts, step: ReminderStep): string {
  const what = `${facts.title}${facts.subject && facts.subject.kind !== "facility" ? ` (${facts.subject.id})` : ""} at ${facts.facilityName}`;
  return step === "person"
    ? `Start renewal by ${facts.startBy} to be covered before ${facts.validThrough}: ${what}`
    : `Renewal not started: ${what} should have been started by ${facts.startBy} to be covered before ${facts.validThrough}${WHO[step]}`;
}

/** The event's `data` (the webhook body's), with `findings` for the email's finding lines. */
export function reminderData(facts: RenewalFacts, step: ReminderStep): Record<string, unknown> {
  return {
    facilityId: facts.facilityId,
    ruleId: facts.ruleId,
    citation: facts.citation,
    title: facts.title,
    subject: facts.subject,
    startBy: facts.startBy,
    validThrough: facts.validThrough,
    step,
    stepNumber: REMINDER_STEPS.indexOf(step) + 1,
    findings: [
      {
        ruleId: facts.ruleId,
        citation: facts.citation,
        title: facts.title,
        subject: facts.subject,
        previousStatus: null,
        status: `renew: start by ${facts.startBy}`,
        dueBy: facts.validThrough,
      },
    ],
  };
}
