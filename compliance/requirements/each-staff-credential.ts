// "Every <role> holds <credential> within N days of hire" (CA-FHC, TX-FH, IL-FH, FL-CFPM):
// one finding per person in scope, a warning with a due date inside the grace period.
import { fromDay } from "../dates";
import type { Check } from "../engine/types";
import type { RequirementOf } from "../schema/dataset";
import type { StaffRole } from "../schema/facility";
import {
  CREDENTIAL_LABELS,
  changesOn,
  describeMissing,
  emit,
  lookupCredential,
  validityStatus,
} from "./shared";

export function compileEachStaffCredential(req: RequirementOf<"each_staff_credential">): Check {
  const roles = new Set<StaffRole>(req.roles);
  const exempt = req.exemptIfHolding ?? [];
  const spec = req.credential;
  const what = CREDENTIAL_LABELS[spec.type];
  const grace = req.graceDays;

  return (ctx, meta) => {
    let inScope = 0;
    for (const s of ctx.facility.staff) {
      if (!roles.has(s.role)) continue;
      if (s.hired > ctx.asOf) {
        changesOn(ctx, s.hired); // not employed yet; in scope from the hire date
        continue;
      }
      inScope++;
      const subject = { kind: "staff", id: s.id } as const;

      // "other than the certificate holder": a holder of an exempting credential is out of scope. Its own
      // validity is judged by the rule for that credential, so here only an explicit past expiry disqualifies.
      let exemptUntil = Number.NEGATIVE_INFINITY;
      for (const c of s.credentials) {
        if (!exempt.includes(c.type) || c.issued > ctx.asOf) continue;
        const until = Number.isNaN(c.expires) ? Number.POSITIVE_INFINITY : c.expires;
        if (until >= ctx.asOf && until > exemptUntil) exemptUntil = until;
      }
      if (exemptUntil !== Number.NEGATIVE_INFINITY) {
        changesOn(ctx, exemptUntil + 1);
        emit(
          ctx,
          meta,
          "pass",
          `${s.label} holds a ${CREDENTIAL_LABELS[exempt[0] ?? spec.type]} and is exempt.`,
          subject,
          Number.NaN,
        );
        continue;
      }

      const found = lookupCredential(ctx, spec, s.credentials);
      if (found.found === "valid") {
        const status = validityStatus(ctx, found.until);
        if (status === "warn") {
          const date = fromDay(found.until);
          emit(
            ctx,
            meta,
            "warn",
            `${s.label}'s ${what} expires on ${date}; renew it by ${date}.`,
            subject,
            found.until,
          );
        } else {
          const until = Number.isFinite(found.until) ? ` (valid through ${fromDay(found.until)})` : "";
          emit(ctx, meta, "pass", `${s.label} holds a current ${what}${until}.`, subject, Number.NaN);
        }
        continue;
      }
      const deadline = s.hired + grace;
      const missing = describeMissing(found, what);
      const rule = `${meta.authority} requires one within ${grace} days of hire (by ${fromDay(deadline)})`;
      if (ctx.asOf <= deadline) {
        changesOn(ctx, deadline + 1);
        emit(ctx, meta, "warn", `${s.label} has ${missing}; ${rule}.`, subject, deadline);
      } else {
        emit(
          ctx,
          meta,
          "fail",
          `${s.label} has ${missing}; ${rule}. Get a current ${what} now.`,
          subject,
          deadline,
        );
      }
    }
    if (inScope === 0) {
      emit(
        ctx,
        meta,
        "not_applicable",
        `No staff with role ${req.roles.join(" or ")} are listed, so there is nobody to check.`,
        null,
        Number.NaN,
      );
    }
  };
}
