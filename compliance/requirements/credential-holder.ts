// "At least one <role> holds <credential>" (CA-FSC, FDA-CFPM) and its on-site variant
// (TX-CFPM, CHI-FSSC, NYC-FPC, FL-CFPM presence). The payload has no shift data, so "on site"
// is approximated as "listed among the facility's current staff"; `minimumStaffing` likewise
// approximates "N employees engaged in food work at once" with the count of listed staff in
// those roles (an over-estimate, so the rule errs towards applying); with
// `alsoIfHighlySusceptiblePopulation` the rule applies whatever the staffing where the facility
// says it serves a highly susceptible population (FAC 64E-11.012(2)). The grace after opening
// or a change of ownership also runs from the facility's `certificateHolderLeftAt` where the
// rule sets `graceAlsoFromHolderLeaving` (HSC §113947.1).
import { fromDay } from "../dates";
import { roleMask } from "../engine/bits";
import { credentialSlot } from "../engine/lead-times";
import type { Check, PreparedStaff, RuleMeta } from "../engine/types";
import type { RequirementOf } from "../schema/dataset";
import { orList, roleLabel, withArticle } from "../wording";
import type { MissingCredential } from "./shared";
import {
  acceptedIssuersWhere,
  CREDENTIAL_LABELS,
  changesOn,
  describeMissing,
  emit,
  FACILITY,
  lookupCredential,
  NO_CREDENTIAL,
  validityStatus,
} from "./shared";

export function compileCredentialHolder(req: RequirementOf<"credential_holder">, meta: RuleMeta): Check {
  const roles = roleMask(req.roles);
  const staffing = req.minimumStaffing;
  const staffingRoles = roleMask(staffing?.roles ?? []);
  const spec = req.credential;
  const acceptedIn = spec && acceptedIssuersWhere(spec);
  const who = orList(req.roles.map(roleLabel));
  const what = spec ? CREDENTIAL_LABELS[spec.type] : who;
  const lead = spec ? credentialSlot(spec.type) : undefined;
  const onSiteAlways = req.onSite
    ? " The holder must be on site during all hours of operation (Prep has no shift data and assumes listed staff work every shift)."
    : "";
  const holdsCurrentAlways = ` holds a current ${what}.${onSiteAlways}`;
  const certifyNow = `Certify ${withArticle(who)} now.`;
  const hsp = staffing !== undefined && req.alsoIfHighlySusceptiblePopulation === true;
  const staffingRule = staffing
    ? `Applies when at least ${staffing.atLeast} staff (${orList(staffing.roles.map(roleLabel))}) work at once${hsp ? " or a highly susceptible population is served" : ""}; `
    : "";
  const notHsp = hsp ? " and servesHighlySusceptiblePopulation is not true" : "";
  // Where the population served, not the staffing, makes the rule apply, the findings say so.
  const onSiteHsp = `${onSiteAlways} It applies whatever the staffing because the facility serves a highly susceptible population.`;
  const holdsCurrentHsp = ` holds a current ${what}.${onSiteHsp}`;
  const fromLeaving = req.graceAlsoFromHolderLeaving === true;
  const graceEvents = fromLeaving
    ? "opening, change of ownership or the loss of its certified person"
    : "opening or change of ownership";

  return (ctx) => {
    const asOf = ctx.asOf;
    const accepted = acceptedIn?.(ctx.chain);
    const byPopulation = hsp && ctx.facility.highlySusceptible;
    const onSite = byPopulation ? onSiteHsp : onSiteAlways;
    const holdsCurrent = byPopulation ? holdsCurrentHsp : holdsCurrentAlways;
    if (staffing && !byPopulation) {
      let count = 0;
      for (const s of ctx.facility.staff) {
        if (s.hired > asOf) changesOn(ctx, s.hired);
        else if ((staffingRoles & s.roleBit) !== 0) count++;
      }
      if (count < staffing.atLeast) {
        emit(
          ctx,
          meta,
          "not_applicable",
          `${staffingRule}${count} are listed${notHsp}.`,
          FACILITY,
          Number.NaN,
        );
        return;
      }
    }

    let holder: PreparedStaff | undefined;
    let bestUntil = Number.NEGATIVE_INFINITY;
    let closest: MissingCredential = NO_CREDENTIAL;
    for (const s of ctx.facility.staff) {
      if ((roles & s.roleBit) === 0) continue;
      if (s.hired > asOf) {
        changesOn(ctx, s.hired);
        continue;
      }
      if (!spec) {
        holder = s;
        bestUntil = Number.POSITIVE_INFINITY;
        break;
      }
      const lookup = lookupCredential(ctx, spec, accepted, s.credentials);
      if (typeof lookup === "number") {
        if (lookup > bestUntil) {
          bestUntil = lookup;
          holder = s;
        }
      } else if (closest.found === "none") {
        closest = lookup;
      }
    }

    if (holder) {
      const status = validityStatus(ctx, bestUntil);
      if (status === "warn") {
        const date = fromDay(bestUntil);
        emit(
          ctx,
          meta,
          "warn",
          `The only current ${what} (${holder.label}) expires on ${date}; renew it or certify another ${who} by ${date}.${onSite}`,
          FACILITY,
          bestUntil,
          lead,
          bestUntil,
        );
      } else {
        const message = spec
          ? `${holder.label}${holdsCurrent}`
          : `${holder.label} is ${withArticle(roleLabel(holder.role))}.${onSite}`;
        emit(ctx, meta, "pass", message, FACILITY, Number.NaN, lead, bestUntil);
      }
      return;
    }

    const missing = spec
      ? `No ${who} holds a current ${what}${closest.found === "none" ? "" : ` (closest: ${describeMissing(closest, what)})`}`
      : `No ${who} is listed`;
    const grace = req.graceDaysFromOpening;
    let opening = ctx.facility.openingDay;
    let since = "";
    if (fromLeaving) {
      const left = ctx.facility.holderLeftDay;
      if (left > asOf)
        changesOn(ctx, left); // not gone yet: the window starts on that day
      else if (left <= asOf && !(left <= opening)) {
        opening = left;
        since = `the facility no longer had a certified owner or employee from ${fromDay(left)}; `;
      }
    }
    if (grace !== undefined && !Number.isNaN(opening)) {
      const deadline = opening + grace;
      const rule = `${meta.authority} requires one within ${grace} days of ${graceEvents} (${since}by ${fromDay(deadline)})`;
      if (asOf <= deadline) {
        changesOn(ctx, deadline + 1);
        emit(ctx, meta, "warn", `${missing}. ${rule}.${onSite}`, FACILITY, deadline, lead);
      } else {
        emit(ctx, meta, "fail", `${missing}. ${rule}. ${certifyNow}${onSite}`, FACILITY, deadline, lead);
      }
      return;
    }
    const unknownOpening =
      grace !== undefined
        ? " (no openedAt or ownershipChangedAt was given, so no grace period can be granted)"
        : "";
    emit(
      ctx,
      meta,
      "fail",
      `${missing}${unknownOpening}. ${meta.authority} requires one. ${spec ? certifyNow : `Designate ${withArticle(who)}.`}${onSite}`,
      FACILITY,
      Number.NaN,
    );
  };
}
