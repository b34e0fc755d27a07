/**
 * What the billing routes that change a subscription share: only a signed-in owner may
 * (not admins, not API keys: buying is the owner's decision); the problems of local mode and
 * of Stripe being unreachable; where the browser comes back to.
 */
import type { Context } from "hono";
import type { AppEnv } from "../../context";
import { Problem } from "../../http/problem";
import { requireOwnerTo } from "../../middleware/owner";

export const requireOwner = requireOwnerTo("change the plan or billing");

/** 409: this deployment has no Stripe keys; the plan page sets plans directly. */
export const localBilling = () =>
  new Problem({
    status: 409,
    code: "local_billing",
    title: "Billing is local",
    detail:
      "This deployment has no Stripe keys: set the plan with PUT /v1/billing/plan (the Billing page does).",
  });

/** 503: Stripe could not be reached or refused; nothing changed here. */
export function stripeUnavailable(error: unknown): Problem {
  console.error(JSON.stringify({ level: "error", message: "stripe request failed", error: String(error) }));
  return new Problem({
    status: 503,
    code: "stripe_unavailable",
    title: "Stripe unavailable",
    detail: "Stripe did not complete the request; nothing was changed. Try again in a minute.",
    headers: { "retry-after": "60" },
  });
}

/** Where Checkout and the portal send the browser back: the web app's origin. */
export const appOrigin = (c: Context<AppEnv>) => c.env.APP_ORIGIN || new URL(c.req.url).origin;
