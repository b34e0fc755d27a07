/**
 * Manual overrides (prep_admin_ keys only): a rule change that must not wait for the refresh.
 *
 *   POST /v1/admin/overrides                          propose one (pending); validated against the active dataset
 *   GET  /v1/admin/overrides?jurisdiction=&status=    list
 *   GET  /v1/admin/overrides/{id}
 *   POST /v1/admin/overrides/{id}/approve|reject      a second operator decides (approving your own: 403)
 *   POST /v1/admin/overrides/{id}/revoke              take an approved override out of force early
 *
 * Approval and revocation reach checks at once in this isolate and within a minute elsewhere
 * (dataset registry), and the affected tenants re-evaluate (drift sweep).
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { AsOfSchema, applyOverrides } from "../../../compliance/index";
import { loadActiveDatasets } from "../../../db/datasets";
import {
  createOverride,
  type Decision,
  decideOverride,
  getOverride,
  listOverrides,
  loadApprovedOverrides,
} from "../../../db/overrides";
import { sweepDrift } from "../../../pipeline/drift-sweep";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { notFound, Problem, validationFailed } from "../../http/problem";
import { json, validate } from "../../http/validation";
import { workerJobContext } from "../../job-context";
import { authenticateAdmin } from "../../middleware/admin-auth";
import type { App } from "../index";
import { OcdIdSchema } from "./datasets";

const today = () => new Date().toISOString().slice(0, 10);

const CreateSchema = v.pipe(
  v.object({
    jurisdiction: OcdIdSchema,
    action: v.picklist(["replace", "add"], "must be replace or add"),
    ruleId: v.pipe(
      v.string(),
      v.regex(/^[A-Z0-9][A-Z0-9-]{0,59}$/, "must be a rule id (upper-case letters, digits, dashes)"),
    ),
    /** replace: the fields to replace; add: the whole rule. */
    rule: v.record(v.string(), v.unknown()),
    reason: v.pipe(v.string(), v.trim(), v.minLength(1, "must say why"), v.maxLength(2000)),
    effectiveFrom: v.optional(AsOfSchema),
    expiresAt: AsOfSchema,
  }),
  v.forward(
    v.partialCheck(
      [["effectiveFrom"], ["expiresAt"]],
      (o) => o.expiresAt > (o.effectiveFrom ?? today()) && o.expiresAt > today(),
      "must be after effectiveFrom and in the future",
    ),
    ["expiresAt"],
  ),
);
const ListQuery = v.object({
  jurisdiction: v.optional(OcdIdSchema),
  status: v.optional(v.picklist(["pending", "approved", "rejected", "revoked"])),
});
const IdParams = v.object({
  id: v.pipe(v.string(), v.regex(/^ovr_[0-9A-Z]{26}$/, "must be an override id ovr_…")),
});

const tags = ["Admin"];

const DECISION_PROBLEMS = {
  not_found: (id: string) => notFound(`Override ${id}`),
  self_approval: () =>
    new Problem({
      status: 403,
      code: "self_approval",
      title: "Forbidden",
      detail: "An override must be approved by a different operator than the one who created it.",
    }),
  wrong_status: (id: string, status?: string) =>
    new Problem({
      status: 409,
      code: "conflict",
      title: "Conflict",
      detail: `Override ${id} is ${status ?? "in another state"}; this decision does not apply to it.`,
    }),
} as const;

export function registerAdminOverrides(app: App): void {
  app.post(
    "/v1/admin/overrides",
    describeRoute({
      tags,
      summary: "Propose a manual override",
      requestBody: jsonRequestBody(CreateSchema),
      responses: {
        201: jsonResponse("The pending override", v.unknown()),
        ...problemResponses(401, 403, 422),
      },
    }),
    authenticateAdmin,
    ...json(CreateSchema),
    async (c) => {
      const body = c.req.valid("json");
      const db = c.get("services").db();
      const input = { ...body, effectiveFrom: body.effectiveFrom ?? today() };
      // Validate against what checks would see: the active version with the overrides already approved.
      const [active, approved] = await Promise.all([loadActiveDatasets(db), loadApprovedOverrides(db)]);
      const dataset = active.find((a) => a.jurisdiction === input.jurisdiction)?.content;
      if (!dataset)
        throw validationFailed([
          { pointer: "/jurisdiction", detail: `no active dataset for ${input.jurisdiction}` },
        ]);
      const candidate = { id: "ovr_candidate", ...input };
      const applied = applyOverrides(dataset, [...(approved.get(input.jurisdiction) ?? []), candidate]);
      if (!applied.ok) {
        throw validationFailed(
          applied.problems.map((p) => ({ pointer: "/rule", detail: `${p.pointer}: ${p.message}` })),
          "The override would make the dataset invalid; see errors[].",
        );
      }
      const created = await createOverride(db, input, c.get("admin").adminId);
      return c.json(created, 201, { location: `/v1/admin/overrides/${created.id}` });
    },
  );

  app.get(
    "/v1/admin/overrides",
    describeRoute({
      tags,
      summary: "List overrides",
      responses: {
        200: jsonResponse("Overrides, newest first", v.object({ data: v.array(v.unknown()) })),
        ...problemResponses(401, 403, 422),
      },
    }),
    authenticateAdmin,
    validate("query", ListQuery),
    async (c) => c.json({ data: await listOverrides(c.get("services").db(), c.req.valid("query")) }),
  );

  app.get(
    "/v1/admin/overrides/:id",
    describeRoute({
      tags,
      summary: "An override",
      responses: { 200: jsonResponse("The override", v.unknown()), ...problemResponses(401, 403, 404) },
    }),
    authenticateAdmin,
    validate("param", IdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const override = await getOverride(c.get("services").db(), id);
      if (!override) throw notFound(`Override ${id}`);
      return c.json(override);
    },
  );

  for (const decision of ["approve", "reject", "revoke"] as const satisfies readonly Decision[]) {
    app.post(
      `/v1/admin/overrides/:id/${decision}`,
      describeRoute({
        tags,
        summary: `${decision[0]?.toUpperCase()}${decision.slice(1)} an override`,
        responses: {
          200: jsonResponse("The override", v.unknown()),
          ...problemResponses(401, 403, 404, 409),
        },
      }),
      authenticateAdmin,
      validate("param", IdParams),
      async (c) => {
        const { id } = c.req.valid("param");
        const services = c.get("services");
        const result = await decideOverride(services.db(), id, decision, c.get("admin").adminId);
        if (!result.ok) throw DECISION_PROBLEMS[result.reason](id, result.status);
        if (decision !== "reject") {
          services.datasets.invalidate();
          services.background(
            sweepDrift(workerJobContext(c.env, services.db()), {
              jurisdictions: [result.override.jurisdiction],
              reason: `override ${id} ${result.override.status}`,
            }),
          );
        }
        return c.json(result.override);
      },
    );
  }
}
