/**
 * Schemas of /v1/keys responses. Pure valibot (no Worker imports), so web/ derives its
 * types from them too.
 */
import * as v from "valibot";

export const KeySummarySchema = v.object({
  id: v.string(),
  name: v.string(),
  prefix: v.string(),
  mode: v.picklist(["live", "test"]),
  scopes: v.array(v.string()),
  createdAt: v.string(),
  revokedAt: v.nullable(v.string()),
});

export const CreatedKeySchema = v.object({ ...KeySummarySchema.entries, key: v.string() });
