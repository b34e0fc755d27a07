/**
 * What the phone-number routes share (ADR 0021): the user's number with their latest SMS
 * deliveries, the plan gate (`sms_alerts`), and Twilio's configuration as a 503 when absent.
 */
import type { Context } from "hono";
import { recordAudit } from "../../../db/audit";
import { withTenant } from "../../../db/client";
import { type TwilioConfig, twilioConfig } from "../../../notifications/twilio";
import type { AppEnv } from "../../context";
import { Problem } from "../../http/problem";
import { requireFeature } from "../../middleware/entitlement";

/** 403 `feature_not_in_plan` (or 402) unless the tenant's plan includes SMS alerts. */
export const requireSmsFeature = requireFeature("sms_alerts");

export function requireTwilio(c: Context<AppEnv>): TwilioConfig {
  const config = twilioConfig(c.env);
  if (!config)
    throw new Problem({
      status: 503,
      code: "sms_not_configured",
      title: "SMS is not configured",
      detail: "This deployment has no Twilio account (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM).",
    });
  return config;
}

/**
 * Audits a change of the user's SMS number (`phone.verified`, `phone.removed`) with only its
 * last two digits: the log is readable by every admin, the number is personal.
 */
export async function auditPhone(
  c: Context<AppEnv>,
  action: "phone.verified" | "phone.removed",
  phone: string | null,
): Promise<void> {
  const principal = c.get("principal");
  await withTenant(c.get("services").db(), principal.tenantId, (tx) =>
    recordAudit(tx, {
      tenantId: principal.tenantId,
      actor: principal.actorId,
      action,
      target: principal.userId as string,
      detail: { phoneEndsWith: phone ? phone.slice(-2) : null },
    }),
  );
}

export async function phoneView(c: Context<AppEnv>, userId: string) {
  const tenant = c.get("services").tenant(c.get("principal").tenantId);
  const [state, log] = await Promise.all([tenant.getPhone(userId), tenant.smsDeliveries(userId, 10)]);
  return {
    ...state,
    recentDeliveries: log.data.map((d) => ({
      id: d.id,
      eventType: d.eventType,
      status: d.status,
      providerStatus: d.providerStatus ?? null,
      lastError: d.lastError,
      createdAt: d.createdAt,
      deliveredAt: d.deliveredAt,
    })),
  };
}
