/**
 * The Worker's side of entitlements: the tenant's account from the isolate's cache, and a
 * refusal turned into the problem an API client can act on (402 `subscription_required`,
 * 403 `state_not_in_plan` naming the add-on, 403 `feature_not_in_plan`,
 * 403 `location_limit_reached`), and telling the tenant when its subscription changed.
 */
import { LOOKUP_KEYS, STATE_ADD_ON } from "../../billing/catalog";
import { type BillingAccount, type Entitlement, locationLimit, refusal } from "../../billing/entitlements";
import { billingStateEvent } from "../../notifications/events";
import { Problem } from "../http/problem";
import type { Services } from "./services";

/** The tenant's account; a tenant that no longer exists has nothing to run. */
export async function billingAccount(services: Services, tenantId: string): Promise<BillingAccount> {
  const account = await services.billing.account(tenantId);
  if (!account) {
    throw new Problem({
      status: 401,
      code: "unauthorized",
      title: "Unauthorized",
      detail: "This tenant no longer exists.",
    });
  }
  return account;
}

/** Throws the problem for `what` when the tenant is not entitled to it. */
export function requireEntitlement(account: BillingAccount, what: Entitlement): void {
  const refused = refusal(account, what);
  if (!refused) return;
  switch (refused.code) {
    case "subscription_required":
      throw new Problem({
        status: 402,
        code: "subscription_required",
        title: "Subscription required",
        detail: refused.detail,
        extensions: { billingStatus: account.status },
      });
    case "state_not_in_plan":
      throw new Problem({
        status: 403,
        code: "state_not_in_plan",
        title: "State not in plan",
        detail: refused.detail,
        errors: [{ pointer: "/facility/address/state", detail: refused.detail }],
        extensions: {
          state: refused.state,
          addOn: {
            name: `${STATE_ADD_ON.name}: ${refused.state}`,
            lookupKey: LOOKUP_KEYS.stateAddOn,
            monthlyCents: STATE_ADD_ON.monthlyCents,
          },
        },
      });
    case "feature_not_in_plan":
      throw new Problem({
        status: 403,
        code: "feature_not_in_plan",
        title: "Feature not in plan",
        detail: refused.detail,
        extensions: { feature: refused.feature },
      });
  }
}

/** Throws 403 `location_limit_reached` when the tenant already stores as many locations as its plan allows. */
export function requireLocationRoom(account: BillingAccount, stored: number): void {
  const limit = locationLimit(account);
  if (limit === null || stored < limit) return;
  throw new Problem({
    status: 403,
    code: "location_limit_reached",
    title: "Location limit reached",
    detail: `This plan includes ${limit} locations and ${stored} are stored. Upgrade on the Billing page, or delete a location first.`,
    extensions: { limit },
  });
}

/**
 * Tells the tenant that its subscription's status or plan changed (`billing.state_changed`, an
 * announcement: owners and admins hear of it by default); nothing when neither changed. `key`
 * names the occurrence (Stripe's event id, a plan change's request), so a repeat raises nothing.
 */
export async function announceBillingChange(
  services: Services,
  before: Pick<BillingAccount, "tenantId" | "plan" | "status">,
  after: Pick<BillingAccount, "plan" | "status">,
  key: string,
): Promise<void> {
  const event = billingStateEvent(before, after);
  if (event) await services.notify(before.tenantId, { ...event, key });
}
