// One pass over the facility per evaluate call: every date becomes a day number and every
// label is built once, so the compiled rules only compare numbers.
import { toDay } from "../dates";
import type { Credential, FacilityInput, Permit, Staff } from "../schema/facility";
import { credentialBit, roleBit } from "./bits";
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

// `items.map(prepare)` as plain loops into arrays allocated at their final length: growing
// arrays with push reserves 16 slots for each staff member's card or two, and this allocation
// was a large share of a verdict's cost. One loop per kind of item, not one generic helper
// taking the preparer: shared by five preparers, the helper's call was megamorphic (never
// inlined) and was a tenth of a verdict's time (docs/performance.md, "third sitting").

function prepareCredentials(items: readonly Credential[] | undefined): PreparedCredential[] {
  const n = items === undefined ? 0 : items.length;
  const prepared = new Array<PreparedCredential>(n);
  for (let i = 0; i < n; i++)
    prepared[i] = prepareCredential((items as readonly Credential[])[i] as Credential);
  return prepared;
}

function prepareStaffList(items: readonly Staff[] | undefined): PreparedStaff[] {
  const n = items === undefined ? 0 : items.length;
  const prepared = new Array<PreparedStaff>(n);
  for (let i = 0; i < n; i++) prepared[i] = prepareStaff((items as readonly Staff[])[i] as Staff);
  return prepared;
}

function preparePermits(items: readonly Permit[] | undefined): PreparedPermit[] {
  const n = items === undefined ? 0 : items.length;
  const prepared = new Array<PreparedPermit>(n);
  for (let i = 0; i < n; i++) prepared[i] = preparePermit((items as readonly Permit[])[i] as Permit);
  return prepared;
}

function prepareLogs(items: readonly TemperatureLog[] | undefined): PreparedLog[] {
  const n = items === undefined ? 0 : items.length;
  const prepared = new Array<PreparedLog>(n);
  for (let i = 0; i < n; i++)
    prepared[i] = prepareLog((items as readonly TemperatureLog[])[i] as TemperatureLog, i);
  return prepared;
}

function prepareInspections(items: readonly Inspection[] | undefined): PreparedInspection[] {
  const n = items === undefined ? 0 : items.length;
  const prepared = new Array<PreparedInspection>(n);
  for (let i = 0; i < n; i++)
    prepared[i] = prepareInspection((items as readonly Inspection[])[i] as Inspection);
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
  return {
    type: c.type,
    typeBit: credentialBit(c.type),
    issuer: c.issuer,
    issued: dayOrNaN(c.issuedAt),
    expires: expiryDay(c.expiresAt),
  };
}

function prepareStaff(s: Staff): PreparedStaff {
  return {
    id: s.id,
    // `+` rather than a template: V8 passes each template piece through a ToString call, and
    // this runs for every staff member of every verdict (docs/performance.md, "Fifth sitting").
    // biome-ignore lint/style/useTemplate: see above
    label: s.name ? s.name + " (staff " + s.id + ")" : `Staff ${s.id}`,
    role: s.role,
    roleBit: roleBit(s.role),
    hired: toDay(s.hiredAt),
    credentials: prepareCredentials(s.credentials),
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
    staff: prepareStaffList(f.staff),
    permits: preparePermits(f.permits),
    logs: prepareLogs(f.temperatureLogs),
    inspections: prepareInspections(f.inspections),
  };
}
