// Notices the law requires on display (choking first-aid instructions, a letter grade card, an
// inspection placard, calorie declarations): checked against the facility's own statement of
// what it has posted (`postedNotices`). A facility that states nothing is not guessed about —
// the finding says the notice could not be checked, and what to post — while a list, even an
// empty one, is taken at its word: a required notice missing from it fails.
import { sharedNotApplicable } from "../engine/finding";
import type { Check, RuleMeta } from "../engine/types";
import type { RequirementOf } from "../schema/dataset";
import type { NoticeType } from "../schema/facility";
import { emit, FACILITY } from "./shared";

export const NOTICE_LABELS: Record<NoticeType, string> = {
  choking_first_aid: "choking first-aid instructions",
  letter_grade_card: "letter grade card",
  inspection_placard: "inspection placard",
  menu_calorie_labels: "calorie declarations on menus and menu boards",
  sodium_warning: "sodium warning on the menu",
  permit: "permit or licence",
  manager_certificate: "food manager certificate",
  food_allergy_notice: "food allergy notice",
  handwashing_sign: "handwashing sign at each employee sink",
  health_department_contact_sign: "sign giving the health department's contact for public health concerns",
};

export function compilePosting(req: RequirementOf<"posting">, meta: RuleMeta): Check {
  const label = NOTICE_LABELS[req.notice];
  const unstated = sharedNotApplicable(
    meta,
    `Not checked: the payload does not say which notices are posted (postedNotices); list "${req.notice}" once the ${label} is up. ${req.action}.`,
    FACILITY,
  );
  const posted = `The ${label} is posted, as the facility states.`;
  const missing = `The facility does not list the ${label} among its posted notices. ${req.action}.`;
  return (ctx) => {
    const notices = ctx.facility.postedNotices;
    if (notices === undefined) {
      ctx.findings.push(unstated);
      return;
    }
    if (notices.includes(req.notice)) emit(ctx, meta, "pass", posted, FACILITY, Number.NaN);
    else emit(ctx, meta, "fail", missing, FACILITY, Number.NaN);
  };
}
