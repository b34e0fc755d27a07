/**
 * POST /v1/webhooks/{id}/secret/rotate — a new signing secret (shown once). The old one
 * keeps signing beside it for `overlapSeconds` (default 24 h, at most 7 days): each delivery
 * then carries both signatures, so a receiver verifies with either while it switches.
 * Scope `webhooks:write`.
 */
import { describeRoute } from "hono-openapi";
import { DEFAULT_ROTATION_OVERLAP_MS } from "../../../notifications/webhooks";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { optionalJson, validate } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import type { App } from "../index";
import { RotatedSecretSchema, RotateSecretSchema, WebhookIdParams } from "./schemas";
import { endpointNotFound, WEBHOOK_SCOPE } from "./shared";

export function registerRotateWebhookSecret(app: App): void {
  app.post(
    "/v1/webhooks/:id/secret/rotate",
    describeRoute({
      tags: ["Webhooks"],
      summary: "Rotate an endpoint's signing secret (old and new both sign during the overlap)",
      requestBody: { ...jsonRequestBody(RotateSecretSchema), required: false },
      responses: {
        200: jsonResponse("The new secret, shown once", RotatedSecretSchema),
        ...problemResponses(401, 403, 404, 415, 422),
      },
    }),
    authenticate,
    requireScope(WEBHOOK_SCOPE),
    validate("param", WebhookIdParams),
    ...optionalJson(RotateSecretSchema),
    async (c) => {
      const { id } = c.req.valid("param");
      const body = c.req.valid("json");
      const overlapMs =
        body.overlapSeconds === undefined ? DEFAULT_ROTATION_OVERLAP_MS : body.overlapSeconds * 1_000;
      const rotated = await c
        .get("services")
        .tenant(c.get("principal").tenantId)
        .rotateWebhookSecret(id, overlapMs);
      if (!rotated) throw endpointNotFound(id);
      return c.json(rotated);
    },
  );
}
