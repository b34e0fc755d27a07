/**
 * The check ledger and usage meters: records each billable check exactly once, answers
 * idempotent retries with the first check, and counts checks per hour and state.
 *
 * Everything here is synchronous SQLite, so a caller can wrap a whole recording in one
 * `transactionSync`: the ledger row, the idempotency key, the counter and the outbox entry
 * commit together or not at all.
 *
 * Records are kept through record-store.ts: compressed, and split when large
 * (docs/tenant-object.md, "Bounded storage"). This file decides which checks are kept and
 * for how long; that one decides how a record's bytes are stored.
 */
import type { CheckRecord, RecordCheckInput, RecordCheckOutcome, UsageQuery, UsageRow } from "./contract";
import type { PackedRecord, RecordStore, RecordText, StoredRecordRow } from "./record-store";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** How long an Idempotency-Key is remembered (the API guide promises 24 hours). */
export const IDEMPOTENCY_WINDOW_MS = DAY_MS;
/** How long a delivered check stays readable here; Postgres keeps the history. */
export const LEDGER_RETENTION_MS = 7 * DAY_MS;
/**
 * The byte budget of delivered checks past the idempotency window: beyond it the oldest are
 * pruned before LEDGER_RETENTION_MS. Checks still in the outbox or within the idempotency
 * window are never pruned (delivery and exact replay need them).
 */
export const LEDGER_BUDGET_BYTES = 512 * 1024 * 1024;
/** Row and index overhead counted per check besides its record (an estimate; the migration uses the same). */
const ROW_OVERHEAD_BYTES = 48;
/**
 * Bytes of recently recorded checks' JSON kept in memory for the outbox's next flush (about a
 * second of checks at 600 a second); beyond it the oldest are read back from storage instead.
 */
const RECENT_BYTES = 8 * 1024 * 1024;
/** Rows deleted per statement when pruning, and statements per prune. */
const PRUNE_CHUNK = 1_000;
const PRUNE_CHUNKS = 50;

const rowSize = (id: string, idempotencyKey: string | null, bodyBytes: number) =>
  bodyBytes + 2 * id.length + (idempotencyKey?.length ?? 0) + ROW_OVERHEAD_BYTES;
/** checks.size, or the same estimate for rows from before it existed. */
const ROW_SIZE_SQL =
  "coalesce(size, octet_length(record) + 2 * length(id) + coalesce(length(idempotency_key), 0) + 48)";

export class Ledger {
  private tenantId: string | undefined;
  /** When "over budget, nothing prunable" was last logged (once an hour at most). */
  private overBudgetLoggedMs = Number.NEGATIVE_INFINITY;
  /**
   * Checks this instance recorded and the outbox has not delivered, as the Worker sent them:
   * the flush, a second later, would otherwise inflate every record it delivers (~30 µs each
   * on the object's thread). Oldest first; a restart or eviction only means reading storage.
   */
  private readonly recent = new Map<string, Uint8Array>();
  private recentBytes = 0;

  constructor(
    private readonly sql: SqlStorage,
    private readonly records: RecordStore,
  ) {}

  get(id: string): CheckRecord | null {
    const text = this.text(id);
    return text ? (JSON.parse(text.json) as CheckRecord) : null;
  }

  /** A stored check's JSON exactly as the Worker serialised it, or null. */
  text(id: string): RecordText | null {
    const row = this.sql
      .exec<StoredRecordRow>("SELECT record, dictionary_id, parts FROM checks WHERE id = ?", id)
      .toArray()[0];
    return row ? this.decode(id, row) : null;
  }

  /** The JSON of a `checks` row (its parts, if any, are owned by its check id). */
  decode(id: string, row: StoredRecordRow): RecordText {
    return this.records.read(id, row);
  }

  /** The same JSON as UTF-8 bytes (the outbox's batches): from memory if recorded lately. */
  decodeBytes(id: string, row: StoredRecordRow): Uint8Array {
    return this.recent.get(id) ?? this.records.readBytes(id, row);
  }

  /** Keeps a check just committed (`utf8`: exactly the stored record's JSON) for the next flush. */
  rememberRecorded(id: string, utf8: Uint8Array): void {
    if (utf8.byteLength > RECENT_BYTES || this.recent.has(id)) return;
    this.recent.set(id, utf8);
    this.recentBytes += utf8.byteLength;
    for (const [oldest, bytes] of this.recent) {
      if (this.recentBytes <= RECENT_BYTES) break;
      this.recent.delete(oldest);
      this.recentBytes -= bytes.byteLength;
    }
  }

  /** Delivered (or dead-lettered) checks leave memory; storage keeps them. */
  forgetRecorded(ids: readonly string[]): void {
    for (const id of ids) {
      const bytes = this.recent.get(id);
      if (bytes === undefined) continue;
      this.recent.delete(id);
      this.recentBytes -= bytes.byteLength;
    }
  }

  /**
   * Compresses a check's JSON for `record` (RecordStore.pack). Call it outside
   * `transactionSync`: it may store a new dictionary, which must outlive a rolled-back
   * recording, as the instance remembers it.
   */
  pack(utf8: Uint8Array): PackedRecord {
    return this.records.pack(utf8);
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

  /** What the ledger's rows cost, by the running total of their sizes. */
  bytes(): number {
    return Number(
      this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'ledger_bytes'").toArray()[0]
        ?.value ?? 0,
    );
  }

  /**
   * Forgets expired idempotency keys, delivered checks past retention and, while the ledger
   * is over LEDGER_BUDGET_BYTES, the oldest delivered checks past the idempotency window;
   * then dictionaries no row needs. Counters stay. Returns the checks pruned.
   */
  prune(nowMs: number, budgetBytes = LEDGER_BUDGET_BYTES): number {
    this.sql.exec("DELETE FROM idempotency_keys WHERE created_at < ?", nowMs - IDEMPOTENCY_WINDOW_MS);
    let pruned = 0;
    for (let chunk = 0; chunk < PRUNE_CHUNKS; chunk++) {
      const overBudget = this.bytes() > budgetBytes;
      const before = nowMs - (overBudget ? IDEMPOTENCY_WINDOW_MS : LEDGER_RETENTION_MS);
      const deleted = this.deleteOldest(before, overBudget ? 100 : PRUNE_CHUNK);
      pruned += deleted;
      if (deleted === 0 && !overBudget) break;
      if (deleted === 0) {
        if (nowMs - this.overBudgetLoggedMs < HOUR_MS) break;
        this.overBudgetLoggedMs = nowMs;
        console.error(
          JSON.stringify({
            level: "error",
            message:
              "ledger: over its byte budget with nothing prunable (outbox backlog or idempotency window)",
            bytes: this.bytes(),
            budgetBytes,
          }),
        );
        break;
      }
    }
    this.records.deleteUnusedDictionaries();
    return pruned;
  }

  /** Deletes up to `limit` of the oldest delivered checks recorded before `beforeMs`; returns how many. */
  private deleteOldest(beforeMs: number, limit: number): number {
    const deleted = this.sql
      .exec<{ id: string; size: number; parts: number | null }>(
        `DELETE FROM checks WHERE id IN (
           SELECT id FROM checks WHERE recorded_at < ? AND id NOT IN (SELECT check_id FROM outbox)
           ORDER BY recorded_at LIMIT ?)
         RETURNING id, ${ROW_SIZE_SQL} AS size, parts`,
        beforeMs,
        limit,
      )
      .toArray();
    let bytes = 0;
    for (const row of deleted) {
      bytes += row.size;
      if (row.parts !== null) this.records.deleteParts(row.id);
    }
    if (bytes > 0) this.addBytes(-bytes);
    return deleted.length;
  }

  /**
   * Records `input.check` unless its idempotency key or its id was seen before. `packed` is
   * `pack(input.check.utf8)`, made before the transaction.
   */
  record(input: RecordCheckInput, nowMs: number, packed: PackedRecord): RecordCheckOutcome {
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
    if (!this.insert(check.id, nowMs, idempotencyKey ?? null, packed))
      return { kind: "replayed", record: this.mustGet(check.id) };
    if (idempotencyKey !== undefined) {
      this.sql.exec(
        "INSERT INTO idempotency_keys (key, request_hash, check_id, created_at) VALUES (?, ?, ?, ?)",
        idempotencyKey,
        requestHash,
        check.id,
        nowMs,
      );
    }
    this.countCheck(check.state, nowMs);
    this.enqueue(check.id, nowMs);
    return { kind: "recorded" };
  }

  // The steps of `record`, each one statement. Public so that bench/object.ts can time them
  // one by one on the real object; nothing else calls them outside `record`.

  /** The hourly meter of `state`, one more check. */
  countCheck(state: string, nowMs: number): void {
    this.sql.exec(
      `INSERT INTO usage_hourly (hour_ms, state, count) VALUES (?, ?, 1)
       ON CONFLICT (hour_ms, state) DO UPDATE SET count = count + 1`,
      nowMs - (nowMs % HOUR_MS),
      state,
    );
  }

  /** The check waits in the outbox for its delivery to Postgres. */
  enqueue(id: string, nowMs: number): void {
    this.sql.exec("INSERT INTO outbox (check_id, enqueued_at) VALUES (?, ?)", id, nowMs);
  }

  /**
   * Puts a check back in the ledger unless it is there (a requeued dead letter that retention
   * had pruned), packed without a dictionary so no transaction here stores one.
   */
  restore(id: string, recordedAtMs: number, idempotencyKey: string | null, json: string): void {
    this.insert(id, recordedAtMs, idempotencyKey, this.records.packPlain(json));
  }

  /** Inserts a ledger row (and its parts) unless the id is there, and counts its bytes; false when it was. */
  private insert(id: string, nowMs: number, idempotencyKey: string | null, packed: PackedRecord): boolean {
    const size = this.insertRow(id, nowMs, idempotencyKey, packed);
    if (size === 0) return false;
    this.addBytes(size);
    return true;
  }

  /** The ledger row and its parts, unless the id is there: the row's counted size, or 0 when it was. */
  insertRow(id: string, nowMs: number, idempotencyKey: string | null, packed: PackedRecord): number {
    const body = this.records.rowBody(id, packed.bytes);
    const size = rowSize(id, idempotencyKey, packed.bytes.byteLength);
    const inserted = this.sql.exec(
      `INSERT INTO checks (id, recorded_at, idempotency_key, record, dictionary_id, parts, size)
       VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
      id,
      nowMs,
      idempotencyKey,
      body.record,
      packed.dictionaryId,
      body.parts,
      size,
    ).rowsWritten;
    if (inserted === 0) return 0;
    // Parts only once the row is ours: a replayed id must not overwrite the stored record's.
    body.writeParts();
    return size;
  }

  /** The running total of the ledger rows' sizes (the storage budget), moved by `delta`. */
  addBytes(delta: number): void {
    this.sql.exec(
      `INSERT INTO meta (key, value) VALUES ('ledger_bytes', ?)
       ON CONFLICT (key) DO UPDATE SET value = CAST(value AS INTEGER) + excluded.value`,
      delta,
    );
  }

  private mustGet(id: string): CheckRecord {
    const found = this.get(id);
    // Checks outlive their idempotency keys (LEDGER_RETENTION_MS > IDEMPOTENCY_WINDOW_MS,
    // and the byte budget never prunes a check inside the idempotency window).
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
