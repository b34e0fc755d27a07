/**
 * Where an export's files live in R2 (`EVIDENCE_BUCKET`): under the tenant's own prefix, so a
 * key is always built from the authenticated tenant and an export row that tenant can read,
 * never from anything a client sends but a listed file name.
 */
export const evidenceObjectKey = (tenantId: string, exportId: string, fileName: string) =>
  `tenants/${tenantId}/exports/${exportId}/${fileName}`;
