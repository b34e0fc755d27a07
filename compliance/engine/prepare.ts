// One pass over the facility per evaluate call: every date becomes a day number and every
// label is built once, so the compiled rules only compare numbers.
import { toDay } from "../dates";
import type { FacilityInput } from "../schema/facility";
import type {
  PreparedCredential,
  PreparedFacility,
  PreparedInspection,
  PreparedLog,
  PreparedPermit,
  PreparedStaff,
} from "./types";

function expiryDay(expiresAt: string | null | undefined): number {
  if (expiresAt === null) return Number.POSITIVE_INFINITY;
  return expiresAt === undefined ? Number.NaN : toDay(expiresAt);
}

function dayOrNaN(date: string | undefined): number {
  return date === undefined ? Number.NaN : toDay(date);
}

// Plain loops rather than .map(closure): this runs once per check on every staff member,
// credential, permit and reading, and is a large share of a verdict's cost.
export function prepareFacility(f: FacilityInput): PreparedFacility {
  const opened = dayOrNaN(f.openedAt);
  const changed = dayOrNaN(f.ownershipChangedAt);
  const openingDay = Number.isNaN(opened)
    ? changed
    : Number.isNaN(changed)
      ? opened
      : Math.max(opened, changed);

  const staff: PreparedStaff[] = [];
  for (const s of f.staff ?? []) {
    const credentials: PreparedCredential[] = [];
    for (const c of s.credentials ?? []) {
      credentials.push({
        type: c.type,
        issuer: c.issuer,
        issued: dayOrNaN(c.issuedAt),
        expires: expiryDay(c.expiresAt),
      });
    }
    staff.push({
      id: s.id,
      label: s.name ? `${s.name} (staff ${s.id})` : `Staff ${s.id}`,
      role: s.role,
      hired: toDay(s.hiredAt),
      credentials,
    });
  }
  const permits: PreparedPermit[] = [];
  for (const p of f.permits ?? []) {
    permits.push({
      type: p.type,
      subjectId: p.number ?? p.type,
      issuer: p.issuer,
      issued: dayOrNaN(p.issuedAt),
      expires: expiryDay(p.expiresAt),
    });
  }
  const logs: PreparedLog[] = [];
  const rawLogs = f.temperatureLogs ?? [];
  for (let i = 0; i < rawLogs.length; i++) {
    const l = rawLogs[i] as (typeof rawLogs)[number];
    logs.push({
      index: i,
      day: toDay(l.at),
      item: l.item ?? "",
      itemLower: l.item ? l.item.toLowerCase() : "",
      mode: l.mode,
      tempF: l.tempF,
    });
  }
  const inspections: PreparedInspection[] = [];
  for (const i of f.inspections ?? []) inspections.push({ day: toDay(i.date), score: i.score });

  return {
    type: f.type,
    handlesUnpackagedTcsFood: f.handlesUnpackagedTcsFood !== false,
    openingDay,
    ownershipChangedDay: changed,
    staff,
    permits,
    logs,
    inspections,
  };
}
