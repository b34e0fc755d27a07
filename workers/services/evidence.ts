/**
 * The Worker's side of evidence exports beyond one route: the request the tenant object runs
 * an export from.
 */
import type { EvidenceExport } from "../../db/evidence";
import type { ExportRequest } from "../../durable-objects/evidence-export";

/** What TenantObject.startExport needs to build a stored export. */
export function exportRequest(row: EvidenceExport, tenantId: string): ExportRequest {
  return {
    id: row.id,
    tenantId,
    parameters: {
      facilityIds: row.facilityIds,
      allFacilities: row.allFacilities,
      from: row.from,
      to: row.to,
      trigger: row.trigger,
    },
  };
}
