/**
 * A route that needs a plan feature (billing/catalog.ts: `webhooks`, `sms_alerts`…): 403
 * `feature_not_in_plan` (or 402 when the subscription lapsed) before the handler runs.
 */
import { createMiddleware } from "hono/factory";
import type { Entitlement } from "../../billing/entitlements";
import type { AppEnv } from "../context";
import { billingAccount, requireEntitlement } from "../services/billing";

export const requireFeature = (what: Entitlement) =>
  createMiddleware<AppEnv>(async (c, next) => {
    const account = await billingAccount(c.get("services"), c.get("principal").tenantId);
    requireEntitlement(account, what);
    await next();
  });
