/**
 * GET /v1/admin/billing — the monetization metrics the roadmap measures, from Prep's own
 * data (platform admins): MRR and ARPU at catalog prices, the state add-on attachment rate,
 * and revenue leakage (checks metered ÷ checks reported to Stripe this period).
 */
import { describeRoute } from "hono-openapi";
import { addOnStates, monthlyPriceCents } from "../../../billing/catalog";
import { listBillingAccounts } from "../../../db/billing";
import { asPlatform } from "../../../db/client";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { billingReach } from "../../job-context";
import { authenticateAdmin } from "../../middleware/admin-auth";
import { billingMode } from "../../services/stripe";
import { AdminBillingSchema } from "../billing/schemas";
import type { App } from "../index";

const HOUR_MS = 3_600_000;
/** Hours younger than this may still be waiting for their report to Stripe. */
const REPORT_GRACE_MS = 2 * HOUR_MS;

export function registerAdminBilling(app: App): void {
  app.get(
    "/v1/admin/billing",
    describeRoute({
      tags: ["Admin"],
      summary: "MRR, ARPU, state add-on attachment and revenue leakage",
      responses: { 200: jsonResponse("Billing metrics", AdminBillingSchema), ...problemResponses(401, 403) },
    }),
    authenticateAdmin,
    async (c) => {
      const accounts = await asPlatform(c.get("services").db(), listBillingAccounts);
      const byStatus = { trialing: 0, active: 0, past_due: 0, canceled: 0 };
      for (const account of accounts) byStatus[account.status]++;
      const paying = accounts.filter((a) => a.status === "active" || a.status === "past_due");
      const mrrCents = paying.reduce((sum, a) => sum + monthlyPriceCents(a.plan, a.states), 0);
      const attached = paying.filter((a) => addOnStates(a.plan, a.states).length > 0).length;

      let metered = 0;
      let reported = 0;
      const reach = billingReach(c.env);
      const now = Date.now();
      if (reach) {
        for (const account of paying) {
          if (!account.stripeSubscriptionId || !account.periodStart) continue;
          const fromMs = Math.floor(Date.parse(account.periodStart) / HOUR_MS) * HOUR_MS;
          const toMs = Math.floor((now - REPORT_GRACE_MS) / HOUR_MS) * HOUR_MS;
          if (toMs <= fromMs) continue;
          const [m, r] = await Promise.all([
            reach.metered(account.tenantId, fromMs, toMs),
            reach.reported(account.tenantId, fromMs, toMs),
          ]);
          metered += m;
          reported += r.reported;
        }
      }
      return c.json({
        asOf: new Date(now).toISOString(),
        mode: billingMode(c.env),
        tenants: { total: accounts.length, byStatus, paying: paying.length },
        mrrCents,
        arpuCents: paying.length ? Math.round(mrrCents / paying.length) : 0,
        stateAddOnAttachmentRate: paying.length ? attached / paying.length : 0,
        leakage: { metered, reported, ratio: reported > 0 ? metered / reported : null },
      });
    },
  );
}
