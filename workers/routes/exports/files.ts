/**
 * Serving an export's files from R2, for the API download and the auditor's share page alike:
 * only files the export's row lists, under the tenant's own prefix — one at a time, or all of
 * them as one streamed zip.
 */
import type { EvidenceExport } from "../../../db/evidence";
import { evidenceObjectKey } from "../../../evidence/storage";
import { MAX_ZIP_FILES, zipStream } from "../../../evidence/zip";

/** Why a ready export cannot be one zip, or null when it can. */
export function zipRefusal(row: EvidenceExport): string | null {
  return row.files.length > MAX_ZIP_FILES
    ? `This export has ${row.files.length} files; a zip holds at most ${MAX_ZIP_FILES}. Download the files one by one (each is listed with its URL), then run prep evidence verify on the folder.`
    : null;
}

/**
 * Every file of a ready export in one zip (folder `<export id>/`), streamed from R2; null when
 * the export is not ready. The caller checks `zipRefusal` first.
 */
export function zipResponse(bucket: R2Bucket, tenantId: string, row: EvidenceExport): Response | null {
  if (row.status !== "ready") return null;
  const body = zipStream(
    row.id,
    row.files.map((file) => file.name),
    async (name) => (await bucket.get(evidenceObjectKey(tenantId, row.id, name)))?.body ?? null,
  );
  return new Response(body, {
    headers: {
      "content-type": "application/zip",
      "content-disposition": `attachment; filename="${row.id}.zip"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}

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
