/**
 * Renewal reminders, object side (notifications/reminders.ts has the schedule and wording,
 * docs/notifications.md "Renewal reminders" the behaviour). One row per credential or permit
 * found current that has a start-by date (a finding with `validThrough` and `startBy`), keyed
 * by facility and finding (rule + subject), with the step reached and when the next is due.
 *
 * `sync` runs in the transaction that stores a facility's new verdict, so a renewed credential
 * (a new `validThrough`) resets its row — and cancels its queued reminders — in the same commit
 * that records the renewal: no reminder of the old cycle can be sent after it. A row whose
 * finding no longer has a current credential (removed, expired: the deadline events take over)
 * is dropped likewise.
 */
import type { FacilityInput, Verdict } from "../compliance";
import type { RenewalReminder } from "../notifications/contract";
import {
  REMINDER_STEPS,
  type ReminderStep,
  type RenewalFacts,
  reminderDueAt,
} from "../notifications/reminders";

type Row = {
  facility_id: string;
  finding_key: string;
  facility_name: string;
  rule_id: string;
  title: string;
  citation: string;
  subject: string | null;
  holder: string | null;
  start_by: string;
  valid_through: string;
  step: number;
  last_sent_ms: number | null;
  next_due_ms: number | null;
};

/** A row that is due: its facts, the step to send and the event key making it once-only. */
export interface DueReminder {
  facts: RenewalFacts;
  step: ReminderStep;
  stepNumber: number;
  findingKey: string;
  /** `(renewal.reminder, key)` is stored once by the notification pipeline. */
  key: string;
}

const subjectKey = (subject: Verdict["findings"][number]["subject"]) =>
  subject ? `${subject.kind}:${subject.id}` : "";

/**
 * The staff member a finding's credential belongs to: the subject for per-person rules; for a
 * facility-level holder rule, the listed staff member holding a credential that expires that
 * very day (null when none matches, e.g. an expiry derived from the issue date).
 */
function holderOf(finding: Verdict["findings"][number], facility: FacilityInput): string | null {
  if (finding.subject?.kind === "staff") return finding.subject.id;
  if (finding.subject?.kind !== "facility") return null;
  const match = (facility.staff ?? []).find((s) =>
    (s.credentials ?? []).some((c) => c.expiresAt === finding.validThrough),
  );
  return match?.id ?? null;
}

function factsOf(row: Row): RenewalFacts {
  return {
    facilityId: row.facility_id,
    facilityName: row.facility_name,
    ruleId: row.rule_id,
    title: row.title,
    citation: row.citation,
    subject: row.subject ? (JSON.parse(row.subject) as RenewalFacts["subject"]) : null,
    holder: row.holder,
    startBy: row.start_by,
    validThrough: row.valid_through,
  };
}

/** The event-key prefix of one cycle (one row, one validThrough). */
const cycleKey = (facilityId: string, findingKey: string, validThrough: string) =>
  `${facilityId}|${findingKey}|${validThrough}`;

export class RenewalReminderStore {
  constructor(
    private readonly sql: SqlStorage,
    /** Cancels the queued deliveries of a finished cycle (NotificationStore.cancelPendingEvents). */
    private readonly cancelQueued: (keyPrefix: string) => void,
  ) {}

  /** Brings the facility's rows in line with its new verdict. Call inside the verdict's transaction. */
  sync(facilityId: string, facility: FacilityInput, verdict: Verdict): void {
    const existing = new Map(
      this.sql
        .exec<Row>("SELECT * FROM renewal_reminders WHERE facility_id = ?", facilityId)
        .toArray()
        .map((row) => [row.finding_key, row]),
    );
    for (const finding of verdict.findings) {
      if (finding.status !== "pass" && finding.status !== "warn") continue;
      if (!finding.validThrough || !finding.startBy) continue;
      const key = `${finding.ruleId}|${subjectKey(finding.subject)}`;
      const old = existing.get(key);
      existing.delete(key);
      const holder = holderOf(finding, facility);
      const renewed = old !== undefined && old.valid_through !== finding.validThrough;
      if (renewed) this.cancelQueued(cycleKey(facilityId, key, old.valid_through));
      const fresh = old === undefined || renewed;
      const step = fresh ? 0 : old.step;
      const lastSent = fresh ? null : old.last_sent_ms;
      // A changed lead time moves the next step (never one already sent).
      const nextDue = reminderDueAt(step + 1, finding.startBy, lastSent);
      this.sql.exec(
        `INSERT INTO renewal_reminders (facility_id, finding_key, facility_name, rule_id, title, citation,
           subject, holder, start_by, valid_through, step, last_sent_ms, next_due_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (facility_id, finding_key) DO UPDATE SET facility_name = excluded.facility_name,
           rule_id = excluded.rule_id, title = excluded.title, citation = excluded.citation,
           subject = excluded.subject, holder = excluded.holder, start_by = excluded.start_by,
           valid_through = excluded.valid_through, step = excluded.step,
           last_sent_ms = excluded.last_sent_ms, next_due_ms = excluded.next_due_ms`,
        facilityId,
        key,
        facility.name,
        finding.ruleId,
        finding.title,
        finding.citation,
        finding.subject ? JSON.stringify(finding.subject) : null,
        holder,
        finding.startBy,
        finding.validThrough,
        step,
        lastSent,
        nextDue,
      );
    }
    for (const gone of existing.values()) this.drop(gone);
  }

  /** Forgets a facility's rows (the facility was removed) and cancels their queued reminders. */
  remove(facilityId: string): void {
    for (const row of this.sql
      .exec<Row>("SELECT * FROM renewal_reminders WHERE facility_id = ?", facilityId)
      .toArray())
      this.drop(row);
  }

  private drop(row: Row): void {
    this.cancelQueued(cycleKey(row.facility_id, row.finding_key, row.valid_through));
    this.sql.exec(
      "DELETE FROM renewal_reminders WHERE facility_id = ? AND finding_key = ?",
      row.facility_id,
      row.finding_key,
    );
  }

  /** When the next step of any row is due, or null. */
  nextDue(): number | null {
    return this.sql
      .exec<{ due: number | null }>("SELECT min(next_due_ms) AS due FROM renewal_reminders")
      .one().due;
  }

  /** Rows whose next step is due by `atMs`, earliest first. */
  due(atMs: number, limit = 50): DueReminder[] {
    return this.sql
      .exec<Row>(
        `SELECT * FROM renewal_reminders WHERE next_due_ms IS NOT NULL AND next_due_ms <= ?
         ORDER BY next_due_ms, facility_id, finding_key LIMIT ?`,
        atMs,
        limit,
      )
      .toArray()
      .map((row) => {
        const stepNumber = row.step + 1;
        return {
          facts: factsOf(row),
          step: REMINDER_STEPS[stepNumber - 1] as ReminderStep,
          stepNumber,
          findingKey: row.finding_key,
          key: `${cycleKey(row.facility_id, row.finding_key, row.valid_through)}|${stepNumber}`,
        };
      });
  }

  /**
   * Records that `due`'s step was sent at `atMs` (in the transaction that raised its event):
   * only if the row is still at that step of that cycle, so a retry never advances it twice.
   */
  advance(due: DueReminder, atMs: number): void {
    this.sql.exec(
      `UPDATE renewal_reminders SET step = ?, last_sent_ms = ?, next_due_ms = ?
       WHERE facility_id = ? AND finding_key = ? AND valid_through = ? AND step = ?`,
      due.stepNumber,
      atMs,
      reminderDueAt(due.stepNumber + 1, due.facts.startBy, atMs),
      due.facts.facilityId,
      due.findingKey,
      due.facts.validThrough,
      due.stepNumber - 1,
    );
  }

  /** Every tracked renewal, soonest start-by first; `facilityIds` limits it (a manager's locations). */
  list(facilityIds?: readonly string[]): RenewalReminder[] {
    return this.sql
      .exec<Row>("SELECT * FROM renewal_reminders ORDER BY start_by, facility_id, finding_key")
      .toArray()
      .filter((row) => !facilityIds || facilityIds.includes(row.facility_id))
      .map((row) => {
        const { holder: _holder, ...facts } = factsOf(row);
        return {
          ...facts,
          lastStep: row.step === 0 ? null : (REMINDER_STEPS[row.step - 1] as ReminderStep),
          nextStep: row.next_due_ms === null ? null : (REMINDER_STEPS[row.step] as ReminderStep),
          nextReminderAt: row.next_due_ms === null ? null : new Date(row.next_due_ms).toISOString(),
        };
      });
  }
}
