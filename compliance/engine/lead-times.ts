// Renewal lead times (the datasets' `leadTimes`) as a dense table with one slot per credential
// and per permit type. A rule knows at compile time which slot its findings are about, and the
// layer set's table is built once per plan (plan.ts), so a finding's lead time is one array read:
// emit runs once per finding, and a Map keyed by a `kind:type` string cost a hash per finding.
import type { LeadTime } from "../schema/dataset";
import { CREDENTIAL_TYPES, type CredentialType, PERMIT_TYPES, type PermitType } from "../schema/facility";

/** Index into a lead-time table: credential types first, then permit types. */
export type LeadSlot = number;

/** Lead days by slot; NaN where no layer states one. */
export type LeadDays = Float64Array;

const SLOTS = CREDENTIAL_TYPES.length + PERMIT_TYPES.length;

export function credentialSlot(type: CredentialType): LeadSlot {
  return CREDENTIAL_TYPES.indexOf(type);
}

export function permitSlot(type: PermitType): LeadSlot {
  return CREDENTIAL_TYPES.length + PERMIT_TYPES.indexOf(type);
}

function slotOf(lead: LeadTime): LeadSlot {
  return lead.kind === "credential" ? credentialSlot(lead.type) : permitSlot(lead.type);
}

/** One dataset's stated lead times (validateDataset allows at most one per type). */
export function leadDaysOf(leadTimes: readonly LeadTime[] | undefined): LeadDays {
  const days = new Float64Array(SLOTS).fill(Number.NaN);
  for (const lead of leadTimes ?? []) days[slotOf(lead)] = lead.days;
  return days;
}

/** A layer set's lead times: for each slot, the narrowest layer's (layers broadest first). */
export function mergeLeadDays(layers: readonly LeadDays[]): LeadDays {
  const merged = new Float64Array(SLOTS).fill(Number.NaN);
  for (const layer of layers)
    for (let i = 0; i < SLOTS; i++) if (!Number.isNaN(layer[i] as number)) merged[i] = layer[i] as number;
  return merged;
}
