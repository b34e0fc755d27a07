// One pass over the facility per evaluate call: every date becomes a day number and every
// label is built once, so the compiled rules only compare numbers.
import { toDay } from "../dates";
import type { Credential, FacilityInput, Permit, Staff } from "../schema/facility";
import type {
  PreparedCredential,
  PreparedFacility,
  PreparedInspection,
  PreparedLog,
  PreparedPermit,
  PreparedStaff,
} from "./types";

type TemperatureLog = NonNullable<FacilityInput["temperatureLogs"]>[number];
type Inspection = NonNullable<FacilityInput["inspections"]>[number];

/**
 * `items.map(prepare)` as a plain loop into an array allocated at its final length: growing
 * arrays with push reserves 16 slots for each staff member's card or two, and this allocation
 * was a large share of a verdict's cost.
 */
function prepareAll<T, P>(items: readonly T[] | undefined, prepare: (item: T, index: number) => P): P[] {
  const n = items === undefined ? 0 : items.length;
  const prepared = new Array<P>(n);
  for (let i = 0; i < n; i++) prepared[i] = prepare((items as readonly T[])[i] as T, i);
  return prepared;
}

function expiryDay(expiresAt: string | null | undefined): number {
  if (expiresAt === null) return Number.POSITIVE_INFINITY;
  return expiresAt === undefined ? Number.NaN : toDay(expiresAt);
}

function dayOrNaN(date: string | undefined): number {
  return date === undefined ? Number.NaN : toDay(date);
}

function prepareCredential(c: Credential): PreparedCredential {
  return { type: c.type, issuer: c.issuer, issued: dayOrNaN(c.issuedAt), expires: expiryDay(c.expiresAt) };
}

function prepareStaff(s: Staff): PreparedStaff {
  return {
    id: s.id,
    label: s.name ? `${s.name} (staff ${s.id})` : `Staff ${s.id}`,
    role: s.role,
    hired: toDay(s.hiredAt),
    credentials: prepareAll(s.credentials, prepareCredential),
  };
}

function preparePermit(p: Permit): PreparedPermit {
  return {
    type: p.type,
    subjectId: p.number ?? p.type,
    issuer: p.issuer,
    issued: dayOrNaN(p.issuedAt),
    expires: expiryDay(p.expiresAt),
  };
}

function prepareLog(l: TemperatureLog, index: number): PreparedLog {
  return {
    index,
    day: toDay(l.at),
    item: l.item ?? "",
    itemLower: l.item ? l.item.toLowerCase() : "",
    category: l.category,
    mode: l.mode,
    tempF: l.tempF,
  };
}

function prepareInspection(i: Inspection): PreparedInspection {
  return { day: toDay(i.date), score: i.score };
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
    holderLeftDay: dayOrNaN(f.certificateHolderLeftAt),
    highlySusceptible: f.servesHighlySusceptiblePopulation === true,
    chainLocations: f.chainLocations ?? Number.NaN,
    postedNotices: f.postedNotices,
    staff: prepareAll(f.staff, prepareStaff),
    permits: prepareAll(f.permits, preparePermit),
    logs: prepareAll(f.temperatureLogs, prepareLog),
    inspections: prepareAll(f.inspections, prepareInspection),
  };
}
