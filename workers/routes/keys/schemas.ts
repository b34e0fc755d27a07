/**
 * Schemas of /v1/keys responses and paths, and of a key's expiry. The create request's schema
 * stays in create.ts: it is built from the scope list in db/api-keys.ts, which the web app
 * cannot import.
 */
import * as v from "valibot";
import { idSchema } from "../../http/schemas";

/** The longest a key may live when it has an expiry (a key without one lives until revoked). */
export const KEY_MAX_LIFETIME_DAYS = 366;

/** An RFC 3339 timestamp in the future and at most KEY_MAX_LIFETIME_DAYS ahead, normalised to UTC. */
export const KeyExpirySchema = v.pipe(
  v.string(),
  v.isoTimestamp("must be an RFC 3339 timestamp, e.g. 2027-01-31T23:59:59Z"),
  v.transform((at) => new Date(at)),
  // One message, the first that applies (a transformation is skipped once an issue exists).
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const at = dataset.value.getTime();
    if (Number.isNaN(at)) addIssue({ message: "must be a real date and time" });
    else if (at <= Date.now()) addIssue({ message: "must be in the future" });
    else if (at > Date.now() + KEY_MAX_LIFETIME_DAYS * 86_400_000)
      addIssue({ message: `must be at most ${KEY_MAX_LIFETIME_DAYS} days ahead` });
  }),
  v.transform((at) => at.toISOString()),
);

export const KeySummarySchema = v.object({
  id: v.string(),
  name: v.string(),
  prefix: v.string(),
  mode: v.picklist(["live", "test"]),
  scopes: v.array(v.string()),
  createdAt: v.string(),
  revokedAt: v.nullable(v.string()),
  /** Why Prep revoked it (`creator_removed`, `creator_demoted`); null when a person did, or it is active. */
  revokedReason: v.nullable(v.string()),
  /** When it stops working; null = never (until revoked). */
  expiresAt: v.nullable(v.string()),
  /** The user who made it (it lives as long as their membership allows); null for operator-made keys. */
  createdBy: v.nullable(v.string()),
  /** Made by an owner as a service key: it outlives its creator's membership. */
  service: v.boolean(),
});

export const CreatedKeySchema = v.object({ ...KeySummarySchema.entries, key: v.string() });

export const KeyIdParams = v.object({ id: idSchema("key", "must be a key id (key_…)") });
