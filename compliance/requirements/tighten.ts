// `floor` composition: a narrower layer may only tighten a parent requirement of the same
// kind, so numeric limits merge to the most stringent value of the two.
import type { Requirement } from "../schema/dataset";

function minDefined(a: number | null | undefined, b: number | null | undefined): number | null | undefined {
  if (a === undefined || a === null) return b;
  if (b === undefined || b === null) return a;
  return Math.min(a, b);
}

/** The most stringent combination of `parent` and `child`, or null when the kinds cannot merge. */
export function tighten(parent: Requirement, child: Requirement): Requirement | null {
  if (parent.kind === "temperature" && child.kind === "temperature") {
    const coldMaxF = minDefined(parent.coldMaxF, child.coldMaxF) ?? undefined;
    const hot = [parent.hotMinF, child.hotMinF].filter((x): x is number => x !== undefined);
    const hotMinF = hot.length ? Math.max(...hot) : undefined;
    // Item allowances only ever loosen a limit, so under a floor only the parent's survive,
    // each clamped by the child's general limit.
    const allowances = parent.allowances?.map((a) => ({
      ...a,
      coldMaxF: minDefined(a.coldMaxF, child.coldMaxF) ?? undefined,
      hotMinF:
        a.hotMinF === undefined || child.hotMinF === undefined
          ? a.hotMinF
          : Math.max(a.hotMinF, child.hotMinF),
    }));
    return {
      kind: "temperature",
      coldMaxF,
      hotMinF,
      lookbackDays: Math.max(parent.lookbackDays, child.lookbackDays),
      allowances,
    };
  }
  if (parent.kind === "each_staff_credential" && child.kind === "each_staff_credential") {
    if (parent.credential.type !== child.credential.type) return null;
    return {
      ...child,
      roles: [...new Set([...parent.roles, ...child.roles])],
      graceDays: Math.min(parent.graceDays, child.graceDays),
      credential: {
        ...child.credential,
        validityYears: minDefined(parent.credential.validityYears, child.credential.validityYears) ?? null,
      },
    };
  }
  if (parent.kind === "credential_holder" && child.kind === "credential_holder") {
    return {
      ...child,
      onSite: parent.onSite || child.onSite,
      graceDaysFromOpening: minDefined(parent.graceDaysFromOpening, child.graceDaysFromOpening) ?? undefined,
      minimumStaffing:
        parent.minimumStaffing && child.minimumStaffing
          ? {
              roles: child.minimumStaffing.roles,
              atLeast: Math.min(parent.minimumStaffing.atLeast, child.minimumStaffing.atLeast),
            }
          : undefined,
      credential: child.credential ?? parent.credential,
    };
  }
  if (parent.kind === "permit" && child.kind === "permit") {
    // What the narrower layer does not say, it inherits: a city's yearly permit rule that names
    // no permit for food trucks must not start asking a truck for a restaurant's health permit.
    const alsoAcceptedFor = child.alsoAcceptedFor ?? parent.alsoAcceptedFor;
    const undatedPermits = child.undatedPermits ?? parent.undatedPermits;
    return {
      ...child,
      validityYears: minDefined(parent.validityYears, child.validityYears) ?? null,
      ...(alsoAcceptedFor ? { alsoAcceptedFor } : {}),
      ...(undatedPermits ? { undatedPermits } : {}),
      ...(child.voidOnOwnershipChange || parent.voidOnOwnershipChange ? { voidOnOwnershipChange: true } : {}),
    };
  }
  if (parent.kind === "inspection_grade" && child.kind === "inspection_grade") return child;
  // The same notice twice is one duty; the narrower layer's wording of where to post it wins.
  if (parent.kind === "posting" && child.kind === "posting" && parent.notice === child.notice) return child;
  // Prose cannot be merged: a narrower layer that tightens an informational rule (NYC's 140°F
  // start for time as a public health control) states the combined requirement in its own text.
  if (parent.kind === "informational" && child.kind === "informational") return child;
  return null;
}
