/**
 * /v1/keys — list, create (the key is shown once) and revoke the tenant's API keys.
 * Requires the `keys:write` scope for every method: key management is an admin act.
 */
import { describeRoute, resolver } from "hono-openapi";
import * as v from "valibot";
import { API_KEY_SCOPES, createApiKey, listApiKeys, revokeApiKey } from "../../../db/api-keys";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { CreatedKeySchema, KeySummarySchema } from "../../http/key-schemas";
import { problemResponses } from "../../http/openapi";
import { notFound } from "../../http/problem";
import { json, validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";

const CreateKeySchema = v.object({
  name: v.pipe(v.string(), v.trim(), v.minLength(1), v.maxLength(100)),
  scopes: v.optional(v.pipe(v.array(v.picklist(API_KEY_SCOPES)), v.minLength(1)), [...API_KEY_SCOPES]),
});

const KeyIdParams = v.object({
  id: v.pipe(v.string(), v.regex(/^key_[0-9A-Z]{26}$/, "must be a key id (key_…)")),
});

export function registerApiKeys(app: App): void {
  app.get(
    "/v1/keys",
    describeRoute({
      tags: ["API keys"],
      summary: "List API keys (secrets are never shown again)",
      responses: {
        200: {
          description: "Keys",
          content: {
            "application/json": { schema: resolver(v.object({ data: v.array(KeySummarySchema) })) },
          },
        },
        ...problemResponses(401, 403),
      },
    }),
    authenticate,
    requireScope("keys:write"),
    async (c) => {
      const keys = await listApiKeys(c.get("services").db(), c.get("principal").tenantId);
      return c.json({ data: keys });
    },
  );

  app.post(
    "/v1/keys",
    describeRoute({
      tags: ["API keys"],
      summary: "Create an API key; the key is in this response only",
      responses: {
        201: {
          description: "The new key",
          content: { "application/json": { schema: resolver(CreatedKeySchema) } },
        },
        ...problemResponses(401, 403, 415, 422),
      },
    }),
    authenticate,
    requireScope("keys:write"),
    ...json(CreateKeySchema),
    async (c) => {
      const body = c.req.valid("json");
      const principal = c.get("principal");
      const created = await withTenant(c.get("services").db(), principal.tenantId, async (tx) => {
        const key = await createApiKey(tx, {
          tenantId: principal.tenantId,
          name: body.name,
          mode: principal.mode,
          scopes: body.scopes,
        });
        await recordAudit(tx, {
          tenantId: principal.tenantId,
          actor: principal.actorId,
          action: "api_key.created",
          target: key.id,
          detail: { name: key.name, scopes: key.scopes },
        });
        return key;
      });
      return c.json({ ...created, revokedAt: null }, 201);
    },
  );

  app.delete(
    "/v1/keys/:id",
    describeRoute({
      tags: ["API keys"],
      summary: "Revoke an API key (effective within 60 seconds everywhere)",
      responses: { 204: { description: "Revoked" }, ...problemResponses(401, 403, 404, 422) },
    }),
    authenticate,
    requireScope("keys:write"),
    validate("param", KeyIdParams),
    async (c) => {
      const { id } = c.req.valid("param");
      const principal = c.get("principal");
      const revoked = await withTenant(c.get("services").db(), principal.tenantId, async (tx) => {
        const found = await revokeApiKey(tx, id);
        if (found) {
          await recordAudit(tx, {
            tenantId: principal.tenantId,
            actor: principal.actorId,
            action: "api_key.revoked",
            target: id,
          });
        }
        return found;
      });
      if (!revoked) throw notFound(`API key ${id}`);
      // This isolate forgets at once; others within the cache TTL.
      c.get("services").apiKeys.forget();
      return c.body(null, 204);
    },
  );
}
