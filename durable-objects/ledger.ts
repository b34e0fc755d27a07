/**
 * The check ledger and usage meters: records each billable check exactly once, answers
 * idempotent retries with the first check, and counts checks per hour and state.
 *
 * Everything here is synchronous SQLite, so a caller can wrap a whole recording in one
 * `transactionSync`: the ledger row, the idempotency key, the counter and the outbox entry
 * commit together or not at all.
 *
 * Records are stored compressed (docs/tenant-object.md, "Bounded storage"): the record's JSON
 * deflated with a preset dictionary made of recent records, so a check costs a few hundred
 * bytes instead of ~10 kB, and the exact JSON text comes back on every read.
 */
import { Buffer } from "node:buffer";
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { CheckRecord, RecordCheckInput, RecordCheckOutcome, UsageQuery, UsageRow } from "./contract";

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
/** The largest record BLOB kept in its row; a larger one is split in parts of this size (rows are limited to 2 MB). */
export const RECORD_PART_BYTES = 1_000_000;
/** Row and index overhead counted per check besides its record (an estimate; the migration uses the same). */
const ROW_OVERHEAD_BYTES = 48;
/** A preset dictionary is the last 32 KiB of recent records' JSON: deflate's whole window. */
const DICTIONARY_BYTES = 32 * 1024;
/** A record packed larger than this share of its JSON is news to the dictionary… */
const DICTIONARY_REFRESH_RATIO = 0.1;
/** …and worth a new dictionary when it packs to at least this many bytes… */
const DICTIONARY_REFRESH_MIN_BYTES = 512;
/** …and the current one has packed this many records (a new dictionary costs ~8 kB). */
const DICTIONARY_MIN_USES = 100;
/** Dictionaries kept in memory for reads of older records. */
const DICTIONARY_CACHE = 8;
/** Rows deleted per statement when pruning, and statements per prune. */
const PRUNE_CHUNK = 1_000;
const PRUNE_CHUNKS = 50;

/** The bytes of `view`, as SQLite bindings take them. */
function arrayBuffer(view: Uint8Array): ArrayBuffer {
  return view.byteOffset === 0 && view.byteLength === view.buffer.byteLength
    ? (view.buffer as ArrayBuffer)
    : (view.buffer.slice(view.byteOffset, view.byteOffset + view.byteLength) as ArrayBuffer);
}

/** A record as stored: `record` is JSON text (older rows) or deflated bytes (see storage-schema.ts). */
export type StoredRecordRow = {
  record: string | ArrayBuffer;
  dictionary_id: number | null;
  parts: number | null;
};

/** A check's JSON, compressed for the ledger. */
export interface PackedRecord {
  bytes: Uint8Array;
  dictionaryId: number | null;
}

/** A stored record's JSON text and its UTF-8 size. */
export interface RecordText {
  json: string;
  bytes: number;
}

/** Writes a BLOB as its row's `record` or, when too large for a row, as parts of `owner`; returns what the row holds. */
export function writeBody(
  sql: SqlStorage,
  owner: string,
  bytes: Uint8Array,
): { record: ArrayBuffer; parts: number | null; write: () => void } {
  if (bytes.byteLength <= RECORD_PART_BYTES)
    return { record: arrayBuffer(bytes), parts: null, write: () => {} };
  const parts = Math.ceil(bytes.byteLength / RECORD_PART_BYTES);
  return {
    record: new ArrayBuffer(0),
    parts,
    write: () => {
      for (let part = 0; part < parts; part++)
        sql.exec(
          `INSERT INTO record_parts (owner, part, bytes) VALUES (?, ?, ?)
           ON CONFLICT (owner, part) DO UPDATE SET bytes = excluded.bytes`,
          owner,
          part,
          arrayBuffer(bytes.subarray(part * RECORD_PART_BYTES, (part + 1) * RECORD_PART_BYTES)),
        );
    },
  };
}

/** The stored BLOB of a row (gathering its parts), or its legacy JSON text. */
export function readBody(sql: SqlStorage, owner: string, row: StoredRecordRow): Uint8Array | string {
  if (row.parts === null) return typeof row.record === "string" ? row.record : new Uint8Array(row.record);
  const parts = sql
    .exec<{ bytes: ArrayBuffer }>("SELECT bytes FROM record_parts WHERE owner = ? ORDER BY part", owner)
    .toArray();
  if (parts.length !== row.parts)
    throw new Error(`record of ${owner} has ${parts.length} of ${row.parts} parts`);
  return Buffer.concat(parts.map((part) => new Uint8Array(part.bytes)));
}

export function deleteParts(sql: SqlStorage, owner: string): void {
  sql.exec("DELETE FROM record_parts WHERE owner = ?", owner);
}

/** Deflates JSON with no dictionary (dead letters and requeued checks: readable on their own). */
export function packPlain(json: string): Uint8Array {
  return deflateRawSync(Buffer.from(json, "utf8"));
}

/** The JSON of a body packed with `dictionary` (or none), or legacy text as is. */
export function unpack(body: Uint8Array | string, dictionary: Uint8Array | null): RecordText {
  if (typeof body === "string") return { json: body, bytes: Buffer.byteLength(body, "utf8") };
  const raw = dictionary ? inflateRawSync(body, { dictionary }) : inflateRawSync(body);
  return { json: raw.toString("utf8"), bytes: raw.byteLength };
}

const rowSize = (id: string, idempotencyKey: string | null, bodyBytes: number) =>
  bodyBytes + 2 * id.length + (idempotencyKey?.length ?? 0) + ROW_OVERHEAD_BYTES;
/** checks.size, or the same estimate for rows from before it existed. */
const ROW_SIZE_SQL =
  "coalesce(size, octet_length(record) + 2 * length(id) + coalesce(length(idempotency_key), 0) + 48)";

interface Dictionary {
  id: number;
  bytes: Uint8Array;
  /** Records packed with it by this instance. */
  uses: number;
}

export class Ledger {
  private tenantId: string | undefined;
  /** The dictionary new records are packed with; undefined = not loaded yet, null = none stored yet. */
  private current: Dictionary | null | undefined;
  private readonly dictionaries = new Map<number, Uint8Array>();
  /** When "over budget, nothing prunable" was last logged (once an hour at most). */
  private overBudgetLoggedMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly sql: SqlStorage) {}

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

  /** The JSON of a `checks` row. */
  decode(id: string, row: StoredRecordRow): RecordText {
    const body = readBody(this.sql, id, row);
    return unpack(body, row.dictionary_id === null ? null : this.dictionary(row.dictionary_id));
  }

  /**
   * Compresses a check's JSON with the current dictionary, first storing a new dictionary when
   * there is none or the record is news to it. Call it outside `transactionSync`: a dictionary
   * this stores must outlive a rolled-back recording, as the instance remembers it.
   */
  pack(json: string): PackedRecord {
    const raw = Buffer.from(json, "utf8");
    let dictionary = this.currentDictionary() ?? this.newDictionary(raw, null);
    let bytes: Uint8Array = deflateRawSync(raw, { dictionary: dictionary.bytes });
    dictionary.uses++;
    if (
      bytes.byteLength > raw.byteLength * DICTIONARY_REFRESH_RATIO &&
      bytes.byteLength >= DICTIONARY_REFRESH_MIN_BYTES &&
      dictionary.uses >= DICTIONARY_MIN_USES
    ) {
      dictionary = this.newDictionary(raw, dictionary);
      bytes = deflateRawSync(raw, { dictionary: dictionary.bytes });
    }
    return { bytes, dictionaryId: dictionary.id };
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
    // Dictionaries older than the oldest one a row uses; never the current one.
    this.sql.exec(
      `DELETE FROM ledger_dictionaries WHERE id < coalesce(
         (SELECT min(dictionary_id) FROM checks WHERE dictionary_id IS NOT NULL),
         (SELECT max(id) FROM ledger_dictionaries))`,
    );
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
      if (row.parts !== null) deleteParts(this.sql, row.id);
    }
    if (bytes > 0) this.addBytes(-bytes);
    return deleted.length;
  }

  /**
   * Records `input.check` unless its idempotency key or its id was seen before. `packed` is
   * `pack(input.check.json)`, made before the transaction.
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
    this.sql.exec(
      `INSERT INTO usage_hourly (hour_ms, state, count) VALUES (?, ?, 1)
       ON CONFLICT (hour_ms, state) DO UPDATE SET count = count + 1`,
      nowMs - (nowMs % HOUR_MS),
      check.state,
    );
    this.sql.exec("INSERT INTO outbox (check_id, enqueued_at) VALUES (?, ?)", check.id, nowMs);
    return { kind: "recorded" };
  }

  /**
   * Puts a check back in the ledger unless it is there (a requeued dead letter that retention
   * had pruned), packed without a dictionary so no transaction here stores one.
   */
  restore(id: string, recordedAtMs: number, idempotencyKey: string | null, json: string): void {
    this.insert(id, recordedAtMs, idempotencyKey, { bytes: packPlain(json), dictionaryId: null });
  }

  /** Inserts a ledger row (and its parts) unless the id is there; false when it was. */
  private insert(id: string, nowMs: number, idempotencyKey: string | null, packed: PackedRecord): boolean {
    const body = writeBody(this.sql, id, packed.bytes);
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
    if (inserted === 0) return false;
    // Parts only once the row is ours: a replayed id must not overwrite the stored record's.
    body.write();
    this.addBytes(size);
    return true;
  }

  private addBytes(delta: number): void {
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

  private currentDictionary(): Dictionary | null {
    if (this.current === undefined) {
      const row = this.sql
        .exec<{ id: number; bytes: ArrayBuffer }>(
          "SELECT id, bytes FROM ledger_dictionaries ORDER BY id DESC LIMIT 1",
        )
        .toArray()[0];
      this.current = row ? { id: row.id, bytes: inflateRawSync(new Uint8Array(row.bytes)), uses: 0 } : null;
    }
    return this.current;
  }

  /** Stores the last DICTIONARY_BYTES of `previous` followed by `raw` as the new current dictionary. */
  private newDictionary(raw: Uint8Array, previous: Dictionary | null): Dictionary {
    const joined = previous ? Buffer.concat([previous.bytes, raw]) : raw;
    const bytes = Uint8Array.prototype.slice.call(joined, Math.max(0, joined.byteLength - DICTIONARY_BYTES));
    const id = this.sql
      .exec<{ id: number }>(
        "INSERT INTO ledger_dictionaries (bytes, created_ms) VALUES (?, ?) RETURNING id",
        arrayBuffer(deflateRawSync(bytes)),
        Date.now(),
      )
      .one().id;
    this.current = { id, bytes, uses: 0 };
    return this.current;
  }

  /** A dictionary by id, for reading a record packed with it. */
  private dictionary(id: number): Uint8Array {
    if (this.current?.id === id) return this.current.bytes;
    let bytes = this.dictionaries.get(id);
    if (!bytes) {
      const row = this.sql
        .exec<{ bytes: ArrayBuffer }>("SELECT bytes FROM ledger_dictionaries WHERE id = ?", id)
        .toArray()[0];
      if (!row) throw new Error(`ledger dictionary ${id} is missing`);
      bytes = inflateRawSync(new Uint8Array(row.bytes));
      if (this.dictionaries.size >= DICTIONARY_CACHE)
        this.dictionaries.delete(this.dictionaries.keys().next().value as number);
      this.dictionaries.set(id, bytes);
    }
    return bytes;
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
