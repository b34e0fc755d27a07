/**
 * Schema building blocks shared by several resources: ids, emails, names, roles, verdict
 * statuses, the idempotency header and pagination. Each resource's own request and response
 * schemas live beside its routes, in workers/routes/<resource>/schemas.ts.
 *
 * Schema files import only valibot, compliance/ and each other, so web/ derives its types
 * from them (type-only imports).
 */
import * as v from "valibot";
import { storableString } from "../../compliance";

/** An id of one kind: `prefix_` and a 26-character ULID. */
export const idSchema = (prefix: string, message: string) =>
  v.pipe(v.string(), v.regex(new RegExp(`^${prefix}_[0-9A-Z]{26}$`), message));

export const FacilityIdSchema = idSchema("fac", "must be a facility id (fac_…)");
export const GroupIdSchema = idSchema("grp", "must be a group id (grp_…)");

export const VERDICT_STATUSES = ["compliant", "at_risk", "non_compliant"] as const;
export const VerdictStatusSchema = v.picklist(VERDICT_STATUSES);

export const ROLE_NAMES = ["owner", "admin", "manager", "viewer"] as const;

export const EmailSchema = v.pipe(
  storableString(),
  v.trim(),
  v.toLowerCase(),
  v.email("must be an email address"),
  v.maxLength(254),
);

export const NameSchema = v.pipe(
  storableString(),
  v.trim(),
  v.minLength(1, "must not be empty"),
  v.maxLength(100),
);

/** An OCD division id in a path (OCD ids contain slashes: routes accept them raw or percent-encoded). */
export const OcdIdParamSchema = v.pipe(
  v.string(),
  v.regex(/^ocd-division\/country:[a-z]{2}(\/[a-z_]+:[a-z0-9_~.-]+)*$/, "must be an OCD division id"),
);

export const IdempotencyKeyHeader = v.object({
  "idempotency-key": v.optional(
    v.pipe(v.string(), v.regex(/^[\x21-\x7e]{1,255}$/, "must be 1–255 visible ASCII characters")),
  ),
});

/**
 * `cursor` (the previous page's `nextCursor`: an id with `idPrefix`) and `limit` (1–100) for
 * list routes; spread into a route's query schema.
 */
export function paginationQuery(idPrefix: string, defaultLimit: number) {
  return {
    cursor: v.optional(
      v.pipe(
        v.string(),
        v.regex(new RegExp(`^${idPrefix}_[0-9A-Z]{26}$`), "must be the nextCursor of a previous page"),
      ),
    ),
    limit: v.optional(
      v.pipe(
        v.string(),
        v.regex(/^\d{1,3}$/, "must be a whole number from 1 to 100"),
        v.transform(Number),
        v.minValue(1, "must be a whole number from 1 to 100"),
        v.maxValue(100, "must be a whole number from 1 to 100"),
      ),
      String(defaultLimit),
    ),
  };
}

/** A whole list: `{ data: [...] }`. */
export const listOf = <T extends v.GenericSchema>(item: T) => v.object({ data: v.array(item) });

/** One page of a paginated list: `{ data: [...], nextCursor }` (null on the last page). */
export const pageOf = <T extends v.GenericSchema>(item: T) =>
  v.object({ data: v.array(item), nextCursor: v.nullable(v.string()) });
