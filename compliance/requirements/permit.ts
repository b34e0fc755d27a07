// "A valid <permit> before operating" (CA-PERMIT, SF-PERMIT, CA-MFF commissary agreement):
// no grace period; a permit expiring within 30 days is a warning due on its last valid day.
import { fromDay } from "../dates";
import type { Check, PreparedPermit, RuleMeta } from "../engine/types";
import { divisionName } from "../jurisdictions/resolve";
import type { RequirementOf } from "../schema/dataset";
import type { PermitType } from "../schema/facility";
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

export function compilePermit(req: RequirementOf<"permit">, meta: RuleMeta): Check {
  const types = new Set<PermitType>(req.permitTypes);
  const issuers = req.acceptedIssuers;
  const first = req.permitTypes[0] ?? "health_permit";
  const what = LABELS[first];
  const voidOnSale = req.voidOnOwnershipChange === true;
  const renewal = req.validityYears === 1 ? " (renewed yearly)" : "";

  return (ctx) => {
    let best: PreparedPermit | undefined;
    let bestUntil = Number.NEGATIVE_INFINITY;
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
      if (validityStatus(ctx, bestUntil) === "warn") {
        const date = fromDay(bestUntil);
        emit(
          ctx,
          meta,
          "warn",
          `The ${what} ${best.subjectId} expires on ${date}; renew it by ${date}${renewal}.`,
          subject,
          bestUntil,
        );
      } else {
        const until = Number.isFinite(bestUntil) ? ` through ${fromDay(bestUntil)}` : "";
        emit(ctx, meta, "pass", `The ${what} ${best.subjectId} is valid${until}.`, subject, Number.NaN);
      }
      return;
    }

    const subject = { kind: "permit", id: lapsed?.subjectId ?? first } as const;
    const why = lapsed ? `The ${what} ${lapsed.subjectId} ${lapsedReason}` : `No ${what} is listed`;
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
