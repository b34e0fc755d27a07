/**
 * PATCH /v1/facilities/{id} — change a facility with a JSON merge patch (RFC 7396): fields
 * given replace the stored ones, `address` merges field by field, arrays (permits, staff,
 * inspections, temperatureLogs) are replaced whole, `null` removes an optional field. The
 * merged facility must be valid as a whole; it is re-evaluated and drift is raised.
 * Scope `facilities:write`.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { FacilityInputSchema, toProblems } from "../../../compliance/index";
import { withTenant } from "../../../db/client";
import { loadFacility, replaceFacility } from "../../../db/facility-records";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound, validationFailed } from "../../http/problem";
import { json, validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { requireLocation } from "../../middleware/locations";
import { evaluateToday, facilityBody, notifyTenantObject } from "../../services/facility-evaluation";
import type { App } from "../index";
import { FacilityIdParams, FacilityResponseSchema } from "./schemas";

const PatchSchema = v.pipe(
  v.record(v.string(), v.unknown()),
  v.check((patch) => !("id" in patch) && !("status" in patch), "id and status cannot be changed"),
);

type Json = unknown;

/**
 * A facility nests five levels deep (staff → member → credentials → credential → field); no
 * valid patch goes deeper than this. A deeper one is refused before the (recursive) merge,
 * which a patch nested thousands deep would otherwise drive into a stack overflow.
 */
export const MAX_PATCH_DEPTH = 32;

/** JSON pointer of the first object or array nested deeper than `max`, or null. Iterative: safe at any depth. */
export function tooDeep(value: Json, max: number): string | null {
  const pending: [Json, string, number][] = [[value, "", 0]];
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [node, pointer, depth] = next;
    if (node === null || typeof node !== "object") continue;
    if (depth > max) return pointer;
    for (const [key, child] of Object.entries(node))
      pending.push([child, `${pointer}/${key.replaceAll("~", "~0").replaceAll("/", "~1")}`, depth + 1]);
  }
  return null;
}

/** RFC 7396 JSON merge patch. */
export function mergePatch(target: Json, patch: Json): Json {
  if (patch === null || typeof patch !== "object" || Array.isArray(patch)) return patch;
  const result: Record<string, Json> =
    target !== null && typeof target === "object" && !Array.isArray(target)
      ? { ...(target as Record<string, Json>) }
      : {};
  for (const [key, value] of Object.entries(patch as Record<string, Json>)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key], value);
  }
  return result;
}

export function registerUpdateFacility(app: App): void {
  app.patch(
    "/v1/facilities/:id",
    describeRoute({
      tags: ["Facilities"],
      summary: "Change a facility (JSON merge patch)",
      responses: {
        200: jsonResponse("The changed facility", FacilityResponseSchema),
        ...problemResponses(401, 403, 404, 413, 415, 422),
      },
    }),
    authenticate,
    requireScope("facilities:write"),
    validate("param", FacilityIdParams),
    requireLocation,
    ...json(PatchSchema),
    async (c) => {
      const { id } = c.req.valid("param");
      const patch = c.req.valid("json");
      const deep = tooDeep(patch, MAX_PATCH_DEPTH);
      if (deep !== null)
        throw validationFailed(
          [{ pointer: deep, detail: `is nested more than ${MAX_PATCH_DEPTH} levels deep` }],
          "The patch is nested deeper than any facility field; see errors[].",
        );
      const services = c.get("services");
      const principal = c.get("principal");
      const current = await withTenant(services.db(), principal.tenantId, (tx) => loadFacility(tx, id));
      if (!current) throw notFound(`Facility ${id}`);

      const merged = v.safeParse(FacilityInputSchema, mergePatch(current.facility, patch));
      if (!merged.success) {
        const errors = toProblems(merged.issues).map((p) => ({
          pointer: p.pointer || "/",
          detail: p.message,
        }));
        throw validationFailed(errors, "The facility would be invalid after this change; see errors[].");
      }
      const facility = merged.output;
      const { verdict, evaluated } = await evaluateToday(services, facility);
      const record = await withTenant(services.db(), principal.tenantId, async (tx) => {
        if (!(await replaceFacility(tx, principal.tenantId, id, facility, evaluated))) return null;
        return loadFacility(tx, id);
      });
      if (!record) throw notFound(`Facility ${id}`);
      await notifyTenantObject(services, principal.tenantId, {
        facilityId: id,
        facility,
        verdict,
        cause: "updated",
        evaluatedAt: evaluated.checkedAt,
      });
      return c.json(facilityBody(record));
    },
  );
}
