/**
 * Each facility's latest input and verdict, and the time at which that verdict may next
 * change (the verdict's `reevaluateAt`, at 00:00 UTC), which drives deadline re-evaluation.
 */
import type { FacilityInput, Verdict } from "../compliance";
import type { FacilitySnapshot } from "./contract";

export interface StoredFacility {
  facilityId: string;
  facility: FacilityInput;
  verdict: Verdict;
  cause: string;
  updatedMs: number;
}

type FacilityRow = {
  id: string;
  input: string;
  verdict: string;
  cause: string;
  updated_ms: number;
};

/** Epoch ms at which a verdict's `reevaluateAt` date begins (UTC, like the default `asOf`). */
export function dueTimeOf(verdict: Verdict): number | null {
  return verdict.reevaluateAt === null ? null : Date.parse(`${verdict.reevaluateAt}T00:00:00Z`);
}

function fromRow(row: FacilityRow): StoredFacility {
  return {
    facilityId: row.id,
    facility: JSON.parse(row.input) as FacilityInput,
    verdict: JSON.parse(row.verdict) as Verdict,
    cause: row.cause,
    updatedMs: row.updated_ms,
  };
}

const COLUMNS = "id, input, verdict, cause, updated_ms";

export class FacilityStore {
  constructor(private readonly sql: SqlStorage) {}

  get(facilityId: string): StoredFacility | null {
    const row = this.sql
      .exec<FacilityRow>(`SELECT ${COLUMNS} FROM facilities WHERE id = ?`, facilityId)
      .toArray()[0];
    return row ? fromRow(row) : null;
  }

  put(snapshot: FacilitySnapshot, nowMs: number): void {
    this.sql.exec(
      `INSERT INTO facilities (id, input, verdict, cause, updated_ms, reevaluate_due_ms) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET input = excluded.input, verdict = excluded.verdict, cause = excluded.cause,
         updated_ms = excluded.updated_ms, reevaluate_due_ms = excluded.reevaluate_due_ms`,
      snapshot.facilityId,
      JSON.stringify(snapshot.facility),
      JSON.stringify(snapshot.verdict),
      snapshot.cause,
      snapshot.evaluatedAt ? Date.parse(snapshot.evaluatedAt) : nowMs,
      dueTimeOf(snapshot.verdict),
    );
  }

  /** Stops deadline re-evaluation of a facility that can no longer be evaluated. */
  clearDue(facilityId: string): void {
    this.sql.exec("UPDATE facilities SET reevaluate_due_ms = NULL WHERE id = ?", facilityId);
  }

  remove(facilityId: string): boolean {
    return this.sql.exec("DELETE FROM facilities WHERE id = ?", facilityId).rowsWritten > 0;
  }

  /** Each facility's id, verdict status and time, without parsing inputs (reconciliation). */
  summaries(): { facilityId: string; status: Verdict["status"]; updatedMs: number }[] {
    return this.sql
      .exec<{ id: string; status: Verdict["status"]; updated_ms: number }>(
        "SELECT id, json_extract(verdict, '$.status') AS status, updated_ms FROM facilities ORDER BY id",
      )
      .toArray()
      .map((row) => ({ facilityId: row.id, status: row.status, updatedMs: row.updated_ms }));
  }

  all(): StoredFacility[] {
    return this.sql.exec<FacilityRow>(`SELECT ${COLUMNS} FROM facilities ORDER BY id`).toArray().map(fromRow);
  }

  dueBy(nowMs: number): StoredFacility[] {
    return this.sql
      .exec<FacilityRow>(
        `SELECT ${COLUMNS} FROM facilities WHERE reevaluate_due_ms <= ? ORDER BY reevaluate_due_ms`,
        nowMs,
      )
      .toArray()
      .map(fromRow);
  }

  earliestDue(): number | null {
    return this.sql.exec<{ due: number | null }>("SELECT min(reevaluate_due_ms) AS due FROM facilities").one()
      .due;
  }
}
