/**
 * Schemas of /v1/keys responses and paths. The create request's schema stays in create.ts:
 * it is built from the scope list in db/api-keys.ts, which the web app cannot import.
 */
import * as v from "valibot";
import { idSchema } from "../../http/schemas";

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

export const KeyIdParams = v.object({ id: idSchema("key", "must be a key id (key_…)") });
