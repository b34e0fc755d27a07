/**
 * Delivers the ledger's outbox to Postgres `checks`, at least once.
 *
 * A batch is upserted first (ON CONFLICT (id) DO NOTHING) and removed from the outbox only
 * after Postgres committed it. If the object dies in between, the batch is sent again and
 * the upsert ignores what is already there: nothing lost, nothing doubled.
 */
import { withTenant } from "../db/client";
import { openDatabase } from "../db/client";
import { checks } from "../db/schema";
import type { Env } from "../workers/env";
import { databaseConfig } from "../workers/services/services";
import type { CheckRecord } from "./contract";

export const OUTBOX_BATCH_SIZE = 200;
/** Batches per alarm run, so one run stays well inside the alarm's wall-time limit. */
export const OUTBOX_BATCHES_PER_RUN = 25;

/** Writes one tenant's checks to their durable home; must be idempotent per check id. */
export type CheckDelivery = (tenantId: string, records: CheckRecord[]) => Promise<void>;

export function postgresDelivery(env: Env): CheckDelivery {
  return async (tenantId, records) => {
    const handle = openDatabase(databaseConfig(env));
    try {
      await withTenant(handle.db, tenantId, (tx) =>
        tx
          .insert(checks)
          .values(
            records.map((record) => ({
              id: record.id,
              tenantId: record.tenantId,
              facilityId: record.facilityId,
              idempotencyKey: null,
              asOf: record.asOf,
              evaluatedAt: record.evaluatedAt,
              status: record.result.status,
              state: record.state,
              result: record.result,
            })),
          )
          .onConflictDoNothing({ target: checks.id }),
      );
    } finally {
      await handle.close();
    }
  };
}

export class Outbox {
  constructor(private readonly sql: SqlStorage) {}

  isEmpty(): boolean {
    return this.sql.exec("SELECT 1 FROM outbox LIMIT 1").toArray().length === 0;
  }

  /**
   * Delivers up to OUTBOX_BATCHES_PER_RUN batches, oldest first. Returns true when the
   * outbox is empty; throws (leaving the undelivered rows in place) when delivery fails.
   */
  async flush(deliver: CheckDelivery): Promise<boolean> {
    for (let batch = 0; batch < OUTBOX_BATCHES_PER_RUN; batch++) {
      const pending = this.sql
        .exec<{ id: string; record: string }>(
          `SELECT checks.id, checks.record FROM outbox JOIN checks ON checks.id = outbox.check_id
           ORDER BY outbox.enqueued_at, outbox.check_id LIMIT ?`,
          OUTBOX_BATCH_SIZE,
        )
        .toArray();
      if (pending.length === 0) return true;
      const records = pending.map((row) => JSON.parse(row.record) as CheckRecord);
      await deliver((records[0] as CheckRecord).tenantId, records);
      for (const { id } of pending) this.sql.exec("DELETE FROM outbox WHERE check_id = ?", id);
    }
    return this.isEmpty();
  }
}
