/**
 * Facilities with their permits, staff, credentials, inspections and temperature logs,
 * stored relationally and handed back in the check contract's shape (`FacilityInput`), so a
 * stored facility is evaluated exactly like one posted to /v1/checks. Call inside
 * `withTenant`: row-level security scopes every statement.
 */

import { and, asc, eq, gt, inArray, type SQL, sql } from "drizzle-orm";
import type { FacilityInput } from "../compliance";
import type { Tx } from "./client";
import { newId } from "./ids";
import { credentials, facilities, inspections, permits, staff, temperatureLogs } from "./schema";

export type FacilityStatus = "compliant" | "at_risk" | "non_compliant";

export interface FacilityRecord {
  id: string;
  facility: FacilityInput;
  status: FacilityStatus | null;
  lastCheckedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

type FacilityRow = typeof facilities.$inferSelect;

/**
 * Rows per INSERT: PostgreSQL binds at most 65,535 parameters per statement, and a facility
 * may carry 10,000 temperature logs (9 columns each) or 5,000 staff with 50 credentials each.
 * 1,000 rows of up to 9 columns stays far below the limit.
 */
const INSERT_CHUNK_ROWS = 1_000;

async function insertInChunks<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let start = 0; start < rows.length; start += INSERT_CHUNK_ROWS)
    await insert(rows.slice(start, start + INSERT_CHUNK_ROWS));
}

function facilityColumns(input: FacilityInput) {
  return {
    name: input.name,
    type: input.type,
    addressLine1: input.address.line1 ?? null,
    city: input.address.city,
    county: input.address.county ?? null,
    state: input.address.state,
    postalCode: input.address.postalCode ?? null,
    handlesUnpackagedTcsFood: input.handlesUnpackagedTcsFood ?? true,
    openedAt: input.openedAt ?? null,
    ownershipChangedAt: input.ownershipChangedAt ?? null,
    certificateHolderLeftAt: input.certificateHolderLeftAt ?? null,
    servesHighlySusceptiblePopulation: input.servesHighlySusceptiblePopulation ?? null,
    chainLocations: input.chainLocations ?? null,
    postedNotices: input.postedNotices ?? null,
  };
}

async function insertChildren(
  tx: Tx,
  tenantId: string,
  facilityId: string,
  input: FacilityInput,
): Promise<void> {
  const permitRows = (input.permits ?? []).map((p, position) => ({
    id: newId("prm"),
    tenantId,
    facilityId,
    type: p.type,
    number: p.number ?? null,
    issuer: p.issuer ?? null,
    issuedAt: p.issuedAt ?? null,
    expiresAt: p.expiresAt ?? null,
    position,
  }));
  await insertInChunks(permitRows, (chunk) => tx.insert(permits).values(chunk));

  const staffRows = (input.staff ?? []).map((s, position) => ({
    id: newId("stf"),
    tenantId,
    facilityId,
    externalId: s.id,
    name: s.name ?? null,
    role: s.role,
    hiredAt: s.hiredAt,
    position,
  }));
  await insertInChunks(staffRows, (chunk) => tx.insert(staff).values(chunk));

  const credentialRows = (input.staff ?? []).flatMap((s, i) =>
    (s.credentials ?? []).map((c, position) => ({
      id: newId("crd"),
      tenantId,
      staffId: staffRows[i]?.id as string,
      type: c.type,
      issuer: c.issuer ?? null,
      issuedAt: c.issuedAt ?? null,
      expiresAt: c.expiresAt ?? null,
      position,
    })),
  );
  await insertInChunks(credentialRows, (chunk) => tx.insert(credentials).values(chunk));

  const inspectionRows = (input.inspections ?? []).map((x, position) => ({
    id: newId("ins"),
    tenantId,
    facilityId,
    date: x.date,
    score: x.score ?? null,
    grade: x.grade ?? null,
    criticalViolations: x.criticalViolations ?? null,
    position,
  }));
  await insertInChunks(inspectionRows, (chunk) => tx.insert(inspections).values(chunk));

  const logRows = (input.temperatureLogs ?? []).map((l, position) => ({
    id: newId("tlg"),
    tenantId,
    facilityId,
    at: l.at,
    item: l.item ?? null,
    category: l.category ?? null,
    mode: l.mode,
    tempF: l.tempF,
    position,
  }));
  await insertInChunks(logRows, (chunk) => tx.insert(temperatureLogs).values(chunk));
}

/** What the facility's latest evaluation said; stored with the facility in one transaction. */
export interface EvaluatedStatus {
  status: FacilityStatus;
  checkedAt: string;
}

export async function insertFacility(
  tx: Tx,
  tenantId: string,
  input: FacilityInput,
  evaluated: EvaluatedStatus,
): Promise<string> {
  const id = newId("fac");
  await tx.insert(facilities).values({
    id,
    tenantId,
    ...facilityColumns(input),
    status: evaluated.status,
    lastCheckedAt: evaluated.checkedAt,
  });
  await insertChildren(tx, tenantId, id, input);
  return id;
}

/** Replaces the facility and all its children with `input` (PATCH stores the merged whole). */
export async function replaceFacility(
  tx: Tx,
  tenantId: string,
  id: string,
  input: FacilityInput,
  evaluated: EvaluatedStatus,
): Promise<boolean> {
  const updated = await tx
    .update(facilities)
    .set({
      ...facilityColumns(input),
      status: evaluated.status,
      lastCheckedAt: evaluated.checkedAt,
      updatedAt: new Date().toISOString(),
    })
    .where(eq(facilities.id, id))
    .returning({ id: facilities.id });
  if (updated.length === 0) return false;
  // Credentials cascade from staff.
  await tx.delete(permits).where(eq(permits.facilityId, id));
  await tx.delete(staff).where(eq(staff.facilityId, id));
  await tx.delete(inspections).where(eq(inspections.facilityId, id));
  await tx.delete(temperatureLogs).where(eq(temperatureLogs.facilityId, id));
  await insertChildren(tx, tenantId, id, input);
  return true;
}

export async function deleteFacility(tx: Tx, id: string): Promise<boolean> {
  const deleted = await tx.delete(facilities).where(eq(facilities.id, id)).returning({ id: facilities.id });
  return deleted.length > 0;
}

export async function setFacilityStatus(
  tx: Tx,
  id: string,
  status: FacilityStatus,
  checkedAt: string,
): Promise<void> {
  await tx.update(facilities).set({ status, lastCheckedAt: checkedAt }).where(eq(facilities.id, id));
}

/** Each facility's status and when it was worked out: what reconciliation compares with the tenant object. */
export async function listFacilityStates(
  tx: Tx,
): Promise<{ id: string; status: FacilityStatus | null; lastCheckedAt: string | null }[]> {
  const rows = await tx
    .select({ id: facilities.id, status: facilities.status, lastCheckedAt: facilities.lastCheckedAt })
    .from(facilities)
    .orderBy(asc(facilities.id));
  return rows.map((row) => ({ ...row, status: row.status as FacilityStatus | null }));
}

const omitNull = <T extends Record<string, unknown>>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };

async function assemble(tx: Tx, rows: FacilityRow[]): Promise<FacilityRecord[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [permitRows, staffRows, inspectionRows, logRows] = await Promise.all([
    tx.select().from(permits).where(inArray(permits.facilityId, ids)).orderBy(asc(permits.position)),
    tx.select().from(staff).where(inArray(staff.facilityId, ids)).orderBy(asc(staff.position)),
    tx
      .select()
      .from(inspections)
      .where(inArray(inspections.facilityId, ids))
      .orderBy(asc(inspections.position)),
    tx
      .select()
      .from(temperatureLogs)
      .where(inArray(temperatureLogs.facilityId, ids))
      .orderBy(asc(temperatureLogs.position)),
  ]);
  const credentialRows =
    staffRows.length === 0
      ? []
      : await tx
          .select()
          .from(credentials)
          .where(
            inArray(
              credentials.staffId,
              staffRows.map((s) => s.id),
            ),
          )
          .orderBy(asc(credentials.position));

  return rows.map((row) => {
    const facility: FacilityInput = {
      name: row.name,
      type: row.type as FacilityInput["type"],
      address: omitNull({
        line1: row.addressLine1,
        city: row.city,
        county: row.county,
        state: row.state,
        postalCode: row.postalCode,
      }),
      handlesUnpackagedTcsFood: row.handlesUnpackagedTcsFood,
      ...omitNull({
        openedAt: row.openedAt,
        ownershipChangedAt: row.ownershipChangedAt,
        certificateHolderLeftAt: row.certificateHolderLeftAt,
        servesHighlySusceptiblePopulation: row.servesHighlySusceptiblePopulation,
        chainLocations: row.chainLocations,
        postedNotices: row.postedNotices as FacilityInput["postedNotices"] | null,
      }),
      permits: permitRows
        .filter((p) => p.facilityId === row.id)
        .map((p) => ({
          type: p.type,
          ...omitNull({ number: p.number, issuer: p.issuer, issuedAt: p.issuedAt }),
          expiresAt: p.expiresAt,
        })),
      staff: staffRows
        .filter((s) => s.facilityId === row.id)
        .map((s) => ({
          id: s.externalId,
          ...omitNull({ name: s.name }),
          role: s.role,
          hiredAt: s.hiredAt,
          credentials: credentialRows
            .filter((c) => c.staffId === s.id)
            .map((c) => ({
              type: c.type,
              ...omitNull({ issuer: c.issuer, issuedAt: c.issuedAt }),
              expiresAt: c.expiresAt,
            })),
        })),
      inspections: inspectionRows
        .filter((x) => x.facilityId === row.id)
        .map((x) => ({
          date: x.date,
          ...omitNull({ score: x.score, grade: x.grade, criticalViolations: x.criticalViolations }),
        })),
      temperatureLogs: logRows
        .filter((l) => l.facilityId === row.id)
        .map((l) => ({
          at: new Date(l.at).toISOString(),
          ...omitNull({ item: l.item, category: l.category }),
          mode: l.mode,
          tempF: l.tempF,
        })),
    } as FacilityInput;
    return {
      id: row.id,
      facility,
      status: row.status,
      lastCheckedAt: row.lastCheckedAt,
      createdAt: row.createdAt,
      updatedAt: row.updatedAt,
    };
  });
}

export async function loadFacility(tx: Tx, id: string): Promise<FacilityRecord | null> {
  const rows = await tx.select().from(facilities).where(eq(facilities.id, id));
  return (await assemble(tx, rows))[0] ?? null;
}

export interface FacilityFilter {
  state?: string | undefined;
  status?: FacilityStatus | undefined;
  /** The last id of the previous page. */
  after?: string | undefined;
  limit: number;
  /** Only these facilities (a manager's locations). */
  ids?: readonly string[] | undefined;
}

export async function listFacilities(
  tx: Tx,
  filter: FacilityFilter,
): Promise<{ data: FacilityRecord[]; nextCursor: string | null }> {
  const conditions: SQL[] = [];
  if (filter.state) conditions.push(eq(facilities.state, filter.state));
  if (filter.status) conditions.push(eq(facilities.status, filter.status));
  if (filter.after) conditions.push(gt(facilities.id, filter.after));
  if (filter.ids)
    conditions.push(filter.ids.length > 0 ? inArray(facilities.id, [...filter.ids]) : sql`false`);
  const rows = await tx
    .select()
    .from(facilities)
    .where(and(...conditions))
    .orderBy(asc(facilities.id))
    .limit(filter.limit + 1);
  const page = rows.slice(0, filter.limit);
  const nextCursor = rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null;
  return { data: await assemble(tx, page), nextCursor };
}
