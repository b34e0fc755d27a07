/**
 * Billing (owners and admins): the plan, states and add-ons, this period's checks against
 * what is included (a chart), the next invoice's estimate, and — for the owner — changing
 * the plan (Stripe Checkout, or at once in local mode) and managing billing (Stripe's portal).
 * A banner says when the trial, a late payment or a cancellation affects checks.
 */
import { useState } from "preact/hooks";
import { ApiError, api } from "../api/client";
import type { Billing as BillingBody, CheckoutAnswer, PortalAnswer } from "../api/types";
import { DailyChart } from "../components/DailyChart";
import { ErrorNotice, Field, formValues, Loading } from "../components/ui";
import { formatDate } from "../format";
import { useResource } from "../hooks/useResource";
import { useSession } from "../session";

const PLANS = [
  { id: "starter", name: "Starter" },
  { id: "growth", name: "Growth" },
  { id: "enterprise", name: "Enterprise" },
] as const;

const dollars = (cents: number) =>
  (cents / 100).toLocaleString("en-US", { style: "currency", currency: "USD" });

function Banner({ billing }: { billing: BillingBody }) {
  if (billing.status === "trialing") {
    return (
      <p class="banner" role="status">
        Free trial{billing.trialEndsAt ? ` until ${formatDate(billing.trialEndsAt)}` : ""}: every state and
        feature.{" "}
        {billing.checksAllowed
          ? "Choose a plan to keep checking after it ends."
          : "The trial has ended: choose a plan to run checks again."}
      </p>
    );
  }
  if (billing.status === "past_due") {
    return (
      <p class="banner banner-warn" role="alert">
        Payment is past due{billing.pastDueSince ? ` since ${formatDate(billing.pastDueSince)}` : ""}.{" "}
        {billing.checksAllowed
          ? "Checks keep working for the grace period: update the payment method."
          : "Checks are paused until the payment method is updated."}
      </p>
    );
  }
  if (billing.status === "canceled") {
    return (
      <p class="banner banner-warn" role="alert">
        The subscription is canceled: checks are paused, your data stays readable. Subscribe again below.
      </p>
    );
  }
  return null;
}

function UsageChart({ billing }: { billing: BillingBody }) {
  const { daily, used, included } = billing.usage;
  return (
    <figure>
      <meter min={0} max={included} value={used} aria-label="Checks used of included">
        {used} of {included}
      </meter>
      <DailyChart days={daily} label="Checks per day this period" height={160} />
      <figcaption class="muted">Checks per day this period (UTC).</figcaption>
    </figure>
  );
}

export function Billing() {
  const billing = useResource<BillingBody>("/v1/billing");
  const session = useSession();
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string>();
  if (billing.loading && !billing.data) return <Loading what="billing" />;
  if (billing.error || !billing.data)
    return billing.error ? <ErrorNotice error={billing.error} retry={billing.reload} /> : null;
  const data = billing.data;
  const owner = session.user.role === "owner";
  const local = data.mode === "local";

  const run = async (work: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    setNotice(undefined);
    try {
      await work();
    } catch (e) {
      if (e instanceof ApiError) setError(e);
      else throw e;
    } finally {
      setBusy(false);
    }
  };

  const changePlan = (event: SubmitEvent) => {
    const values = formValues(event);
    const body = {
      plan: values.plan,
      states: (values.states ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    };
    void run(async () => {
      if (local) {
        await api<BillingBody>("/v1/billing/plan", { method: "PUT", body });
        setNotice("Plan changed.");
        billing.reload();
        return;
      }
      const answer = await api<CheckoutAnswer>("/v1/billing/checkout", { method: "POST", body });
      if (answer.url) location.assign(answer.url);
      else setNotice("Change sent to Stripe: it applies as soon as Stripe confirms it.");
    });
  };

  const manage = () =>
    void run(async () => {
      const { url } = await api<PortalAnswer>("/v1/billing/portal", { method: "POST" });
      location.assign(url);
    });

  return (
    <>
      <h1>Billing</h1>
      <Banner billing={data} />
      {local && (
        <p class="muted" data-testid="local-mode">
          Local billing: this deployment has no Stripe keys. Plans apply at once and nothing is charged.
        </p>
      )}
      <section aria-labelledby="plan-heading">
        <h2 id="plan-heading">Plan</h2>
        <dl class="facts">
          <dt>Plan</dt>
          <dd>
            {data.plan.name} ({dollars(data.plan.monthlyCents)} per month)
          </dd>
          <dt>States</dt>
          <dd>{data.states.includes("*") ? "Every state" : data.states.join(", ") || "None"}</dd>
          <dt>State add-ons</dt>
          <dd>
            {data.addOns.length === 0
              ? "None"
              : data.addOns.map((a) => `${a.state} (${dollars(a.monthlyCents)})`).join(", ")}
          </dd>
          <dt>Locations</dt>
          <dd>{data.plan.maxLocations === null ? "No limit" : `Up to ${data.plan.maxLocations}`}</dd>
        </dl>
      </section>
      <section aria-labelledby="usage-heading">
        <h2 id="usage-heading">Usage this period</h2>
        <p>
          <strong data-testid="usage-summary">
            {data.usage.used.toLocaleString()} of {data.usage.included.toLocaleString()} checks
          </strong>{" "}
          included, from {formatDate(data.period.from)} to {formatDate(data.period.to)}
          {data.usage.overage > 0 ? `; ${data.usage.overage.toLocaleString()} over` : ""}.
        </p>
        <UsageChart billing={data} />
        <p>
          Next invoice (estimate): <strong data-testid="estimate">{dollars(data.estimate.totalCents)}</strong>
          {data.estimate.overageCents > 0 ? `, of which ${dollars(data.estimate.overageCents)} overage` : ""}.
        </p>
      </section>
      <section aria-labelledby="change-heading">
        <h2 id="change-heading">Change plan or add a state</h2>
        {owner ? (
          <form onSubmit={changePlan}>
            <div class="field">
              <label for="field-plan">New plan</label>
              <select id="field-plan" name="plan" defaultValue={data.plan.id}>
                {PLANS.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
            <Field
              label="States"
              name="states"
              hint="USPS codes separated by commas, e.g. CA, TX. States beyond the plan's are add-ons."
              defaultValue={data.states.includes("*") ? "" : data.states.join(", ")}
            />
            <button type="submit" disabled={busy}>
              {local ? "Change plan" : "Continue to checkout"}
            </button>{" "}
            {!local && (
              <button type="button" class="secondary" disabled={busy} onClick={manage}>
                Manage billing
              </button>
            )}
          </form>
        ) : (
          <p class="muted">Only the team's owner can change the plan or billing.</p>
        )}
        {notice && <p role="status">{notice}</p>}
        {error && <ErrorNotice error={error} />}
      </section>
    </>
  );
}
