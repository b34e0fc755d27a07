/**
 * Schema of GET /v1/me: who the calling API key (or session) is.
 */
import * as v from "valibot";

export const MeSchema = v.object({
  tenantId: v.string(),
  keyId: v.string(),
  mode: v.picklist(["live", "test"]),
  scopes: v.array(v.string()),
});
