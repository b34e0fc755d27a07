/**
 * What the export routes share: an export as the API shows it (file URLs that download with
 * the caller's credentials), the tenant's export found or 404, the entitlement check, the
 * facilities an export or schedule names, a share link's status, and handing a stored export to
 * the tenant object's alarm.
 */
import type { Context } from "hono";
import type { Tx } from "../../../db/client";
import { withTenant, withTenantRead } from "../../../db/client";
import {
  type EvidenceExport,
  existingFacilityIds,
  finishExport,
  getExport,
  type ShareLink,
} from "../../../db/evidence";
import type { AppEnv } from "../../context";
import { notFound, Problem, validationFailed } from "../../http/problem";
import { billingAccount, requireEntitlement } from "../../services/billing";
import { exportRequest } from "../../services/evidence";
import type { Services } from "../../services/services";

export function exportView(c: Context<AppEnv>, row: EvidenceExport) {
  const origin = new URL(c.req.url).origin;
  return {
    id: row.id,
    status: row.status,
    trigger: row.trigger,
    facilityIds: row.facilityIds,
    allFacilities: row.allFacilities,
    from: row.from,
    to: row.to,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    progress: { locationsDone: row.locationsDone, locationsTotal: row.facilityIds.length },
    error: row.error,
    files: row.files.map((file) => ({
      ...file,
      url: `${origin}/v1/exports/${row.id}/files/${file.name}`,
    })),
    manifestSha256: row.manifestSha256,
  };
}

/** The caller's tenant's export, or 404 (another tenant's is indistinguishable from none). */
export async function loadExport(c: Context<AppEnv>, id: string): Promise<EvidenceExport> {
  const tenantId = c.get("principal").tenantId;
  const row = await withTenantRead(c.get("services").db(), tenantId, (tx) => getExport(tx, id));
  if (!row) throw notFound(`Export ${id}`);
  return row;
}

/** 402/403 unless the tenant's plan includes evidence exports (billing/catalog.ts). */
export async function requireExportsEntitlement(services: Services, tenantId: string): Promise<void> {
  requireEntitlement(await billingAccount(services, tenantId), "evidence_exports");
}

/**
 * The tenant's facilities an export or schedule covers: all of them when `requested` is null,
 * otherwise exactly those named — an unknown id is a 422 pointing at it (first 20), never a
 * silently shorter export.
 */
export async function requireKnownFacilities(tx: Tx, requested: readonly string[] | null): Promise<string[]> {
  const facilityIds = await existingFacilityIds(tx, requested);
  if (!requested) return facilityIds;
  const found = new Set(facilityIds);
  const missing = requested.map((id, index) => ({ id, index })).filter(({ id }) => !found.has(id));
  if (missing.length > 0)
    throw validationFailed(
      missing.slice(0, 20).map(({ id, index }) => ({
        pointer: `/facilityIds/${index}`,
        detail: `facility ${id} was not found`,
      })),
    );
  return facilityIds;
}

/** 409 for what needs a ready export (`then`: what the caller may do once it is). */
export function exportNotReady(row: Pick<EvidenceExport, "id" | "status">, then: string): Problem {
  return new Problem({
    status: 409,
    code: "export_not_ready",
    title: "Export not ready",
    detail: `Export ${row.id} is ${row.status}; ${then} once it is ready.`,
  });
}

export function shareStatus(link: ShareLink, now = Date.now()): "active" | "expired" | "revoked" {
  if (link.revokedAt) return "revoked";
  return Date.parse(link.expiresAt) <= now ? "expired" : "active";
}

/**
 * Hands a stored export to the tenant object, which runs it from its alarm. If the object
 * cannot be reached the row is marked failed (never left queued with nothing running it) and
 * the caller gets a 503 to retry.
 */
export async function startExport(services: Services, row: EvidenceExport, tenantId: string): Promise<void> {
  try {
    await services.tenant(tenantId).startExport(exportRequest(row, tenantId));
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        message: "export could not be queued",
        exportId: row.id,
        error: String(error),
      }),
    );
    await withTenant(services.db(), tenantId, (tx) =>
      finishExport(tx, row.id, { error: "the export could not be queued; ask for it again" }),
    );
    throw new Problem({
      status: 503,
      code: "service_unavailable",
      title: "Service unavailable",
      detail: "The export could not be queued. Retry in a minute.",
      headers: { "retry-after": "60" },
    });
  }
}
