/**
 * The check ledger and usage meters: records each billable check exactly once, answers
 * idempotent retries with the first check, and counts checks per hour and state.
 *
 * Everything here is synchronous SQLite, so a caller can wrap a whole recording in one
 * `transactionSync`: the ledger row, the idempotency key, the counter and the outbox entry
 * commit together or not at all.
 */
import type { CheckRecord, RecordCheckInput, RecordCheckOutcome, UsageQuery, UsageRow } from "./contract";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How long an Idempotency-Key is remembered (the API guide promises 24 hours). */
export const IDEMPOTENCY_WINDOW_MS = DAY_MS;
/** How long a delivered check stays readable here; Postgres keeps the history. */
export const LEDGER_RETENTION_MS = 7 * DAY_MS;

export class Ledger {
  private tenantId: string | undefined;

  constructor(private readonly sql: SqlStorage) {}

  get(id: string): CheckRecord | null {
    const row = this.sql.exec<{ record: string }>("SELECT record FROM checks WHERE id = ?", id).toArray()[0];
    return row ? (JSON.parse(row.record) as CheckRecord) : null;
  }

  /** Check counts in [fromMs, toMs) per bucket and state. Both bounds are whole hours. */
  usage({ fromMs, toMs, granularity }: UsageQuery): UsageRow[] {
    const bucketMs = granularity === "hour" ? HOUR_MS : DAY_MS;
    return this.sql
      .exec<{ bucket_ms: number; state: string; count: number }>(
        `SELECT hour_ms - (hour_ms % ?) AS bucket_ms, state, sum(count) AS count FROM usage_hourly
         WHERE hour_ms >= ? AND hour_ms < ? GROUP BY bucket_ms, state ORDER BY bucket_ms, state`,
        bucketMs,
        fromMs,
        toMs,
      )
      .toArray()
      .map((row) => ({ bucketMs: row.bucket_ms, state: row.state, count: row.count }));
  }

  /** Forgets expired idempotency keys and delivered checks past retention. Counters stay. */
  prune(nowMs: number): void {
    this.sql.exec("DELETE FROM idempotency_keys WHERE created_at < ?", nowMs - IDEMPOTENCY_WINDOW_MS);
    this.sql.exec(
      "DELETE FROM checks WHERE recorded_at < ? AND id NOT IN (SELECT check_id FROM outbox)",
      nowMs - LEDGER_RETENTION_MS,
    );
  }

  /** Records `input.check` unless its idempotency key or its id was seen before. */
  record(input: RecordCheckInput, nowMs: number): RecordCheckOutcome {
    const { check, idempotencyKey } = input;
    const requestHash = input.requestHash ?? null;
    this.claimTenant(check.tenantId);
    if (idempotencyKey !== undefined) {
      const prior = this.sql
        .exec<{ request_hash: string | null; check_id: string }>(
          "SELECT request_hash, check_id FROM idempotency_keys WHERE key = ?",
          idempotencyKey,
        )
        .toArray()[0];
      if (prior) {
        if (prior.request_hash !== requestHash) return { kind: "idempotency_conflict" };
        return { kind: "replayed", record: this.mustGet(prior.check_id) };
      }
    }
    // The check id is a key too: an RPC the Worker retried after a lost reply counts once.
    const inserted = this.sql.exec(
      "INSERT INTO checks (id, recorded_at, idempotency_key, record) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO NOTHING",
      check.id,
      nowMs,
      idempotencyKey ?? null,
      check.json,
    ).rowsWritten;
    if (inserted === 0) return { kind: "replayed", record: this.mustGet(check.id) };
    if (idempotencyKey !== undefined) {
      this.sql.exec(
        "INSERT INTO idempotency_keys (key, request_hash, check_id, created_at) VALUES (?, ?, ?, ?)",
        idempotencyKey,
        requestHash,
        check.id,
        nowMs,
      );
    }
    this.sql.exec(
      `INSERT INTO usage_hourly (hour_ms, state, count) VALUES (?, ?, 1)
       ON CONFLICT (hour_ms, state) DO UPDATE SET count = count + 1`,
      nowMs - (nowMs % HOUR_MS),
      check.state,
    );
    this.sql.exec("INSERT INTO outbox (check_id, enqueued_at) VALUES (?, ?)", check.id, nowMs);
    return { kind: "recorded" };
  }

  private mustGet(id: string): CheckRecord {
    const found = this.get(id);
    // Checks outlive their idempotency keys (LEDGER_RETENTION_MS > IDEMPOTENCY_WINDOW_MS).
    if (!found) throw new Error(`ledger is missing check ${id} that an idempotency key points at`);
    return found;
  }

  /** The first check binds this object to its tenant; a check of another tenant is a bug. */
  private claimTenant(tenantId: string): void {
    if (this.tenantId === undefined) {
      this.sql.exec(
        "INSERT INTO meta (key, value) VALUES ('tenant_id', ?) ON CONFLICT (key) DO NOTHING",
        tenantId,
      );
      this.tenantId = this.sql
        .exec<{ value: string }>("SELECT value FROM meta WHERE key = 'tenant_id'")
        .one().value;
    }
    if (this.tenantId !== tenantId)
      throw new Error(`this object meters tenant ${this.tenantId}, not ${tenantId}`);
  }
}
