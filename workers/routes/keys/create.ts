/**
 * POST /v1/keys — create an API key with a name and scopes (default: all) in the caller's
 * mode; the key itself is in this response only. Scope `keys:write`.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { API_KEY_SCOPES, createApiKey } from "../../../db/api-keys";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { NameSchema } from "../../http/schemas";
import { json } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { CreatedKeySchema } from "./schemas";

/** Here rather than in schemas.ts: the scope list lives in db/, which web/ cannot import. */
const CreateKeySchema = v.object({
  name: NameSchema,
  scopes: v.optional(v.pipe(v.array(v.picklist(API_KEY_SCOPES)), v.minLength(1)), [...API_KEY_SCOPES]),
});

export function registerCreateKey(app: App): void {
  app.post(
    "/v1/keys",
    describeRoute({
      tags: ["API keys"],
      summary: "Create an API key; the key is in this response only",
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
}
