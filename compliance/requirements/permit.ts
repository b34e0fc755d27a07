// "A valid <permit> before operating" (CA-PERMIT, SF-PERMIT, CA-MFF commissary agreement):
// no grace period; a permit expiring within 30 days is a warning due on its last valid day.
// A permit given without an expiry date, under a rule whose dataset states no renewal cycle
// (`undatedPermits: "expiry_unknown"`), is a warning "expiry unknown", never valid forever.
import { fromDay } from "../dates";
import { permitSlot } from "../engine/lead-times";
import type { Check, PreparedPermit, RuleMeta } from "../engine/types";
import { divisionName } from "../jurisdictions/resolve";
import type { RequirementOf } from "../schema/dataset";
import { FACILITY_TYPES, type FacilityType, type PermitType } from "../schema/facility";
import { orList } from "../wording";
import { changesOn, emit, lastValidDay, validityStatus } from "./shared";

const LABELS: Record<PermitType, string> = {
  health_permit: "health permit",
  mobile_food_facility_permit: "mobile food facility permit",
  commissary_agreement: "commissary agreement",
  business_license: "business license",
  food_service_license: "food service license",
  food_dealer_permit: "food dealer permit",
  public_food_service_license: "public food service license",
};

/** The permit types a rule accepts for one facility type, and how messages name them. */
interface Accepted {
  types: ReadonlySet<PermitType>;
  what: string;
}

function acceptedByFacilityType(req: RequirementOf<"permit">): Map<FacilityType, Accepted> {
  const byType = new Map<FacilityType, Accepted>();
  for (const facilityType of FACILITY_TYPES) {
    const extra = req.alsoAcceptedFor?.find((e) => e.facilityTypes.includes(facilityType));
    const list = [...new Set([...req.permitTypes, ...(extra?.permitTypes ?? [])])];
    byType.set(facilityType, { types: new Set(list), what: orList(list.map((t) => LABELS[t])) });
  }
  return byType;
}

export function compilePermit(req: RequirementOf<"permit">, meta: RuleMeta): Check {
  const accepted = acceptedByFacilityType(req);
  const issuers = req.acceptedIssuers;
  const first = req.permitTypes[0] ?? "health_permit";
  const voidOnSale = req.voidOnOwnershipChange === true;
  const renewal = req.validityYears === 1 ? " (renewed yearly)" : "";
  const expiryUnknown = req.validityYears === null && req.undatedPermits === "expiry_unknown";

  return (ctx) => {
    const { types, what } = accepted.get(ctx.facility.type) as Accepted;
    let best: PreparedPermit | undefined;
    let bestUntil = Number.NEGATIVE_INFINITY;
    let undated: PreparedPermit | undefined;
    let lapsed: PreparedPermit | undefined;
    let lapsedReason = "";
    for (const p of ctx.facility.permits) {
      if (!types.has(p.type)) continue;
      // A permit without an issuer is assumed to come from the local authority.
      if (issuers && p.issuer !== undefined && !issuers.includes(p.issuer)) {
        lapsed ??= p;
        lapsedReason ||= `was issued by ${divisionName(p.issuer)}, which is not the issuing authority here`;
        continue;
      }
      if (p.issued > ctx.asOf) {
        changesOn(ctx, p.issued);
        lapsed ??= p;
        lapsedReason ||= `only takes effect on ${fromDay(p.issued)}`;
        continue;
      }
      if (
        voidOnSale &&
        p.issued < ctx.facility.ownershipChangedDay &&
        ctx.facility.ownershipChangedDay <= ctx.asOf
      ) {
        lapsed = p;
        lapsedReason = `was issued before the change of ownership on ${fromDay(ctx.facility.ownershipChangedDay)} and is not transferable`;
        continue;
      }
      if (expiryUnknown && !Number.isFinite(p.expires)) {
        // No expiry date (absent or null) and no cycle in the dataset: not "valid forever".
        undated ??= p;
        continue;
      }
      const until = lastValidDay(p.issued, p.expires, req.validityYears);
      if (Number.isNaN(until)) {
        lapsed = p;
        lapsedReason = "has no issue or expiry date, so it cannot be shown to be current";
      } else if (until < ctx.asOf) {
        lapsed = p;
        lapsedReason = `expired on ${fromDay(until)}`;
      } else if (until > bestUntil) {
        bestUntil = until;
        best = p;
      }
    }

    if (best) {
      const subject = { kind: "permit", id: best.subjectId } as const;
      const lead = permitSlot(best.type);
      if (validityStatus(ctx, bestUntil) === "warn") {
        const date = fromDay(bestUntil);
        emit(
          ctx,
          meta,
          "warn",
          `The ${LABELS[best.type]} ${best.subjectId} expires on ${date}; renew it by ${date}${renewal}.`,
          subject,
          bestUntil,
          lead,
          bestUntil,
        );
      } else {
        const until = Number.isFinite(bestUntil) ? ` through ${fromDay(bestUntil)}` : "";
        emit(
          ctx,
          meta,
          "pass",
          `The ${LABELS[best.type]} ${best.subjectId} is valid${until}.`,
          subject,
          Number.NaN,
          lead,
          bestUntil,
        );
      }
      return;
    }

    if (undated) {
      const issued = Number.isNaN(undated.issued) ? "" : ` (issued ${fromDay(undated.issued)})`;
      emit(
        ctx,
        meta,
        "warn",
        `The ${LABELS[undated.type]} ${undated.subjectId}${issued} has no expiry date: expiry unknown. Permits renew on the issuing authority's cycle, which Prep does not know here; give the permit's expiry date so that its validity can be checked.`,
        { kind: "permit", id: undated.subjectId },
        Number.NaN,
      );
      return;
    }

    const subject = { kind: "permit", id: lapsed?.subjectId ?? first } as const;
    const why = lapsed
      ? `The ${LABELS[lapsed.type]} ${lapsed.subjectId} ${lapsedReason}`
      : `No ${what} is listed`;
    const opening = ctx.facility.openingDay;
    if (!Number.isNaN(opening) && opening > ctx.asOf) {
      // Not open yet: the permit is due before the first day of operation.
      changesOn(ctx, opening);
      emit(
        ctx,
        meta,
        "warn",
        `${why}. ${meta.authority} requires a valid ${what}${renewal} before operating (by ${fromDay(opening - 1)}).`,
        subject,
        opening - 1,
        permitSlot(lapsed?.type ?? first),
      );
      return;
    }
    emit(
      ctx,
      meta,
      "fail",
      `${why}. ${meta.authority} requires a valid ${what}${renewal} to operate. Obtain or renew it now.`,
      subject,
      Number.NaN,
    );
  };
}
