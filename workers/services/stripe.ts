/**
 * Which way this deployment bills: `stripe` with a secret key, else `local` (plans set by the
 * operator CLI and the web app's plan page; usage metered; no Stripe call is ever made).
 */
import type { Env } from "../env";

export type BillingMode = "local" | "stripe";

export function billingMode(env: Pick<Env, "STRIPE_SECRET_KEY">): BillingMode {
  return env.STRIPE_SECRET_KEY ? "stripe" : "local";
}
