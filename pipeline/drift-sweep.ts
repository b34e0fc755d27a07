/**
 * The drift sweep: makes every tenant's Durable Object hear about each change of the rules in
 * force — a new active version, an override approved, revoked, starting or expiring — and
 * re-evaluate its facilities, so drift surfaces as alerts.
 *
 * Each dataset stores the fingerprint of the rules its tenants last heard of (active version
 * + overrides in force today). The sweep compares it with the current one and, for those that
 * differ, re-evaluates the tenants with facilities there before storing the new fingerprint:
 * a failed notification is retried by the next (hourly) sweep, and runs that cannot reach
 * Durable Objects (the CLI) leave the work to it.
 */
import { COVERED_STATES, resolveJurisdictions } from "../compliance/index";
import type { Database } from "../db/client";
import { type DatasetState, listDatasetStates, markPropagated } from "../db/datasets";
import { facilityPlaces } from "../db/facility-places";
import { loadApprovedOverrides, type OverrideRow } from "../db/overrides";
import type { JobContext } from "./context";
import { announceRuleChanges, rulesAhead } from "./rule-notices";

export interface SweepReport {
  /** Jurisdictions whose rules in force changed since tenants last heard. */
  changed: string[];
  /** Tenants asked to re-evaluate. */
  tenants: number;
  /** Notifications that failed (retried by the next sweep). */
  failures: number;
  /** Rule-change notices created for tenants (versions with rules taking effect later). */
  notices: number;
}

export function fingerprint(state: DatasetState, overrides: readonly OverrideRow[], today: string): string {
  const inForce = overrides
    .filter((o) => o.effectiveFrom <= today && today < o.expiresAt)
    .map((o) => o.id)
    .sort();
  return [state.activeVersionId ?? "none", ...inForce].join("|");
}

/** USPS codes of the states a division can contain facilities in. */
function statesOf(jurisdiction: string): readonly string[] {
  const match = /\/state:([a-z]{2})/.exec(jurisdiction);
  return match?.[1] ? [match[1].toUpperCase()] : COVERED_STATES;
}

/**
 * Tenants with a facility whose resolved jurisdictions include one of `jurisdictions`, each
 * with those jurisdictions (the drift sweep, the impact preview, rule-change notices).
 */
export async function affectedTenants(
  db: Database,
  jurisdictions: readonly string[],
): Promise<Map<string, Set<string>>> {
  const states = [...new Set(jurisdictions.flatMap(statesOf))];
  const tenants = new Map<string, Set<string>>();
  for (const place of await facilityPlaces(db, states)) {
    const resolved = resolveJurisdictions({
      city: place.city,
      state: place.state,
      county: place.county ?? undefined,
    });
    if (!resolved.ok) continue;
    for (const j of jurisdictions) {
      if (!resolved.jurisdictions.includes(j)) continue;
      const set = tenants.get(place.tenantId) ?? new Set<string>();
      set.add(j);
      tenants.set(place.tenantId, set);
    }
  }
  return tenants;
}

export async function sweepDrift(
  ctx: JobContext,
  options: { jurisdictions?: readonly string[] | undefined; reason: string },
): Promise<SweepReport> {
  const today = ctx.now().toISOString().slice(0, 10);
  const [states, overrides] = await Promise.all([
    listDatasetStates(ctx.db, options.jurisdictions),
    loadApprovedOverrides(ctx.db),
  ]);
  const changed = states
    .map((state) => ({ state, current: fingerprint(state, overrides.get(state.jurisdiction) ?? [], today) }))
    .filter(
      ({ state, current }) => state.activeVersionId !== null && current !== state.propagatedFingerprint,
    );
  const report: SweepReport = {
    changed: changed.map((c) => c.state.jurisdiction),
    tenants: 0,
    failures: 0,
    notices: 0,
  };
  if (changed.length === 0 || !ctx.notifyTenant) return report;

  ctx.invalidateDatasets();
  const notify = ctx.notifyTenant;
  const tenants = await affectedTenants(ctx.db, report.changed);
  // Versions whose rules change on a later date: each tenant hears which locations they break.
  const ahead = await rulesAhead(ctx, changed, overrides, today);
  const failedJurisdictions = new Set<string>();
  for (const [tenantId, jurisdictions] of tenants) {
    const reason = `Rules changed (${options.reason}): ${[...jurisdictions].join(", ")}`;
    try {
      await notify(tenantId, reason);
      for (const announcement of ahead.filter((a) => jurisdictions.has(a.jurisdiction)))
        report.notices += await announceRuleChanges(ctx, tenantId, announcement);
      report.tenants++;
    } catch (error) {
      report.failures++;
      for (const j of jurisdictions) failedJurisdictions.add(j);
      ctx.log({ message: "tenant re-evaluation failed", tenantId, error: String(error) });
    }
  }
  for (const { state, current } of changed) {
    if (!failedJurisdictions.has(state.jurisdiction))
      await markPropagated(ctx.db, state.jurisdiction, current);
  }
  ctx.log({ message: "drift sweep", ...report });
  return report;
}
