/**
 * PUT /v1/billing/plan — local mode's plan page: the owner picks a plan and states and it
 * applies at once (nothing is charged; the deployment has no Stripe keys). With Stripe the
 * same change goes through Checkout (POST /v1/billing/checkout) and answers 409 here.
 */
import { describeRoute } from "hono-openapi";
import { loadBillingAccount, updateBillingAccount } from "../../../db/billing";
import { withTenant } from "../../../db/client";
import { enqueueProductEvents } from "../../../runtime/analytics-outbox";
import { jsonRequestBody, jsonResponse, problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { json } from "../../http/validation";
import { authenticate, requireScope } from "../../middleware/auth";
import { billingChangeEvents, drainAnalyticsSoon } from "../../services/analytics";
import { announceBillingChange } from "../../services/billing";
import { billingMode } from "../../services/stripe";
import type { App } from "../index";
import { billingOverview } from "./get";
import { BillingSchema, SetPlanSchema } from "./schemas";
import { requireOwner } from "./shared";

export function registerSetPlan(app: App): void {
  app.put(
    "/v1/billing/plan",
    describeRoute({
      tags: ["Billing"],
      summary: "Set the plan and states (local mode)",
      requestBody: jsonRequestBody(SetPlanSchema),
      responses: {
        200: jsonResponse("The billing overview after the change", BillingSchema),
        ...problemResponses(401, 403, 409, 415, 422),
      },
    }),
    authenticate,
    requireScope("billing:read"),
    requireOwner,
    ...json(SetPlanSchema),
    async (c) => {
      if (billingMode(c.env) === "stripe") {
        throw new Problem({
          status: 409,
          code: "billing_managed_by_stripe",
          title: "Billing is managed by Stripe",
          detail: "This deployment bills through Stripe: change the plan with POST /v1/billing/checkout.",
        });
      }
      const body = c.req.valid("json");
      const services = c.get("services");
      const principal = c.get("principal");
      const account = await withTenant(services.db(), principal.tenantId, async (tx) => {
        const before = await loadBillingAccount(tx, principal.tenantId);
        const after = await updateBillingAccount(
          tx,
          principal.tenantId,
          { plan: body.plan, status: "active", states: body.states, pastDueSince: null, trialEndsAt: null },
          principal.actorId,
        );
        // Product analytics and the notification with the change itself (one occurrence per request).
        if (before && after) {
          const occurrence = crypto.randomUUID();
          await enqueueProductEvents(tx, billingChangeEvents(before, after, occurrence, principal.userId));
          await announceBillingChange(services, before, after, `plan:${occurrence}`);
        }
        return after;
      });
      if (!account) throw new Error("the signed-in tenant vanished");
      await services.billing.publish(account);
      drainAnalyticsSoon(services, c.env);
      return c.json(await billingOverview(services, c.env, account));
    },
  );
}
