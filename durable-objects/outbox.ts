/**
 * Delivers the ledger's outbox to Postgres `checks`, at least once.
 *
 * A batch is upserted first (ON CONFLICT (id) DO NOTHING) and removed from the outbox only
 * after Postgres committed it. If the object dies in between, the batch is sent again and
 * the upsert ignores what is already there: nothing lost, nothing doubled.
 */
import { Buffer } from "node:buffer";
import { sql } from "drizzle-orm";
import { type Database, withTenant } from "../db/client";

export const OUTBOX_BATCH_SIZE = 200;
/** Batches per alarm run, so one run stays well inside the alarm's wall-time limit. */
export const OUTBOX_BATCHES_PER_RUN = 25;

export interface PendingCheck {
  /** The CheckRecord as the ledger holds it: JSON text. */
  json: string;
  idempotencyKey: string | null;
}

/** Writes one tenant's checks to their durable home; must be idempotent per check id. */
export type CheckDelivery = (db: Database, tenantId: string, checks: PendingCheck[]) => Promise<void>;

/**
 * One INSERT per batch. The records travel as one JSON array that Postgres unpacks itself:
 * the object never parses a record only to have the driver serialise it again. The array
 * goes as UTF-8 bytes (a bytea parameter, sent in binary): the runtime's TextEncoder encodes
 * a batch of a few MB far faster than the driver's string writer.
 */
export const deliverToPostgres: CheckDelivery = (db, tenantId, pending) => {
  const json = `[${pending
    .map(
      ({ json, idempotencyKey }) => `{"idempotencyKey":${JSON.stringify(idempotencyKey)},"record":${json}}`,
    )
    .join(",")}]`;
  const encoded = new TextEncoder().encode(json);
  const batch = Buffer.from(encoded.buffer, encoded.byteOffset, encoded.byteLength);
  return withTenant(db, tenantId, async (tx) => {
    await tx.execute(sql`
      INSERT INTO checks (id, tenant_id, facility_id, idempotency_key, as_of, evaluated_at, status, state, result)
      SELECT record->>'id', record->>'tenantId', record->>'facilityId', "idempotencyKey",
             (record->>'asOf')::date, (record->>'evaluatedAt')::timestamptz,
             record->'result'->>'status', record->>'state', record->'result'
      FROM jsonb_to_recordset(convert_from(${batch}::bytea, 'UTF8')::jsonb) AS pending("idempotencyKey" text, record jsonb)
      ON CONFLICT (id) DO NOTHING`);
  });
};

export class Outbox {
  constructor(private readonly sql: SqlStorage) {}

  isEmpty(): boolean {
    return this.sql.exec("SELECT 1 FROM outbox LIMIT 1").toArray().length === 0;
  }

  /**
   * Delivers up to OUTBOX_BATCHES_PER_RUN batches, oldest first. Returns true when the
   * outbox is empty; throws (leaving the undelivered rows in place) when delivery fails.
   */
  async flush(deliver: (tenantId: string, checks: PendingCheck[]) => Promise<void>): Promise<boolean> {
    for (let round = 0; round < OUTBOX_BATCHES_PER_RUN; round++) {
      const pending = this.sql
        .exec<{ id: string; idempotency_key: string | null; record: string }>(
          `SELECT checks.id, checks.idempotency_key, checks.record FROM outbox JOIN checks ON checks.id = outbox.check_id
           ORDER BY outbox.enqueued_at, outbox.check_id LIMIT ?`,
          OUTBOX_BATCH_SIZE,
        )
        .toArray();
      if (pending.length === 0) return true;
      const batch = pending.map((row) => ({
        json: row.record,
        idempotencyKey: row.idempotency_key,
      }));
      await deliver(this.tenantId(), batch);
      this.sql.exec(
        "DELETE FROM outbox WHERE check_id IN (SELECT value FROM json_each(?))",
        JSON.stringify(pending.map((row) => row.id)),
      );
    }
    return this.isEmpty();
  }

  /** The tenant the ledger is bound to (set by its first check, so present once anything is queued). */
  private tenantId(): string {
    return this.sql.exec<{ value: string }>("SELECT value FROM meta WHERE key = 'tenant_id'").one().value;
  }
}
