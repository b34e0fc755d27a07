/**
 * Schemas of /v1/webhooks: outbound webhook endpoints (Standard Webhooks), their secrets and
 * their delivery log.
 */
import * as v from "valibot";
import { storableString } from "../../../compliance";
import { EVENT_TYPES } from "../../../notifications/events";
import { idSchema, pageOf, paginationQuery } from "../../http/schemas";

export const WebhookIdSchema = idSchema("whk", "must be a webhook endpoint id (whk_…)");
export const DeliveryIdSchema = idSchema("dlv", "must be a delivery id (dlv_…)");

const EventTypeSchema = v.picklist(EVENT_TYPES, `must be one of: ${EVENT_TYPES.join(", ")}`);
const Events = v.pipe(
  v.array(EventTypeSchema),
  v.minLength(1, "subscribe to at least one event type"),
  v.maxLength(EVENT_TYPES.length),
  v.check((events) => new Set(events).size === events.length, "lists an event type twice"),
);
/** Also the partner API's endpoints (workers/routes/partner/webhooks.ts). */
export const UrlSchema = v.pipe(
  storableString(),
  v.trim(),
  v.maxLength(2048),
  v.url("must be an absolute URL"),
);
const Description = v.nullable(v.pipe(storableString(), v.trim(), v.maxLength(200)));

export const CreateWebhookSchema = v.object({
  url: UrlSchema,
  events: Events,
  description: v.optional(Description, null),
});

export const UpdateWebhookSchema = v.object({
  url: v.optional(UrlSchema),
  events: v.optional(Events),
  description: v.optional(Description),
  /** true re-enables an endpoint disabled after persistent failure; false pauses it. */
  enabled: v.optional(v.boolean()),
});

export const RotateSecretSchema = v.object({
  /** How long the old secret keeps signing: 0 (at once) to 7 days; default 24 h. */
  overlapSeconds: v.optional(
    v.pipe(v.number(), v.integer("must be whole seconds"), v.minValue(0), v.maxValue(7 * 86_400)),
  ),
});

export const WebhookSchema = v.object({
  id: v.string(),
  url: v.string(),
  events: v.array(v.string()),
  description: v.nullable(v.string()),
  enabled: v.boolean(),
  disabledReason: v.nullable(v.string()),
  createdAt: v.string(),
  failingSince: v.nullable(v.string()),
  previousSecretExpiresAt: v.nullable(v.string()),
});

export const CreatedWebhookSchema = v.object({
  ...WebhookSchema.entries,
  /** `whsec_…`: shown once. */
  secret: v.string(),
});

export const RotatedSecretSchema = v.object({ secret: v.string(), previousSecretExpiresAt: v.string() });

export const DeliverySchema = v.object({
  id: v.string(),
  eventId: v.string(),
  eventType: v.string(),
  channel: v.string(),
  target: v.string(),
  status: v.picklist(["pending", "delivered", "failed", "canceled", "skipped"]),
  attempts: v.number(),
  nextAttemptAt: v.nullable(v.string()),
  lastResponseStatus: v.nullable(v.number()),
  lastError: v.nullable(v.string()),
  createdAt: v.string(),
  deliveredAt: v.nullable(v.string()),
  attemptLog: v.optional(
    v.array(
      v.object({
        attempt: v.number(),
        at: v.string(),
        ok: v.boolean(),
        responseStatus: v.nullable(v.number()),
        error: v.nullable(v.string()),
        durationMs: v.number(),
      }),
    ),
  ),
});
export const DeliveryPageSchema = pageOf(DeliverySchema);

export const WebhookIdParams = v.object({ id: WebhookIdSchema });
export const DeliveryParams = v.object({ id: WebhookIdSchema, deliveryId: DeliveryIdSchema });
export const DeliveryListQuery = v.object({ ...paginationQuery("dlv", 25) });
