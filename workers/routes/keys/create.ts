/**
 * POST /v1/keys — create an API key with a name, scopes (default: all), an optional expiry
 * (`expiresAt`, at most a year ahead) in the caller's mode; the key itself is in this response
 * only. The key belongs to the user who made it (or to the user behind the key that made it):
 * removing them from the team, or a role that may no longer hold its scopes, revokes it —
 * unless an owner made it with `service: true`. Scope `keys:write`.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { API_KEY_SCOPES, createApiKey, keyCreator } from "../../../db/api-keys";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { NameSchema } from "../../http/schemas";
import { json } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { CreatedKeySchema, KeyExpirySchema } from "./schemas";

/** Here rather than in schemas.ts: the scope list lives in db/, which web/ cannot import. */
const CreateKeySchema = v.object({
  name: NameSchema,
  scopes: v.optional(v.pipe(v.array(v.picklist(API_KEY_SCOPES)), v.minLength(1)), [...API_KEY_SCOPES]),
  expiresAt: v.optional(KeyExpirySchema),
  service: v.optional(v.boolean(), false),
});

const serviceKeysAreForOwners = () =>
  new Problem({
    status: 403,
    code: "owner_only",
    title: "Forbidden",
    detail:
      "Only an owner, signed in to the web app, can create a service key (one that outlives its creator).",
  });

export function registerCreateKey(app: App): void {
  app.post(
    "/v1/keys",
    describeRoute({
      tags: ["API keys"],
      summary: "Create an API key; the key is in this response only",
      requestBody: jsonRequestBody(CreateKeySchema),
      responses: {
        201: jsonResponse("The new key", CreatedKeySchema),
        ...problemResponses(401, 403, 415, 422),
      },
    }),
    authenticate,
    requireScope("keys:write"),
    ...json(CreateKeySchema),
    async (c) => {
      const body = c.req.valid("json");
      const principal = c.get("principal");
      if (body.service && principal.role !== "owner") throw serviceKeysAreForOwners();
      const created = await withTenant(c.get("services").db(), principal.tenantId, async (tx) => {
        // A key made with a key belongs to whoever the making key belongs to.
        const createdBy = principal.userId ?? (await keyCreator(tx, principal.actorId));
        const key = await createApiKey(tx, {
          tenantId: principal.tenantId,
          name: body.name,
          mode: principal.mode,
          scopes: body.scopes,
          expiresAt: body.expiresAt,
          createdBy,
          service: body.service,
        });
        await recordAudit(tx, {
          tenantId: principal.tenantId,
          actor: principal.actorId,
          action: "api_key.created",
          target: key.id,
          detail: { name: key.name, scopes: key.scopes, expiresAt: key.expiresAt, service: key.service },
        });
        return key;
      });
      return c.json({ ...created, revokedAt: null, revokedReason: null }, 201);
    },
  );
}
