/**
 * POST /v1/billing/stripe/webhook — Stripe's events. The signature is verified on the raw
 * body (`constructEventAsync` with SubtleCrypto); each event is applied once (its id is a
 * row in the same transaction as its effect); the payload's order is never trusted: the
 * subscription is fetched from Stripe and its current state applied. A duplicate answers
 * 200; only a permanent error (bad signature, not JSON) answers 4xx; Stripe being
 * unreachable answers 503 so Stripe delivers again.
 */
import { describeRoute } from "hono-openapi";
import * as v from "valibot";
import { Stripe } from "../../../billing/stripe";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { notFound, Problem } from "../../http/problem";
import { type Applied, applySubscription, stripeClient } from "../../services/stripe";
import type { App } from "../index";

const WebhookAnswerSchema = v.object({
  received: v.literal(true),
  outcome: v.picklist(["applied", "duplicate", "ignored"]),
});

/** The subscription an event is about, if any. */
function subscriptionOf(event: Stripe.Event): string | null {
  const object = event.data.object as unknown as Record<string, unknown>;
  if (event.type.startsWith("customer.subscription.")) return object.id as string;
  if (event.type === "checkout.session.completed") {
    const subscription = object.subscription;
    return typeof subscription === "string"
      ? subscription
      : ((subscription as { id?: string } | null)?.id ?? null);
  }
  if (event.type.startsWith("invoice.")) {
    const parent = object.parent as { subscription_details?: { subscription?: unknown } } | null;
    const subscription = parent?.subscription_details?.subscription;
    return typeof subscription === "string"
      ? subscription
      : ((subscription as { id?: string } | null)?.id ?? null);
  }
  return null;
}

export function registerStripeWebhook(app: App): void {
  app.post(
    "/v1/billing/stripe/webhook",
    describeRoute({
      tags: ["Billing"],
      summary: "Stripe webhook endpoint",
      description:
        "Called by Stripe, signed with the endpoint's secret (`Stripe-Signature`). Subscription, invoice, checkout and meter error events.",
      responses: {
        200: jsonResponse("Received (applied, a duplicate, or nothing to apply)", WebhookAnswerSchema),
        ...problemResponses(400, 404, 503),
      },
    }),
    async (c) => {
      const stripe = stripeClient(c.env);
      const secret = c.env.STRIPE_WEBHOOK_SECRET;
      if (!stripe || !secret) throw notFound("A Stripe webhook endpoint (this deployment bills locally)");
      const payload = await c.req.text();
      let event: Stripe.Event;
      try {
        event = await stripe.webhooks.constructEventAsync(
          payload,
          c.req.header("stripe-signature") ?? "",
          secret,
          undefined,
          Stripe.createSubtleCryptoProvider(),
        );
      } catch (error) {
        throw new Problem({
          status: 400,
          code: "invalid_signature",
          title: "Invalid signature",
          detail: `The Stripe-Signature header does not verify this body: ${(error as Error).message}`,
        });
      }
      const answer = (outcome: Applied["kind"]) => c.json({ received: true as const, outcome });
      // Meter errors arrive as `v1.billing.meter.error_report_triggered` (a thin event of
      // Stripe's v2 event destinations); nothing to apply, but an operator must see them.
      if (String(event.type).endsWith("billing.meter.error_report_triggered")) {
        console.error(
          JSON.stringify({
            level: "error",
            message: "stripe meter error report",
            eventId: event.id,
            data: event.data?.object ?? event,
          }),
        );
        return answer("ignored");
      }
      const subscriptionId = subscriptionOf(event);
      if (!subscriptionId) return answer("ignored");
      let subscription: Stripe.Subscription;
      try {
        subscription = await stripe.subscriptions.retrieve(subscriptionId);
      } catch (error) {
        if (error instanceof Stripe.errors.StripeInvalidRequestError && error.statusCode === 404) {
          return answer("ignored");
        }
        throw new Problem({
          status: 503,
          code: "stripe_unavailable",
          title: "Stripe unavailable",
          detail: "Stripe could not be asked for the subscription; deliver the event again.",
          headers: { "retry-after": "60" },
        });
      }
      const applied = await applySubscription(c.get("services"), event, subscription, c.env);
      return answer(applied.kind);
    },
  );
}
