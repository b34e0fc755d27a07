/**
 * GET /v1/billing — the tenant's plan, states and add-ons, this period's usage against what
 * is included (per day, for the chart) and the next invoice's estimate. Scope
 * `billing:read` (owners, admins, and keys granted it).
 */
import { describeRoute } from "hono-openapi";
import { addOnStates, monthlyPriceCents, overageCents, PLANS, STATE_ADD_ON } from "../../../billing/catalog";
import {
  type BillingAccount,
  coversEveryState,
  currentPeriod,
  entitled,
  includedChecks,
} from "../../../billing/entitlements";
import type { Env } from "../../env";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { authenticate, requireScope } from "../../middleware/auth";
import { billingAccount } from "../../services/billing";
import type { Services } from "../../services/services";
import { billingMode } from "../../services/stripe";
import type { App } from "../index";
import { usageSeries } from "../usage/get";
import { BillingSchema } from "./schemas";

const HOUR_MS = 3_600_000;

export function registerGetBilling(app: App): void {
  app.get(
    "/v1/billing",
    describeRoute({
      tags: ["Billing"],
      summary: "Plan, states, add-ons and this period's usage",
      description:
        "`usage.used` counts this period's billable checks (the meters' hourly counters, so the period is rounded out to whole hours); `overage` is what exceeds `included`. `estimate` prices the next invoice from the catalog. `mode` is `local` when the deployment has no Stripe keys: nothing is charged.",
      responses: { 200: jsonResponse("The billing overview", BillingSchema), ...problemResponses(401, 403) },
    }),
    authenticate,
    requireScope("billing:read"),
    async (c) => {
      const services = c.get("services");
      const account = await billingAccount(services, c.get("principal").tenantId);
      return c.json(await billingOverview(services, c.env, account));
    },
  );
}

/** The overview GET /v1/billing answers (and the routes that change the plan answer after). */
export async function billingOverview(services: Services, env: Env, account: BillingAccount) {
  const plan = PLANS[account.plan];
  const period = currentPeriod(account);
  const fromMs = Math.floor(Date.parse(period.from) / HOUR_MS) * HOUR_MS;
  const toMs = Math.ceil(Date.parse(period.to) / HOUR_MS) * HOUR_MS;
  const rows = await services.meters(account.tenantId).usage({ fromMs, toMs, granularity: "day" });
  const { total, series } = usageSeries(rows, fromMs, toMs, "day");
  const included = includedChecks(account);
  const trialing = account.status === "trialing";
  const addOns = trialing ? [] : addOnStates(account.plan, account.states);
  const subscriptionCents = trialing ? 0 : monthlyPriceCents(account.plan, account.states);
  const overage = trialing ? 0 : overageCents(account.plan, total);
  return {
    status: account.status,
    mode: billingMode(env),
    checksAllowed: entitled(account, "checks"),
    plan: {
      id: plan.id,
      name: plan.name,
      monthlyCents: plan.monthlyCents,
      includedStates: plan.includedStates,
      maxLocations: plan.maxLocations,
      features: [...plan.features],
    },
    states: coversEveryState(account) ? ["*"] : account.states,
    addOns: addOns.map((state) => ({
      state,
      name: `${STATE_ADD_ON.name}: ${state}`,
      monthlyCents: STATE_ADD_ON.monthlyCents,
    })),
    trialEndsAt: account.trialEndsAt,
    pastDueSince: account.pastDueSince,
    period,
    usage: {
      included,
      used: total,
      overage: Math.max(0, total - included),
      daily: series.map(({ start, count }) => ({ start, count })),
    },
    estimate: { subscriptionCents, overageCents: overage, totalCents: subscriptionCents + overage },
  };
}
