/**
 * The evidence vault's data access (docs/evidence.md): export rows (parameters, progress,
 * the files once ready), auditor share links (the token's SHA-256 only) with their access log,
 * the tenant's export schedule, and the paged readers an export streams a location's
 * history from. Call inside `withTenant` unless a function takes the `Database` itself.
 * The exported files live in R2; nothing here stores them.
 */
import { and, asc, desc, eq, gt, gte, inArray, lt, lte, or, type SQL, sql } from "drizzle-orm";
import type { AnyPgColumn } from "drizzle-orm/pg-core";
import type { Database, Tx } from "./client";
import { newId } from "./ids";
import { hashToken } from "./invites";
import {
  auditLog,
  checks,
  credentials,
  datasetOverrides,
  datasetVersions,
  evidenceExports,
  evidenceSchedules,
  evidenceShareAccesses,
  evidenceShareLinks,
  facilities,
  inspections,
  permits,
  staff,
  temperatureLogs,
  tenants,
} from "./schema";

export type ExportStatus = "queued" | "running" | "ready" | "failed";

export interface ExportFile {
  name: string;
  contentType: string;
  size: number;
  sha256: string;
}

export interface EvidenceExport {
  id: string;
  status: ExportStatus;
  trigger: "manual" | "scheduled";
  facilityIds: string[];
  allFacilities: boolean;
  from: string;
  to: string;
  createdBy: string;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  locationsDone: number;
  error: string | null;
  files: ExportFile[];
  manifestSha256: string | null;
}

type ExportRow = typeof evidenceExports.$inferSelect;

const toExport = (row: ExportRow): EvidenceExport => ({
  id: row.id,
  status: row.status,
  trigger: row.trigger,
  facilityIds: row.facilityIds,
  allFacilities: row.allFacilities,
  from: row.periodFrom,
  to: row.periodTo,
  createdBy: row.createdBy,
  createdAt: row.createdAt,
  startedAt: row.startedAt,
  finishedAt: row.finishedAt,
  locationsDone: row.locationsDone,
  error: row.error,
  files: (row.files as ExportFile[] | null) ?? [],
  manifestSha256: row.manifestSha256,
});

export async function createExport(
  tx: Tx,
  input: {
    tenantId: string;
    trigger: "manual" | "scheduled";
    facilityIds: string[];
    allFacilities: boolean;
    from: string;
    to: string;
    createdBy: string;
  },
): Promise<EvidenceExport> {
  const [row] = await tx
    .insert(evidenceExports)
    .values({
      id: newId("exp"),
      tenantId: input.tenantId,
      status: "queued",
      trigger: input.trigger,
      facilityIds: input.facilityIds,
      allFacilities: input.allFacilities,
      periodFrom: input.from,
      periodTo: input.to,
      createdBy: input.createdBy,
    })
    .returning();
  if (!row) throw new Error("export insert returned nothing");
  return toExport(row);
}

export async function getExport(tx: Tx, id: string): Promise<EvidenceExport | null> {
  const [row] = await tx.select().from(evidenceExports).where(eq(evidenceExports.id, id));
  return row ? toExport(row) : null;
}

/** Newest first; the cursor is the last id of the previous page. */
export async function listExports(
  tx: Tx,
  page: { cursor?: string | undefined; limit: number },
): Promise<{ data: EvidenceExport[]; nextCursor: string | null }> {
  const rows = await tx
    .select()
    .from(evidenceExports)
    .where(page.cursor ? lt(evidenceExports.id, page.cursor) : undefined)
    .orderBy(desc(evidenceExports.id))
    .limit(page.limit + 1);
  const data = rows.slice(0, page.limit).map(toExport);
  return { data, nextCursor: rows.length > page.limit ? (data.at(-1)?.id ?? null) : null };
}

/** Progress from the running job; a finished export is never changed back. */
export async function markExportProgress(tx: Tx, id: string, locationsDone: number): Promise<void> {
  await tx
    .update(evidenceExports)
    .set({
      status: "running",
      locationsDone,
      startedAt: sql`coalesce(${evidenceExports.startedAt}, now())`,
    })
    .where(and(eq(evidenceExports.id, id), inArray(evidenceExports.status, ["queued", "running"])));
}

export async function finishExport(
  tx: Tx,
  id: string,
  outcome: { files: ExportFile[]; manifestSha256: string; locationsDone: number } | { error: string },
): Promise<EvidenceExport | null> {
  const set =
    "error" in outcome
      ? { status: "failed" as const, error: outcome.error }
      : {
          status: "ready" as const,
          files: outcome.files,
          manifestSha256: outcome.manifestSha256,
          locationsDone: outcome.locationsDone,
        };
  const [row] = await tx
    .update(evidenceExports)
    .set({ ...set, finishedAt: sql`now()`, startedAt: sql`coalesce(${evidenceExports.startedAt}, now())` })
    .where(and(eq(evidenceExports.id, id), inArray(evidenceExports.status, ["queued", "running"])))
    .returning();
  return row ? toExport(row) : null;
}

export async function tenantName(tx: Tx, tenantId: string): Promise<string> {
  const [row] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId));
  return row?.name ?? tenantId;
}

// ---- Share links ----

export interface ShareAccess {
  at: string;
  ip: string | null;
  userAgent: string | null;
  resource: string;
  outcome: "granted" | "expired" | "revoked";
}

export interface ShareLink {
  id: string;
  exportId: string;
  email: string | null;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  revokedBy: string | null;
}

type ShareRow = typeof evidenceShareLinks.$inferSelect;
const toShareLink = ({ tokenHash: _hash, tenantId: _tenant, ...rest }: ShareRow): ShareLink => rest;

/** A new link; its token (43 random base64url characters, 256 bits) is returned once. */
export async function createShareLink(
  tx: Tx,
  input: { tenantId: string; exportId: string; email: string | null; expiresAt: string; createdBy: string },
): Promise<{ link: ShareLink; token: string }> {
  const random = crypto.getRandomValues(new Uint8Array(32));
  const token = btoa(String.fromCharCode(...random))
    .replaceAll("+", "-")
    .replaceAll("/", "_")
    .replace(/=+$/, "");
  const [row] = await tx
    .insert(evidenceShareLinks)
    .values({ id: newId("shr"), ...input, tokenHash: await hashToken(token) })
    .returning();
  if (!row) throw new Error("share link insert returned nothing");
  return { link: toShareLink(row), token };
}

/** An export's links, newest first, each with its accesses (newest first, the latest 100). */
export async function listShareLinks(
  tx: Tx,
  exportId: string,
): Promise<(ShareLink & { accesses: ShareAccess[]; accessCount: number })[]> {
  const links = await tx
    .select()
    .from(evidenceShareLinks)
    .where(eq(evidenceShareLinks.exportId, exportId))
    .orderBy(desc(evidenceShareLinks.id));
  if (links.length === 0) return [];
  const accesses = await tx
    .select()
    .from(evidenceShareAccesses)
    .where(
      inArray(
        evidenceShareAccesses.shareId,
        links.map((link) => link.id),
      ),
    )
    .orderBy(desc(evidenceShareAccesses.at), desc(evidenceShareAccesses.id));
  return links.map((link) => {
    const own = accesses.filter((access) => access.shareId === link.id);
    return {
      ...toShareLink(link),
      accessCount: own.length,
      accesses: own.slice(0, 100).map(({ at, ip, userAgent, resource, outcome }) => ({
        at,
        ip,
        userAgent,
        resource,
        outcome,
      })),
    };
  });
}

/**
 * Revokes a link of `exportId`: "revoked" now, "unchanged" when it already was (it stays as it
 * was), null when the export has no such link.
 */
export async function revokeShareLink(
  tx: Tx,
  exportId: string,
  shareId: string,
  revokedBy: string,
): Promise<"revoked" | "unchanged" | null> {
  const [existing] = await tx
    .select()
    .from(evidenceShareLinks)
    .where(and(eq(evidenceShareLinks.id, shareId), eq(evidenceShareLinks.exportId, exportId)));
  if (!existing) return null;
  if (existing.revokedAt) return "unchanged";
  await tx
    .update(evidenceShareLinks)
    .set({ revokedAt: sql`now()`, revokedBy })
    .where(eq(evidenceShareLinks.id, shareId));
  return "revoked";
}

/** Which tenant and link a token names (before the tenant is known), through `prep_find_share_link`. */
export async function findShareLink(
  db: Database,
  token: string,
): Promise<{ id: string; tenantId: string } | null> {
  const result = await db.execute(sql`SELECT * FROM prep_find_share_link(${await hashToken(token)})`);
  const row = result.rows[0] as { id: string; tenant_id: string } | undefined;
  return row ? { id: row.id, tenantId: row.tenant_id } : null;
}

export async function loadShareLink(tx: Tx, id: string): Promise<ShareLink | null> {
  const [row] = await tx.select().from(evidenceShareLinks).where(eq(evidenceShareLinks.id, id));
  return row ? toShareLink(row) : null;
}

export async function logShareAccess(
  tx: Tx,
  input: { tenantId: string; shareId: string } & Omit<ShareAccess, "at">,
): Promise<void> {
  await tx.insert(evidenceShareAccesses).values({ id: newId("sac"), ...input });
}

// ---- Schedules ----

export interface ExportSchedule {
  cadence: "monthly" | "quarterly";
  facilityIds: string[] | null;
  createdBy: string;
  updatedAt: string;
  lastPeriodFrom: string | null;
}

export async function getSchedule(tx: Tx): Promise<ExportSchedule | null> {
  const [row] = await tx.select().from(evidenceSchedules);
  return row
    ? {
        cadence: row.cadence,
        facilityIds: row.facilityIds,
        createdBy: row.createdBy,
        updatedAt: row.updatedAt,
        lastPeriodFrom: row.lastPeriodFrom,
      }
    : null;
}

export async function putSchedule(
  tx: Tx,
  input: {
    tenantId: string;
    cadence: "monthly" | "quarterly";
    facilityIds: string[] | null;
    createdBy: string;
  },
): Promise<ExportSchedule> {
  await tx
    .insert(evidenceSchedules)
    .values(input)
    .onConflictDoUpdate({
      target: evidenceSchedules.tenantId,
      set: {
        cadence: input.cadence,
        facilityIds: input.facilityIds,
        createdBy: input.createdBy,
        updatedAt: sql`now()`,
      },
    });
  return (await getSchedule(tx)) as ExportSchedule;
}

export async function deleteSchedule(tx: Tx): Promise<boolean> {
  const rows = await tx.delete(evidenceSchedules).returning({ tenantId: evidenceSchedules.tenantId });
  return rows.length > 0;
}

/** Every tenant's schedule (tenant, cadence, last period), through `prep_evidence_schedules` (platform role). */
export async function listSchedules(
  tx: Tx,
): Promise<{ tenantId: string; cadence: "monthly" | "quarterly"; lastPeriodFrom: string | null }[]> {
  const result = await tx.execute(sql`SELECT * FROM prep_evidence_schedules()`);
  return (
    result.rows as { tenant_id: string; cadence: "monthly" | "quarterly"; last_period_from: string | null }[]
  ).map((row) => ({
    tenantId: row.tenant_id,
    cadence: row.cadence,
    lastPeriodFrom: row.last_period_from ? String(row.last_period_from).slice(0, 10) : null,
  }));
}

/** Claims `periodFrom` for the tenant's schedule: true once per period, so the hourly job queues it once. */
export async function claimSchedulePeriod(tx: Tx, periodFrom: string): Promise<boolean> {
  const rows = await tx
    .update(evidenceSchedules)
    .set({ lastPeriodFrom: periodFrom })
    .where(
      or(
        sql`${evidenceSchedules.lastPeriodFrom} IS NULL`,
        lt(evidenceSchedules.lastPeriodFrom, periodFrom),
      ) as SQL,
    )
    .returning({ tenantId: evidenceSchedules.tenantId });
  return rows.length > 0;
}

// ---- What an export reads, location by location ----

/** The tenant's facility ids in `ids` that exist (order of `ids` kept), or all of them, by id. */
export async function existingFacilityIds(tx: Tx, ids: readonly string[] | null): Promise<string[]> {
  if (ids && ids.length === 0) return [];
  const rows = await tx
    .select({ id: facilities.id })
    .from(facilities)
    .where(ids ? inArray(facilities.id, [...ids]) : undefined)
    .orderBy(asc(facilities.id));
  if (!ids) return rows.map((row) => row.id);
  const found = new Set(rows.map((row) => row.id));
  return ids.filter((id) => found.has(id));
}

export type FacilityRow = typeof facilities.$inferSelect;

export async function loadFacilityRow(tx: Tx, id: string): Promise<FacilityRow | null> {
  const [row] = await tx.select().from(facilities).where(eq(facilities.id, id));
  return row ?? null;
}

/** A period as the half-open instant range [from 00:00 UTC, the day after `to` 00:00 UTC). */
export interface InstantRange {
  fromIso: string;
  toIsoExclusive: string;
}

export type CheckRow = typeof checks.$inferSelect;

/** One page of a facility's checks evaluated in the range, by id (time order), after `cursor`. */
/**
 * One facility's rows whose `time` falls in the range, after the keyset `cursor` (an id): the
 * page condition the evidence reader uses for every per-facility table it walks by id.
 */
function facilityRowsInRange(
  table: { facilityId: AnyPgColumn; id: AnyPgColumn },
  time: AnyPgColumn,
  facilityId: string,
  range: InstantRange,
  cursor: string | null,
): SQL | undefined {
  return and(
    eq(table.facilityId, facilityId),
    gte(time, range.fromIso),
    lt(time, range.toIsoExclusive),
    cursor ? gt(table.id, cursor) : undefined,
  );
}

export async function checksPage(
  tx: Tx,
  facilityId: string,
  range: InstantRange,
  cursor: string | null,
  limit: number,
): Promise<CheckRow[]> {
  return tx
    .select()
    .from(checks)
    .where(facilityRowsInRange(checks, checks.evaluatedAt, facilityId, range, cursor))
    .orderBy(asc(checks.id))
    .limit(limit);
}

export type TemperatureLogRow = typeof temperatureLogs.$inferSelect;

export async function temperatureLogsPage(
  tx: Tx,
  facilityId: string,
  range: InstantRange,
  cursor: string | null,
  limit: number,
): Promise<TemperatureLogRow[]> {
  return tx
    .select()
    .from(temperatureLogs)
    .where(facilityRowsInRange(temperatureLogs, temperatureLogs.at, facilityId, range, cursor))
    .orderBy(asc(temperatureLogs.id))
    .limit(limit);
}

export type AuditRow = typeof auditLog.$inferSelect;

/** The tenant's audit entries about `facilityId` in the range, in chain order, after `afterSeq`. */
export async function auditPage(
  tx: Tx,
  facilityId: string,
  range: InstantRange,
  afterSeq: number,
  limit: number,
): Promise<AuditRow[]> {
  return tx
    .select()
    .from(auditLog)
    .where(
      and(
        eq(auditLog.target, facilityId),
        gte(auditLog.at, range.fromIso),
        lt(auditLog.at, range.toIsoExclusive),
        gt(auditLog.seq, afterSeq),
      ),
    )
    .orderBy(asc(auditLog.seq))
    .limit(limit);
}

export async function facilityPermits(tx: Tx, facilityId: string) {
  return tx.select().from(permits).where(eq(permits.facilityId, facilityId)).orderBy(asc(permits.position));
}

export async function facilityInspections(tx: Tx, facilityId: string) {
  return tx
    .select()
    .from(inspections)
    .where(eq(inspections.facilityId, facilityId))
    .orderBy(asc(inspections.position));
}

/** Each staff member's credentials (staff in the caller's order, credentials likewise). */
export async function facilityCredentials(tx: Tx, facilityId: string) {
  return tx
    .select({
      staffId: staff.externalId,
      staffName: staff.name,
      role: staff.role,
      hiredAt: staff.hiredAt,
      type: credentials.type,
      issuer: credentials.issuer,
      issuedAt: credentials.issuedAt,
      expiresAt: credentials.expiresAt,
    })
    .from(credentials)
    .innerJoin(staff, eq(credentials.staffId, staff.id))
    .where(eq(staff.facilityId, facilityId))
    .orderBy(asc(staff.position), asc(credentials.position));
}

export interface DatasetProvenance {
  jurisdiction: string;
  version: string;
  contentHash: string;
  source: string;
  fetchedAt: string;
  approvedBy: string | null;
  status: string;
}

/** Where each (jurisdiction, version) came from; versions no longer stored are absent. */
export async function datasetProvenance(
  tx: Tx,
  keys: readonly { jurisdiction: string; version: string }[],
): Promise<DatasetProvenance[]> {
  if (keys.length === 0) return [];
  const rows = await tx
    .select({
      jurisdiction: datasetVersions.jurisdiction,
      version: datasetVersions.version,
      contentHash: datasetVersions.contentHash,
      source: datasetVersions.source,
      fetchedAt: datasetVersions.fetchedAt,
      approvedBy: datasetVersions.approvedBy,
      status: datasetVersions.status,
    })
    .from(datasetVersions)
    .where(
      or(
        ...keys.map((key) =>
          and(eq(datasetVersions.jurisdiction, key.jurisdiction), eq(datasetVersions.version, key.version)),
        ),
      ),
    )
    .orderBy(asc(datasetVersions.jurisdiction), asc(datasetVersions.version));
  return rows;
}

/** Approved or revoked overrides of `jurisdictions` whose window overlaps [from, to] (platform role). */
export async function overridesInEffect(tx: Tx, jurisdictions: readonly string[], from: string, to: string) {
  if (jurisdictions.length === 0) return [];
  return tx
    .select({
      id: datasetOverrides.id,
      jurisdiction: datasetOverrides.jurisdiction,
      action: datasetOverrides.action,
      ruleId: datasetOverrides.ruleId,
      rule: datasetOverrides.rule,
      reason: datasetOverrides.reason,
      effectiveFrom: datasetOverrides.effectiveFrom,
      expiresAt: datasetOverrides.expiresAt,
      status: datasetOverrides.status,
      createdBy: datasetOverrides.createdBy,
      decidedBy: datasetOverrides.decidedBy,
      decidedAt: datasetOverrides.decidedAt,
    })
    .from(datasetOverrides)
    .where(
      and(
        inArray(datasetOverrides.jurisdiction, [...jurisdictions]),
        inArray(datasetOverrides.status, ["approved", "revoked"]),
        lte(datasetOverrides.effectiveFrom, to),
        gt(datasetOverrides.expiresAt, from),
      ),
    )
    .orderBy(asc(datasetOverrides.id));
}
