// One pass over the facility per evaluate call: every date becomes a day number and every
// label is built once, so the compiled rules only compare numbers.
import { toDay } from "../dates";
import type { FacilityInput } from "../schema/facility";
import type { PreparedCredential, PreparedFacility } from "./types";

function expiryDay(expiresAt: string | null | undefined): number {
  if (expiresAt === null) return Number.POSITIVE_INFINITY;
  return expiresAt === undefined ? Number.NaN : toDay(expiresAt);
}

function dayOrNaN(date: string | undefined): number {
  return date === undefined ? Number.NaN : toDay(date);
}

export function prepareFacility(f: FacilityInput): PreparedFacility {
  const opened = dayOrNaN(f.openedAt);
  const changed = dayOrNaN(f.ownershipChangedAt);
  const openingDay = Number.isNaN(opened)
    ? changed
    : Number.isNaN(changed)
      ? opened
      : Math.max(opened, changed);
  return {
    type: f.type,
    handlesUnpackagedTcsFood: f.handlesUnpackagedTcsFood !== false,
    openingDay,
    ownershipChangedDay: changed,
    staff: (f.staff ?? []).map((s) => ({
      id: s.id,
      label: s.name ? `${s.name} (staff ${s.id})` : `Staff ${s.id}`,
      role: s.role,
      hired: toDay(s.hiredAt),
      credentials: (s.credentials ?? []).map(
        (c): PreparedCredential => ({
          type: c.type,
          issuer: c.issuer,
          issued: dayOrNaN(c.issuedAt),
          expires: expiryDay(c.expiresAt),
        }),
      ),
    })),
    permits: (f.permits ?? []).map((p) => ({
      type: p.type,
      subjectId: p.number ?? p.type,
      issuer: p.issuer,
      issued: dayOrNaN(p.issuedAt),
      expires: expiryDay(p.expiresAt),
    })),
    logs: (f.temperatureLogs ?? []).map((l, i) => ({
      index: String(i),
      day: toDay(l.at),
      item: l.item ?? "",
      itemLower: l.item ? l.item.toLowerCase() : "",
      mode: l.mode,
      tempF: l.tempF,
    })),
    inspections: (f.inspections ?? []).map((i) => ({ day: toDay(i.date), score: i.score })),
  };
}
