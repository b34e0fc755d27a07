/**
 * Delivers the ledger's outbox to Postgres `checks`, at least once.
 *
 * A batch is upserted first (ON CONFLICT (id) DO NOTHING) and removed from the outbox only
 * after Postgres committed it. If the object dies in between, the batch is sent again and
 * the upsert ignores what is already there: nothing lost, nothing doubled.
 */
import { type Database, withTenant } from "../db/client";
import { checks as checkHistory } from "../db/schema";
import type { CheckRecord } from "./contract";

export const OUTBOX_BATCH_SIZE = 200;
/** Batches per alarm run, so one run stays well inside the alarm's wall-time limit. */
export const OUTBOX_BATCHES_PER_RUN = 25;

export interface PendingCheck {
  record: CheckRecord;
  idempotencyKey: string | null;
}

/** Writes one tenant's checks to their durable home; must be idempotent per check id. */
export type CheckDelivery = (db: Database, tenantId: string, checks: PendingCheck[]) => Promise<void>;

export const deliverToPostgres: CheckDelivery = (db, tenantId, pending) =>
  withTenant(db, tenantId, async (tx) => {
    await tx
      .insert(checkHistory)
      .values(
        pending.map(({ record, idempotencyKey }) => ({
          id: record.id,
          tenantId: record.tenantId,
          facilityId: record.facilityId,
          idempotencyKey,
          asOf: record.asOf,
          evaluatedAt: record.evaluatedAt,
          status: record.result.status,
          state: record.state,
          result: record.result,
        })),
      )
      .onConflictDoNothing({ target: checkHistory.id });
  });

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
        record: JSON.parse(row.record) as CheckRecord,
        idempotencyKey: row.idempotency_key,
      }));
      await deliver((batch[0] as PendingCheck).record.tenantId, batch);
      for (const { id } of pending) this.sql.exec("DELETE FROM outbox WHERE check_id = ?", id);
    }
    return this.isEmpty();
  }
}
