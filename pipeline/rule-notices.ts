/**
 * Advance notice of rule changes. When the drift sweep finds that a jurisdiction's active
 * version changed, it compares the version its tenants last heard of with the new one; rule
 * windows that start after today (a shorter card deadline from 1 January, a new permit from
 * 1 March) become an announcement that each affected tenant's object turns into notices —
 * the locations each change will break and what to do by its date (durable-objects/
 * rule-changes.ts). The object raises each new notice as a `rule_change.ahead` notification in
 * the write that stores it, so a retried sweep never tells anyone twice.
 * On the date itself nothing special happens: the rule window's start is one of the
 * verdicts' `reevaluateAt` dates, so the objects' alarms re-evaluate and drift alerts follow.
 *
 * A dataset seen for the first time (no version heard of before: the first-boot seed) is not
 * announced: every rule of it would look new.
 */
import { type RuleChangeAnnouncement, upcomingRuleChanges, upcomingWindows } from "../compliance/index";
import { type DatasetState, loadVersion } from "../db/datasets";
import type { OverrideRow } from "../db/overrides";
import { withOverrides } from "../runtime/dataset-registry";
import type { JobContext } from "./context";

/** The version id part of a stored fingerprint (drift-sweep.ts `fingerprint`), or null. */
const versionOf = (fingerprint: string | null) => {
  const id = fingerprint?.split("|")[0];
  return id && id !== "none" ? id : null;
};

/** The announcements the changed jurisdictions call for (those whose new version changes rules after today). */
export async function rulesAhead(
  ctx: Pick<JobContext, "db">,
  changed: readonly { state: DatasetState }[],
  overrides: ReadonlyMap<string, readonly OverrideRow[]>,
  today: string,
): Promise<RuleChangeAnnouncement[]> {
  const announcements: RuleChangeAnnouncement[] = [];
  for (const { state } of changed) {
    const previousId = versionOf(state.propagatedFingerprint);
    if (!previousId || !state.activeVersionId || previousId === state.activeVersionId) continue;
    const [previous, next] = await Promise.all([
      loadVersion(ctx.db, state.jurisdiction, previousId),
      loadVersion(ctx.db, state.jurisdiction, state.activeVersionId),
    ]);
    if (!previous || !next) continue;
    const inForce = overrides.get(state.jurisdiction) ?? [];
    const before = withOverrides(previous.content, inForce);
    const after = withOverrides(next.content, inForce);
    // Announced even without changes ahead: the tenants' objects then withdraw notices of
    // rule windows this version no longer has.
    announcements.push({
      jurisdiction: state.jurisdiction,
      versionId: next.id,
      before,
      after,
      changes: upcomingRuleChanges(before, after, today),
      upcoming: upcomingWindows(after, today),
    });
  }
  return announcements;
}

/**
 * Has the tenant's object store the notices of `announcement` (and raise the new ones through
 * the notification pipeline). Returns how many were new.
 */
export async function announceRuleChanges(
  ctx: JobContext,
  tenantId: string,
  announcement: RuleChangeAnnouncement,
): Promise<number> {
  if (!ctx.tenantObjects) return 0;
  const { created } = await ctx.tenantObjects.announce(tenantId, announcement);
  return created.length;
}
