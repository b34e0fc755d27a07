/**
 * Serving an export's file from R2, for the API download and the auditor's share page alike:
 * only files the export's row lists, under the tenant's own prefix.
 */
import type { EvidenceExport } from "../../../db/evidence";
import { evidenceObjectKey } from "../../../evidence/storage";

/** The file as a download, or null when the export lists no such file (or R2 lost it). */
export async function fileResponse(
  bucket: R2Bucket,
  tenantId: string,
  row: EvidenceExport,
  name: string,
): Promise<Response | null> {
  const file = row.status === "ready" ? row.files.find((candidate) => candidate.name === name) : undefined;
  if (!file) return null;
  const object = await bucket.get(evidenceObjectKey(tenantId, row.id, file.name));
  if (!object) return null;
  const base = file.name.split("/").at(-1) ?? file.name;
  return new Response(object.body, {
    headers: {
      "content-type": file.contentType,
      "content-length": String(object.size),
      "content-disposition": `attachment; filename="${row.id}-${base}"`,
      "x-content-sha256": file.sha256,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
