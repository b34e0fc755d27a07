/**
 * POST /v1/billing/portal — a Stripe Customer Portal session for payment methods, invoices
 * and cancellation. Owners only; 409 in local mode or before the first Checkout.
 */
import { describeRoute } from "hono-openapi";
import { loadBillingAccount } from "../../../db/billing";
import { withTenant } from "../../../db/client";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { authenticate, requireScope } from "../../middleware/auth";
import { stripeClient } from "../../services/stripe";
import type { App } from "../index";
import { PortalAnswerSchema } from "./schemas";
import { appOrigin, localBilling, requireOwner, stripeUnavailable } from "./shared";

export function registerPortal(app: App): void {
  app.post(
    "/v1/billing/portal",
    describeRoute({
      tags: ["Billing"],
      summary: "Open the Stripe Customer Portal",
      responses: {
        200: jsonResponse("The portal's URL", PortalAnswerSchema),
        ...problemResponses(401, 403, 409, 503),
      },
    }),
    authenticate,
    requireScope("billing:read"),
    requireOwner,
    async (c) => {
      const stripe = stripeClient(c.env);
      if (!stripe) throw localBilling();
      const tenantId = c.get("principal").tenantId;
      const account = await withTenant(c.get("services").db(), tenantId, (tx) =>
        loadBillingAccount(tx, tenantId),
      );
      if (!account?.stripeCustomerId) {
        throw new Problem({
          status: 409,
          code: "no_subscription",
          title: "No subscription yet",
          detail: "Subscribe first (POST /v1/billing/checkout); the portal manages an existing subscription.",
        });
      }
      try {
        const session = await stripe.billingPortal.sessions.create({
          customer: account.stripeCustomerId,
          return_url: `${appOrigin(c)}/billing`,
        });
        return c.json({ url: session.url });
      } catch (error) {
        throw stripeUnavailable(error);
      }
    },
  );
}
