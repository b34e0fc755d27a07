/**
 * Where tenants have facilities, for the platform jobs that must tell the affected tenants'
 * Durable Objects about a rule change. Facilities are tenant rows behind row-level security;
 * `prep_facility_places` (migration 0006) is the one door, returning places only.
 */
import { sql } from "drizzle-orm";
import { asPlatform, type Database } from "./client";

export interface FacilityPlace {
  tenantId: string;
  city: string;
  county: string | null;
  state: string;
}

export async function facilityPlaces(db: Database, states: readonly string[]): Promise<FacilityPlace[]> {
  if (states.length === 0) return [];
  const list = sql.join(
    states.map((s) => sql`${s.toUpperCase()}`),
    sql`, `,
  );
  const result = await asPlatform(db, (tx) =>
    tx.execute(sql`SELECT tenant_id, city, county, state FROM prep_facility_places(ARRAY[${list}]::text[])`),
  );
  return (result.rows as { tenant_id: string; city: string; county: string | null; state: string }[]).map(
    (r) => ({
      tenantId: r.tenant_id,
      city: r.city,
      county: r.county,
      state: r.state,
    }),
  );
}
