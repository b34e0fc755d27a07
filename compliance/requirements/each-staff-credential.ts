// "Every <role> holds <credential> within N days of hire" (CA-FHC, TX-FH, IL-FH, FL-CFPM), and
// "every certified manager holds …" via onlyIfHolding (IL-ALG): one finding per person in
// scope, a warning with a due date inside the grace period.
import { fromDay } from "../dates";
import { credentialMask, roleMask } from "../engine/bits";
import { sharedNotApplicable } from "../engine/finding";
import { credentialSlot } from "../engine/lead-times";
import type { Check, EvalContext, PreparedStaff, RuleMeta } from "../engine/types";
import type { RequirementOf } from "../schema/dataset";
import { orList, roleLabel, withArticle } from "../wording";
import {
  acceptedIssuersWhere,
  bestHolderUntil,
  CREDENTIAL_LABELS,
  changesOn,
  describeMissing,
  emit,
  lastValidDay,
  lookupCredential,
  phraseByDay,
  validityStatus,
} from "./shared";

/**
 * Last day through which `s` holds a credential of one of the types in the mask `types`
 * (`credentialMask`; −Infinity: none); the day it lapses is recorded as a change.
 * - `validityYears` undefined (onlyIfHolding: who is in scope): only an explicit past expiry
 *   disqualifies a credential, its own validity being judged by the rule for it.
 * - otherwise (exemptIfHolding: "other than the certificate holder", exempt only while the
 *   certificate is valid): the credential counts through its expiresAt, else through issuedAt +
 *   `validityYears` (null: never expires); `"dated"` (the rule states no validity) requires an
 *   expiry date, an explicit `expiresAt: null` meaning never. One that cannot be dated does not count.
 */
function heldUntil(
  ctx: EvalContext,
  s: PreparedStaff,
  types: number,
  validityYears?: number | null | "dated",
): number {
  let until = Number.NEGATIVE_INFINITY;
  for (const c of s.credentials) {
    if ((types & c.typeBit) === 0) continue;
    if (c.issued > ctx.asOf) {
      changesOn(ctx, c.issued);
      continue;
    }
    const last =
      validityYears === undefined
        ? Number.isNaN(c.expires)
          ? Number.POSITIVE_INFINITY
          : c.expires
        : validityYears === "dated"
          ? c.expires
          : lastValidDay(c.issued, c.expires, validityYears);
    if (Number.isNaN(last)) continue; // cannot be shown to be current
    if (last >= ctx.asOf && last > until) until = last;
  }
  if (until !== Number.NEGATIVE_INFINITY) changesOn(ctx, until + 1);
  return until;
}

export function compileEachStaffCredential(
  req: RequirementOf<"each_staff_credential">,
  meta: RuleMeta,
): Check {
  const roles = roleMask(req.roles);
  const exempt = req.exemptIfHolding?.length ? req.exemptIfHolding : undefined;
  const exemptValidity = req.exemptValidityYears === undefined ? "dated" : req.exemptValidityYears;
  const exemptTypes = credentialMask(exempt ?? []);
  const only = req.onlyIfHolding?.length ? req.onlyIfHolding : undefined;
  const onlyTypes = credentialMask(only ?? []);
  const nobody = sharedNotApplicable(
    meta,
    `No ${orList(req.roles.map(roleLabel))}${only ? ` holding ${withArticle(orList(only.map((t) => CREDENTIAL_LABELS[t])))}` : ""} is listed, so there is nobody to check.`,
  );
  const spec = req.credential;
  const acceptedIn = acceptedIssuersWhere(spec);
  const what = CREDENTIAL_LABELS[spec.type];
  const lead = credentialSlot(spec.type);
  const grace = req.graceDays;
  // The constant middles of the per-person messages, so a message is a few concatenations.
  const isExempt = ` holds ${withArticle(CREDENTIAL_LABELS[exempt?.[0] ?? spec.type])} and is exempt.`;
  const holdsCurrent = ` holds a current ${what}`;
  const validThrough = phraseByDay((day) => `${holdsCurrent} (valid through ${fromDay(day)}).`);
  const requiresWithinGrace = `. ${meta.authority} requires one within ${grace} days of hire (by `;
  // graceOnlyIfSupervisedBy (SBD §33.0409(b)): no grace unless a certified person is listed.
  const supervisor = req.graceOnlyIfSupervisedBy;
  const unsupervised = supervisor
    ? `. ${meta.authority} requires one from the first day of work; the ${grace}-day grace applies only under the supervision of a holder of a current ${CREDENTIAL_LABELS[supervisor.type]}, and none is listed (with one: by `
    : "";

  return (ctx) => {
    const accepted = acceptedIn(ctx.chain);
    let supervised: boolean | undefined; // looked up once, for the first person without a card
    let inScope = 0;
    for (const s of ctx.facility.staff) {
      if ((roles & s.roleBit) === 0) continue;
      if (s.hired > ctx.asOf) {
        changesOn(ctx, s.hired); // not employed yet; in scope from the hire date
        continue;
      }
      if (only && heldUntil(ctx, s, onlyTypes) === Number.NEGATIVE_INFINITY) continue;
      inScope++;
      const subject = { kind: "staff", id: s.id } as const;

      // "other than the certificate holder": a holder of an exempting credential is out of scope.
      if (exempt && heldUntil(ctx, s, exemptTypes, exemptValidity) !== Number.NEGATIVE_INFINITY) {
        emit(ctx, meta, "pass", `${s.label}${isExempt}`, subject, Number.NaN);
        continue;
      }

      const lookup = lookupCredential(ctx, spec, accepted, s.credentials);
      if (typeof lookup === "number") {
        if (validityStatus(ctx, lookup) === "warn") {
          const date = fromDay(lookup);
          emit(
            ctx,
            meta,
            "warn",
            `${s.label}'s ${what} expires on ${date}; renew it by ${date}.`,
            subject,
            lookup,
            lead,
            lookup,
          );
        } else {
          // The message most verdicts build, once per person: `+` rather than a template, whose
          // every piece V8 passes through a ToString call (docs/performance.md, "Fifth sitting"),
          // and its dated tail remembered per day.
          const message = Number.isFinite(lookup)
            ? s.label + validThrough(lookup)
            : `${s.label}${holdsCurrent}.`;
          emit(ctx, meta, "pass", message, subject, Number.NaN, lead, lookup);
        }
        continue;
      }
      const deadline = s.hired + grace;
      if (supervisor && ctx.asOf <= deadline) {
        supervised ??= bestHolderUntil(ctx, supervisor) >= ctx.asOf;
      }
      if (supervisor && ctx.asOf <= deadline && !supervised) {
        const missing = `${s.label} has ${describeMissing(lookup, what)}${unsupervised}${fromDay(deadline)}).`;
        emit(ctx, meta, "fail", `${missing} Get a current ${what} now.`, subject, s.hired, lead);
        continue;
      }
      const shortfall = `${s.label} has ${describeMissing(lookup, what)}${requiresWithinGrace}${fromDay(deadline)})`;
      if (ctx.asOf <= deadline) {
        changesOn(ctx, deadline + 1);
        emit(ctx, meta, "warn", `${shortfall}.`, subject, deadline, lead);
      } else {
        emit(ctx, meta, "fail", `${shortfall}. Get a current ${what} now.`, subject, deadline, lead);
      }
    }
    if (inScope === 0) ctx.findings.push(nobody);
  };
}
