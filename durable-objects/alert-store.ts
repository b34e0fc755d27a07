/**
 * Alerts: every drift event, stored with its acknowledgement, listed newest first with
 * cursor pagination (alert ids sort by creation time). Bounded: an acknowledged alert is
 * forgotten ALERT_RETENTION_MS after its acknowledgement, and a tenant keeps at most
 * MAX_ALERTS (beyond that the oldest go, acknowledged ones first).
 */
import type { Alert, AlertPage, AlertQuery, DriftEvent } from "./contract";

/** How long an acknowledged alert is kept after its acknowledgement. */
export const ALERT_RETENTION_MS = 90 * 86_400_000;
/** The most alerts one tenant keeps. */
export const MAX_ALERTS = 10_000;
/** Pruning runs at most this often (it scans up to MAX_ALERTS rows). */
const PRUNE_INTERVAL_MS = 60_000;

type AlertRow = {
  event: string;
  acknowledged_at: string | null;
  acknowledged_by: string | null;
};

function fromRow(row: AlertRow): Alert {
  return {
    ...(JSON.parse(row.event) as DriftEvent),
    acknowledgedAt: row.acknowledged_at,
    acknowledgedBy: row.acknowledged_by,
  };
}

export class AlertStore {
  private prunedAtMs = Number.NEGATIVE_INFINITY;

  constructor(private readonly sql: SqlStorage) {}

  add(event: DriftEvent): Alert {
    this.sql.exec(
      "INSERT INTO alerts (id, facility_id, status, event) VALUES (?, ?, ?, ?)",
      event.id,
      event.facilityId,
      event.status,
      JSON.stringify(event),
    );
    this.prune(Date.parse(event.detectedAt));
    return { ...event, acknowledgedAt: null, acknowledgedBy: null };
  }

  /**
   * Forgets alerts acknowledged more than ALERT_RETENTION_MS before `nowMs`, then the oldest
   * beyond MAX_ALERTS (acknowledged first). At most once per PRUNE_INTERVAL_MS unless `force`.
   * Returns how many were forgotten.
   */
  prune(nowMs: number, options: { force?: boolean; maxAlerts?: number } = {}): number {
    if (!options.force && nowMs - this.prunedAtMs < PRUNE_INTERVAL_MS) return 0;
    this.prunedAtMs = nowMs;
    let forgotten = this.sql.exec(
      "DELETE FROM alerts WHERE acknowledged_at IS NOT NULL AND acknowledged_at < ?",
      new Date(nowMs - ALERT_RETENTION_MS).toISOString(),
    ).rowsWritten;
    const excess =
      this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM alerts").one().n -
      (options.maxAlerts ?? MAX_ALERTS);
    if (excess > 0)
      forgotten += this.sql.exec(
        `DELETE FROM alerts WHERE id IN (
           SELECT id FROM alerts ORDER BY acknowledged_at IS NULL, id LIMIT ?)`,
        excess,
      ).rowsWritten;
    return forgotten;
  }

  list(query: AlertQuery): AlertPage {
    if (query.facilityIds?.length === 0) return { data: [], nextCursor: null };
    const conditions: string[] = [];
    const bindings: (string | number)[] = [];
    const where = (condition: string, ...values: (string | number)[]) => {
      conditions.push(condition);
      bindings.push(...values);
    };
    if (query.cursor !== undefined) where("id < ?", query.cursor);
    if (query.facilityId !== undefined) where("facility_id = ?", query.facilityId);
    if (query.facilityIds !== undefined)
      // One JSON parameter, however many facilities: SQLite binds at most 100 parameters here.
      where("facility_id IN (SELECT value FROM json_each(?))", JSON.stringify(query.facilityIds));
    if (query.status !== undefined) where("status = ?", query.status);
    if (query.acknowledged !== undefined)
      where(query.acknowledged ? "acknowledged_at IS NOT NULL" : "acknowledged_at IS NULL");
    const rows = this.sql
      .exec<AlertRow>(
        `SELECT event, acknowledged_at, acknowledged_by FROM alerts
         ${conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`,
        ...bindings,
        query.limit + 1,
      )
      .toArray();
    const data = rows.slice(0, query.limit).map(fromRow);
    return { data, nextCursor: rows.length > query.limit ? (data.at(-1)?.id ?? null) : null };
  }

  /**
   * Acknowledges once: a second acknowledgement keeps the first one's time and actor. Null
   * when there is no such alert, or it belongs to a facility outside `facilityIds`.
   */
  acknowledge(id: string, actor: string, nowIso: string, facilityIds?: readonly string[]): Alert | null {
    const found = this.sql
      .exec<{ facility_id: string }>("SELECT facility_id FROM alerts WHERE id = ?", id)
      .toArray()[0];
    if (!found || (facilityIds && !facilityIds.includes(found.facility_id))) return null;
    this.sql.exec(
      "UPDATE alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL",
      nowIso,
      actor,
      id,
    );
    return fromRow(
      this.sql
        .exec<AlertRow>("SELECT event, acknowledged_at, acknowledged_by FROM alerts WHERE id = ?", id)
        .one(),
    );
  }
}
