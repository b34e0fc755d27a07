/**
 * What the webhook routes share: the scope and plan gate (the `webhooks` feature of
 * billing/catalog.ts), the SSRF check of a URL as a 422, and the endpoint lookup as a 404
 * (also for another tenant's: endpoints live in each tenant's own object).
 */
import type { Context } from "hono";
import { checkWebhookUrl } from "../../../notifications/url-safety";
import type { AppEnv } from "../../context";
import { notFound, validationFailed } from "../../http/problem";
import { requireFeature } from "../../middleware/entitlement";

export const WEBHOOK_SCOPE = "webhooks:write";

/** 403 `feature_not_in_plan` (or 402) unless the tenant's plan includes webhooks. */
export const requireWebhooksFeature = requireFeature("webhooks");

/** 422 at `/url` when the deployment may not send there (production: HTTPS, public addresses only). */
export async function assertDeliverableUrl(c: Context<AppEnv>, url: string): Promise<void> {
  const verdict = await checkWebhookUrl(url, c.env.PREP_ENV);
  if (!verdict.ok) {
    const detail = `The URL ${verdict.reason}.`;
    throw validationFailed([{ pointer: "/url", detail }], detail);
  }
}

export const endpointNotFound = (id: string) => notFound(`Webhook endpoint ${id}`);
