/**
 * The object's one alarm, multiplexed: each kind of deferred work is a job row with its due
 * time in SQLite, and the alarm is always set to the earliest. A failed job is retried with
 * exponential backoff by moving its due time; the alarm itself never throws.
 */
/**
 * - flush_outbox: deliver the ledger's pending checks to Postgres
 * - reevaluate: the earliest facility deadline
 * - sweep_streams: while alert sockets are open, the next expiry check and re-check of
 *   their principals (live-alerts.ts): at most a minute away, or at the earliest session expiry
 * - report_usage: with Stripe configured, a minute after the hour of a check closes: its
 *   counters to Stripe's Meter (usage-reports.ts)
 * - deliver_notifications: the earliest due notification delivery (notifications.ts)
 * - run_export: while evidence exports are queued, the next slice of work (evidence-export.ts)
 * - renewal_reminders: the earliest due renewal reminder step, while anyone subscribes to
 *   `renewal.reminder` (renewal-reminders.ts)
 */
export type JobName =
  | "flush_outbox"
  | "reevaluate"
  | "sweep_streams"
  | "report_usage"
  // Notifications (ADR 0015).
  | "deliver_notifications"
  // Evidence exports (ADR 0016).
  | "run_export"
  // Renewal reminders (issue 18).
  | "renewal_reminders";

export const BACKOFF_BASE_MS = 1_000;
export const BACKOFF_MAX_MS = 5 * 60_000;

export class Jobs {
  /**
   * For each job `ensure` scheduled, a time it is known to be due by. Every check calls
   * `ensure("flush_outbox")`; while a flush is already pending this answers without touching
   * storage (three statements and a row written per check otherwise). Any other write to
   * the job forgets it. `ensure` is always the last write of its transaction, so no rollback
   * can leave this ahead of storage.
   */
  private readonly dueBy = new Map<JobName, number>();

  constructor(
    private readonly sql: SqlStorage,
    private readonly storage: DurableObjectStorage,
  ) {}

  /** Schedules `name` at `dueMs` unless it is already due earlier. True when that moved the earliest job. */
  ensure(name: JobName, dueMs: number): boolean {
    const knownDue = this.dueBy.get(name);
    if (knownDue !== undefined && knownDue <= dueMs) return false;
    const before = this.earliest();
    this.sql.exec(
      `INSERT INTO jobs (name, due_ms) VALUES (?, ?)
       ON CONFLICT (name) DO UPDATE SET due_ms = min(due_ms, excluded.due_ms)`,
      name,
      dueMs,
    );
    this.dueBy.set(name, dueMs);
    return this.earliest() !== before;
  }

  /** Sets (or, with null, removes) the due time of a job whose schedule is derived elsewhere. */
  set(name: JobName, dueMs: number | null): void {
    this.dueBy.delete(name);
    if (dueMs === null) this.complete(name);
    else
      this.sql.exec(
        "INSERT INTO jobs (name, due_ms) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET due_ms = excluded.due_ms, attempts = 0",
        name,
        dueMs,
      );
  }

  complete(name: JobName): void {
    this.dueBy.delete(name);
    this.sql.exec("DELETE FROM jobs WHERE name = ?", name);
  }

  /** Moves a failed job to now + base·2^attempts (capped); returns the delay. */
  retryLater(name: JobName, nowMs: number): number {
    this.dueBy.delete(name);
    const attempts =
      this.sql.exec<{ attempts: number }>("SELECT attempts FROM jobs WHERE name = ?", name).toArray()[0]
        ?.attempts ?? 0;
    const delay = Math.min(BACKOFF_BASE_MS * 2 ** attempts, BACKOFF_MAX_MS);
    this.sql.exec(
      `INSERT INTO jobs (name, due_ms, attempts) VALUES (?, ?, 1)
       ON CONFLICT (name) DO UPDATE SET due_ms = excluded.due_ms, attempts = attempts + 1`,
      name,
      nowMs + delay,
    );
    return delay;
  }

  isDue(name: JobName, nowMs: number): boolean {
    return (
      this.sql.exec("SELECT 1 FROM jobs WHERE name = ? AND due_ms <= ?", name, nowMs).toArray().length > 0
    );
  }

  earliest(): number | null {
    return this.sql.exec<{ due: number | null }>("SELECT min(due_ms) AS due FROM jobs").one().due;
  }

  /** Points the alarm at the earliest job (or clears it). */
  async arm(): Promise<void> {
    const due = this.earliest();
    if (due === null) await this.storage.deleteAlarm();
    else await this.storage.setAlarm(due);
  }
}
