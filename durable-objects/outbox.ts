/**
 * Delivers the ledger's outbox to Postgres `checks`, at least once.
 *
 * A batch is upserted first (ON CONFLICT (id) DO NOTHING) and removed from the outbox only
 * after Postgres committed it. If the object dies in between, the batch is sent again and
 * the upsert ignores what is already there: nothing lost, nothing doubled.
 *
 * A batch Postgres *refuses* (a data error or constraint violation, SQLSTATE class 22/23: the
 * records are bad, and would be refused forever) is split in halves until the refused record
 * is alone; that record goes to `dead_letters` with the reason, and everything else flows on.
 * Any other failure is an *outage* (connection lost, database down): the flush throws, keeps
 * every row, and is retried with backoff. Nothing is ever dead-lettered for an outage.
 */
import { Buffer } from "node:buffer";
import { sql } from "drizzle-orm";
import { type Database, withTenant } from "../db/client";
import type { DeadLetter, DeadLetterPage } from "./contract";
import type { Ledger } from "./ledger";
import type { RecordStore, StoredRecordRow } from "./record-store";

export const OUTBOX_BATCH_SIZE = 200;
/**
 * A batch also stops at this many bytes of JSON (a record larger than that goes alone): one
 * INSERT's parameter, and the Worker's copies of it, stay a few MB whatever the records' size.
 */
export const OUTBOX_BATCH_BYTES = 4 * 1024 * 1024;
/** Batches per alarm run, so one run stays well inside the alarm's wall-time limit. */
export const OUTBOX_BATCHES_PER_RUN = 25;

export interface PendingCheck {
  /** The CheckRecord as the ledger holds it: its JSON text's UTF-8 bytes. */
  utf8: Uint8Array;
  idempotencyKey: string | null;
}

const utf8 = new TextEncoder();
const COMMA = utf8.encode(",");
const CLOSE = utf8.encode("}");

/**
 * `[{"idempotencyKey":…,"record":<record>},…]` as UTF-8, the records' bytes copied once.
 * Exported for bench/object.ts, which prices the framing apart from sending it.
 */
export function jsonArrayOf(pending: readonly PendingCheck[]): Buffer {
  const parts: Uint8Array[] = [utf8.encode("[")];
  pending.forEach(({ utf8: record, idempotencyKey }, index) => {
    if (index > 0) parts.push(COMMA);
    parts.push(utf8.encode(`{"idempotencyKey":${JSON.stringify(idempotencyKey)},"record":`), record, CLOSE);
  });
  parts.push(utf8.encode("]"));
  return Buffer.concat(parts);
}

/** Writes one tenant's checks to their durable home; must be idempotent per check id. */
export type CheckDelivery = (db: Database, tenantId: string, checks: PendingCheck[]) => Promise<void>;

/**
 * One INSERT per batch. The records travel as one JSON array that Postgres unpacks itself:
 * the object never parses a record only to have the driver serialise it again. The array
 * goes as UTF-8 bytes (a bytea parameter, sent in binary), assembled from the records' own
 * bytes: building it as a string and encoding that took ~50 ms of the object's thread per
 * 200 records, checks waiting behind it (docs/performance.md, "The tail").
 */
export const deliverToPostgres: CheckDelivery = (db, tenantId, pending) => {
  const batch = jsonArrayOf(pending);
  // Each check newly stored also queues its product-analytics event, `Check Run`
  // (runtime/analytics-outbox.ts), in the same statement: only checks this statement inserted
  // (RETURNING), so a batch delivered twice queues nothing twice. This is the alarm's flush,
  // never the check's request. Properties are exactly the plan's (docs/tracking-plan.md).
  return withTenant(db, tenantId, async (tx) => {
    await tx.execute(sql`
      WITH stored AS (
        INSERT INTO checks (id, tenant_id, facility_id, idempotency_key, as_of, evaluated_at, status, state, result)
        SELECT record->>'id', record->>'tenantId', record->>'facilityId', "idempotencyKey",
               (record->>'asOf')::date, (record->>'evaluatedAt')::timestamptz,
               record->'result'->>'status', record->>'state', record->'result'
        FROM jsonb_to_recordset(convert_from(${batch}::bytea, 'UTF8')::jsonb) AS pending("idempotencyKey" text, record jsonb)
        ON CONFLICT (id) DO NOTHING
        RETURNING id, tenant_id, facility_id, evaluated_at, status, state, result
      )
      INSERT INTO analytics_outbox (message_id, tenant_id, event, properties, occurred_at)
      SELECT id, tenant_id, 'Check Run',
             jsonb_build_object(
               'state', state, 'status', status,
               'via', CASE WHEN facility_id IS NULL THEN 'api' ELSE 'facility' END,
               'findingCount', CASE WHEN jsonb_typeof(result->'findings') = 'array'
                 THEN (SELECT count(*) FROM jsonb_array_elements(result->'findings') AS f
                       WHERE f->>'status' IS DISTINCT FROM 'not_applicable') ELSE 0 END),
             evaluated_at
      FROM stored
      ON CONFLICT (message_id) DO NOTHING`);
  });
};

/** The SQLSTATE of a database error: the error's own `code`, or that of an error it wraps (drizzle wraps the driver's). */
export function sqlStateOf(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && typeof e === "object" && depth < 8; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && /^[0-9A-Z]{5}$/.test(code)) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * True when Postgres refused the records themselves: class 22 (data exception: a value it
 * cannot store, such as U+0000 in jsonb or year 0000) or 23 (integrity constraint violation).
 * Those fail the same way on every retry. Anything else is treated as an outage.
 */
export function isRefusal(error: unknown): boolean {
  const state = sqlStateOf(error);
  return state !== undefined && (state.startsWith("22") || state.startsWith("23"));
}

const MAX_REASON_LENGTH = 2_000;

/** What Postgres said, without drizzle's echo of the query and its (megabyte) parameters. */
function refusalReason(error: unknown): string {
  let e: unknown = error;
  for (let depth = 0; depth < 8 && e && typeof e === "object"; depth++) {
    const found = e as { code?: unknown; message?: unknown; detail?: unknown; cause?: unknown };
    if (typeof found.code === "string") {
      const detail = typeof found.detail === "string" && found.detail ? ` (${found.detail})` : "";
      return `${found.code}: ${String(found.message)}${detail}`.slice(0, MAX_REASON_LENGTH);
    }
    e = found.cause;
  }
  return String(error).slice(0, MAX_REASON_LENGTH);
}

export interface FlushOutcome {
  /** The outbox is empty. */
  drained: boolean;
  /** Checks moved to dead letters by this flush. */
  deadLettered: number;
}

type PendingRow = {
  id: string;
  idempotency_key: string | null;
  /** The record's JSON, UTF-8. */
  utf8: Uint8Array;
};

const deadLetterOwner = (checkId: string) => `dead:${checkId}`;

type Deliver = (tenantId: string, checks: PendingCheck[]) => Promise<void>;

export class Outbox {
  constructor(
    private readonly sql: SqlStorage,
    private readonly ledger: Ledger,
    private readonly records: RecordStore,
  ) {}

  isEmpty(): boolean {
    return this.sql.exec("SELECT 1 FROM outbox LIMIT 1").toArray().length === 0;
  }

  /**
   * Delivers up to OUTBOX_BATCHES_PER_RUN batches, oldest first; a refused record is
   * isolated and dead-lettered (see above) and the rest delivered. Throws on an outage,
   * leaving the undelivered rows in place.
   */
  async flush(deliver: Deliver, nowMs: () => number = Date.now): Promise<FlushOutcome> {
    let deadLettered = 0;
    for (let round = 0; round < OUTBOX_BATCHES_PER_RUN; round++) {
      const pending = this.nextBatch();
      if (pending.length === 0) return { drained: true, deadLettered };
      deadLettered += await this.deliverOrIsolate(this.tenantId(), pending, deliver, nowMs);
    }
    return { drained: this.isEmpty(), deadLettered };
  }

  /** The oldest pending checks, at most OUTBOX_BATCH_SIZE of them and OUTBOX_BATCH_BYTES of JSON (at least one). */
  private nextBatch(): PendingRow[] {
    const rows = this.sql
      .exec<StoredRecordRow & { id: string; idempotency_key: string | null }>(
        `SELECT checks.id, checks.idempotency_key, checks.record, checks.dictionary_id, checks.parts
         FROM outbox JOIN checks ON checks.id = outbox.check_id
         ORDER BY outbox.enqueued_at, outbox.check_id LIMIT ?`,
        OUTBOX_BATCH_SIZE,
      )
      .toArray();
    const batch: PendingRow[] = [];
    let bytes = 0;
    for (const row of rows) {
      const utf8 = this.ledger.decodeBytes(row.id, row);
      if (batch.length > 0 && bytes + utf8.byteLength > OUTBOX_BATCH_BYTES) break;
      bytes += utf8.byteLength;
      batch.push({ id: row.id, idempotency_key: row.idempotency_key, utf8 });
    }
    return batch;
  }

  /**
   * Delivers `rows`; when Postgres refuses them, bisects until each refused record is alone
   * and dead-letters it. Halves go in order, so delivery stays oldest first. Returns the
   * number dead-lettered; rethrows an outage (rows delivered before it stay delivered).
   */
  private async deliverOrIsolate(
    tenantId: string,
    rows: PendingRow[],
    deliver: Deliver,
    nowMs: () => number,
  ): Promise<number> {
    try {
      await deliver(
        tenantId,
        rows.map((row) => ({ utf8: row.utf8, idempotencyKey: row.idempotency_key })),
      );
    } catch (error) {
      if (!isRefusal(error)) throw error;
      if (rows.length === 1) {
        this.deadLetter(rows[0] as PendingRow, error, nowMs());
        return 1;
      }
      const half = Math.ceil(rows.length / 2);
      return (
        (await this.deliverOrIsolate(tenantId, rows.slice(0, half), deliver, nowMs)) +
        (await this.deliverOrIsolate(tenantId, rows.slice(half), deliver, nowMs))
      );
    }
    const ids = rows.map((row) => row.id);
    this.sql.exec(
      "DELETE FROM outbox WHERE check_id IN (SELECT value FROM json_each(?))",
      JSON.stringify(ids),
    );
    this.ledger.forgetRecorded(ids);
    return 0;
  }

  /** Moves a refused check from the outbox to dead letters (both writes commit together: no await between). */
  private deadLetter(row: PendingRow, error: unknown, nowMs: number): void {
    const reason = refusalReason(error);
    // Kept deflated (no dictionary: a dead letter outlives the ledger's), in parts if large.
    const body = this.records.rowBody(deadLetterOwner(row.id), this.records.packPlain(row.utf8).bytes);
    this.sql.exec(
      `INSERT INTO dead_letters (check_id, idempotency_key, record, parts, reason, sql_state, dead_at_ms)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (check_id) DO UPDATE SET reason = excluded.reason, sql_state = excluded.sql_state,
         dead_at_ms = excluded.dead_at_ms`,
      row.id,
      row.idempotency_key,
      body.record,
      body.parts,
      reason,
      sqlStateOf(error) ?? null,
      nowMs,
    );
    body.writeParts();
    this.sql.exec("DELETE FROM outbox WHERE check_id = ?", row.id);
    this.ledger.forgetRecorded([row.id]);
    console.error(
      JSON.stringify({ level: "error", message: "outbox: check dead-lettered", checkId: row.id, reason }),
    );
  }

  deadLetterCount(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM dead_letters").one().n;
  }

  /** Dead letters, oldest first, `limit` from after `cursor` (a check id). */
  deadLetters(limit: number, cursor?: string): DeadLetterPage {
    const rows = this.sql
      .exec<{
        check_id: string;
        idempotency_key: string | null;
        record: string | ArrayBuffer;
        parts: number | null;
        reason: string;
        sql_state: string | null;
        dead_at_ms: number;
      }>(
        `SELECT check_id, idempotency_key, record, parts, reason, sql_state, dead_at_ms FROM dead_letters
         WHERE check_id > ? ORDER BY check_id LIMIT ?`,
        cursor ?? "",
        limit + 1,
      )
      .toArray();
    const data = rows.slice(0, limit).map(
      (row): DeadLetter => ({
        checkId: row.check_id,
        idempotencyKey: row.idempotency_key,
        record: this.deadLetterJson(row.check_id, row),
        reason: row.reason,
        sqlState: row.sql_state,
        deadLetteredAt: new Date(row.dead_at_ms).toISOString(),
      }),
    );
    return { data, nextCursor: rows.length > limit ? (data.at(-1)?.checkId ?? null) : null };
  }

  /**
   * Puts a dead letter back in the outbox (after the cause was fixed in Postgres), restoring
   * its ledger row if retention pruned it. False when there is no such dead letter.
   */
  requeue(checkId: string, nowMs: number): boolean {
    const row = this.sql
      .exec<{
        idempotency_key: string | null;
        record: string | ArrayBuffer;
        parts: number | null;
        dead_at_ms: number;
      }>("SELECT idempotency_key, record, parts, dead_at_ms FROM dead_letters WHERE check_id = ?", checkId)
      .toArray()[0];
    if (!row) return false;
    this.ledger.restore(checkId, row.dead_at_ms, row.idempotency_key, this.deadLetterJson(checkId, row));
    this.sql.exec(
      "INSERT INTO outbox (check_id, enqueued_at) VALUES (?, ?) ON CONFLICT (check_id) DO NOTHING",
      checkId,
      nowMs,
    );
    this.forgetDeadLetter(checkId);
    return true;
  }

  /** Forgets a dead letter for good (the check stays metered; Postgres never gets it). */
  discard(checkId: string): boolean {
    return this.forgetDeadLetter(checkId);
  }

  private forgetDeadLetter(checkId: string): boolean {
    this.records.deleteParts(deadLetterOwner(checkId));
    return this.sql.exec("DELETE FROM dead_letters WHERE check_id = ?", checkId).rowsWritten > 0;
  }

  /** A dead letter's record: JSON text (older ones) or deflated without a dictionary. */
  private deadLetterJson(
    checkId: string,
    row: { record: string | ArrayBuffer; parts: number | null },
  ): string {
    return this.records.read(deadLetterOwner(checkId), { ...row, dictionary_id: null }).json;
  }

  /** The tenant the ledger is bound to (set by its first check, so present once anything is queued). */
  private tenantId(): string {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'tenant_id'").one().value;
  }
}
