/**
 * Billing commands: the plan a tenant is on, set by the operator (local mode, custom
 * Enterprise terms, or correcting a tenant by hand). The hot path applies a change within
 * 60 s (workers/services/entitlements-cache.ts).
 *
 *   prep plan set --tenant <tenantId> --plan starter|growth|enterprise [--states CA,TX]
 */
import { isPlanId, PLAN_IDS, type PlanId } from "../billing/catalog";
import { normalizeStates, updateBillingAccount } from "../db/billing";
import { withTenant } from "../db/client";
import { print, UsageError, withDatabase } from "./shared";

export const BILLING_USAGE = `  prep plan set --tenant <tenantId> --plan ${PLAN_IDS.join("|")} [--states CA,TX]`;

export function parsePlan(value: string | undefined): PlanId {
  if (!value || !isPlanId(value)) throw new UsageError(`--plan must be one of ${PLAN_IDS.join(", ")}`);
  return value;
}

export function parseStates(value: string | undefined): string[] {
  const listed = (value ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  try {
    return normalizeStates(listed);
  } catch (error) {
    throw new UsageError(`--states: ${(error as Error).message}`);
  }
}

export async function planCommand(
  verb: string,
  values: { tenant?: string | undefined; plan?: string | undefined; states?: string | undefined },
): Promise<void> {
  if (verb !== "set") throw new UsageError(`unknown command "plan ${verb}"\n\n${BILLING_USAGE}`);
  const tenantId = values.tenant;
  if (!tenantId) throw new UsageError("plan set needs --tenant <tenantId>");
  const plan = parsePlan(values.plan);
  const states = parseStates(values.states);
  const account = await withDatabase((db) =>
    withTenant(db, tenantId, async (tx) => {
      const current = await tx.execute("select states from tenants");
      if (current.rows.length === 0) throw new UsageError(`no tenant ${tenantId}`);
      const kept = values.states === undefined ? (current.rows[0] as { states: string[] }).states : states;
      return updateBillingAccount(
        tx,
        tenantId,
        { plan, status: "active", states: kept, pastDueSince: null, trialEndsAt: null },
        "cli",
      );
    }),
  );
  print({ ...account, effectiveWithinSeconds: 60 });
}
