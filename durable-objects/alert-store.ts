/**
 * Alerts: every drift event, stored with its acknowledgement, listed newest first with
 * cursor pagination (alert ids sort by creation time).
 */
import type { Alert, AlertPage, AlertQuery, DriftEvent } from "./contract";

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
  constructor(private readonly sql: SqlStorage) {}

  add(event: DriftEvent): Alert {
    this.sql.exec(
      "INSERT INTO alerts (id, facility_id, status, event) VALUES (?, ?, ?, ?)",
      event.id,
      event.facilityId,
      event.status,
      JSON.stringify(event),
    );
    return { ...event, acknowledgedAt: null, acknowledgedBy: null };
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
