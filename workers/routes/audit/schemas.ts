/** Schemas of the audit-log routes (GET /v1/audit-log and GET /v1/admin/audit-log). */
import * as v from "valibot";
import { paginationQuery } from "../../http/schemas";

export const AuditLogEntrySchema = v.object({
  id: v.string(),
  /** Position in the hash chain, from 1. */
  seq: v.number(),
  at: v.string(),
  actor: v.string(),
  action: v.string(),
  target: v.nullable(v.string()),
  detail: v.nullable(v.record(v.string(), v.unknown())),
  /** The previous entry's hash (64 zeros for the first). */
  prevHash: v.string(),
  /** SHA-256 (hex) of the entry's canonical serialisation, prev_hash included. */
  hash: v.string(),
});

export const AuditLogQuery = v.object({
  ...paginationQuery("aud", 50),
  /** `csv` exports instead of a JSON page (so does `Accept: text/csv`). */
  format: v.optional(v.picklist(["json", "csv"], "must be json or csv")),
});
