// Helpers every requirement kind uses: emitting findings, tracking the re-evaluation date,
// resolving credential/permit expiry and "accepted in" issuer semantics.
import { addYears, fromDay } from "../dates";
import { newFinding } from "../engine/finding";
import type { LeadSlot } from "../engine/lead-times";
import type {
  EvalContext,
  Finding,
  FindingStatus,
  PreparedCredential,
  RuleMeta,
  Subject,
} from "../engine/types";
import { divisionName } from "../jurisdictions/resolve";
import type { CredentialSpec } from "../schema/dataset";
import type { CredentialType } from "../schema/facility";
import { withArticle } from "../wording";

/** The subject of a finding about the facility as a whole rather than a person or a permit. */
export const FACILITY = { kind: "facility", id: "facility" } as const;

/** A credential or permit expiring within this many days is a warning (fixed product semantics). */
export const EXPIRING_SOON_DAYS = 30;

export const CREDENTIAL_LABELS: Record<CredentialType, string> = {
  food_handler_card: "food handler card",
  food_protection_manager: "food protection manager certificate",
  allergen_awareness: "allergen awareness certificate",
  local_manager_certificate: "local manager certificate",
};

/**
 * Pushes a finding. `lead` (a credential or permit type's slot, lead-times.ts) names what the
 * finding is about, for its renewal lead time; `validThroughDay` is the last valid day of the
 * credential or permit found current (NaN: none). `startBy` = (dueBy, else validThrough) − the
 * lead time.
 */
export function emit(
  ctx: EvalContext,
  meta: RuleMeta,
  status: FindingStatus,
  message: string,
  subject: Subject,
  dueByDay: number,
  lead?: LeadSlot,
  validThroughDay = Number.NaN,
): void {
  const hasDue = Number.isFinite(dueByDay);
  // NaN lead days (none stated) or a target that is not a date leave startBy null.
  const start =
    lead === undefined ? Number.NaN : (hasDue ? dueByDay : validThroughDay) - (ctx.leadDays[lead] as number);
  const finding = newFinding(
    meta,
    status,
    message,
    subject,
    hasDue ? fromDay(dueByDay) : null,
    Number.isFinite(start) ? fromDay(start) : null,
    Number.isFinite(validThroughDay) ? fromDay(validThroughDay) : null,
  );
  ctx.findings.push(finding);
  tally(ctx, finding);
}

/** Folds an emitted finding into the verdict's status and next deadline. */
function tally(ctx: EvalContext, finding: Finding): void {
  if (finding.status === "fail") ctx.status = "non_compliant";
  else if (finding.status === "warn") {
    if (ctx.status === "compliant") ctx.status = "at_risk";
    const due = finding.dueBy;
    if (due !== null && (ctx.nextDeadline === undefined || due < (ctx.nextDeadline.dueBy as string))) {
      ctx.nextDeadline = finding;
    }
  }
}

/** Record a future day on which some finding changes status. */
export function changesOn(ctx: EvalContext, day: number): void {
  if (day > ctx.asOf && day < ctx.reevaluate) ctx.reevaluate = day;
}

/**
 * Last valid day of a credential or permit (inclusive): the explicit expiresAt, else issuedAt +
 * validityYears, +Infinity when it never expires, NaN when it cannot be dated although the rule
 * gives it a limited validity (an undated card cannot be shown to be current).
 */
export function lastValidDay(issued: number, expires: number, validityYears: number | null): number {
  if (Number.isFinite(expires)) return expires;
  if (validityYears === null) return Number.POSITIVE_INFINITY;
  if (!Number.isNaN(issued)) return addYears(issued, validityYears);
  return Number.NaN;
}

function inChain(chain: readonly string[], ids: readonly string[]): boolean {
  for (const id of ids) if (chain.includes(id)) return true;
  return false;
}

/**
 * The issuers whose credentials `spec` accepts where the facility lies (undefined: any issuer).
 * Resolved once per check from the "accepted in" / "not accepted in" lists, so that each
 * credential's issuer is then a plain membership test.
 */
export function acceptedIssuers(
  spec: CredentialSpec,
  chain: readonly string[],
): readonly string[] | undefined {
  if (spec.acceptedIssuers === undefined) return undefined;
  const issuers: string[] = [];
  for (const entry of spec.acceptedIssuers) {
    if (entry.acceptedIn && !inChain(chain, entry.acceptedIn)) continue;
    if (entry.notAcceptedIn && inChain(chain, entry.notAcceptedIn)) continue;
    issuers.push(entry.issuer);
  }
  return issuers;
}

/**
 * `acceptedIssuers` for one rule's credential, remembering the answer for the last chain it saw:
 * a rule evaluated for facility after facility in the same place resolves its "accepted in" lists
 * once, not once per verdict (their membership tests were a few percent of a verdict). The chain
 * is compared by content, so a caller's fresh copy of the same chain still hits, and a mutated
 * array never aliases the remembered one. The remembered list is frozen: verdicts share it.
 */
export function acceptedIssuersWhere(
  spec: CredentialSpec,
): (chain: readonly string[]) => readonly string[] | undefined {
  if (spec.acceptedIssuers === undefined) return () => undefined;
  let lastChain: readonly string[] = [];
  let last: readonly string[] = [];
  return (chain) => {
    if (!sameStrings(chain, lastChain)) {
      last = Object.freeze(acceptedIssuers(spec, chain) as string[]);
      lastChain = Object.freeze(chain.slice());
    }
    return last;
  };
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Slots of a `phraseByDay` table: more than the distinct expiry days of a large tenant's staff. */
const PHRASE_SLOTS = 4096;

/**
 * `phrase` remembered per day in a direct-mapped table (a colliding day replaces the slot's entry).
 * A rule's message tail that depends on one date only ("… (valid through 2027-03-01).") is then
 * built once per date, not once per person: each person's message is one concatenation instead
 * of three, and a verdict of ten staff leaves twenty fewer strings behind (docs/performance.md,
 * "Sixth sitting"). The tables are allocated on first use, so rules never evaluated cost nothing.
 */
export function phraseByDay(phrase: (day: number) => string): (day: number) => string {
  let days: Float64Array | undefined;
  let texts: string[] = [];
  return (day) => {
    const slot = day & (PHRASE_SLOTS - 1);
    if (days === undefined) {
      days = new Float64Array(PHRASE_SLOTS).fill(Number.NaN);
      texts = new Array<string>(PHRASE_SLOTS).fill("");
    } else if (days[slot] === day) return texts[slot] as string;
    const text = phrase(day);
    days[slot] = day;
    texts[slot] = text;
    return text;
  };
}

/** Why a person has no credential of a type that counts. */
export type MissingCredential =
  | { found: "expired"; on: number }
  | { found: "not_accepted"; issuer: string }
  | { found: "undated" }
  | { found: "none" };

export const NO_CREDENTIAL: MissingCredential = { found: "none" };
const UNDATED: MissingCredential = { found: "undated" };

/**
 * The last valid day of the best credential of `spec.type` among `credentials` (latest expiry
 * wins), else why none counts; records future changes. A plain number in the common case, so
 * looking up every staff member's card allocates nothing. `accepted` is
 * `acceptedIssuers(spec, ctx.chain)`.
 */
export function lookupCredential(
  ctx: EvalContext,
  spec: CredentialSpec,
  accepted: readonly string[] | undefined,
  credentials: readonly PreparedCredential[],
): number | MissingCredential {
  let bestUntil = Number.NEGATIVE_INFINITY;
  let expiredOn = Number.NEGATIVE_INFINITY;
  let rejectedIssuer: string | undefined;
  let undated = false;
  for (const c of credentials) {
    if (c.type !== spec.type) continue;
    const issuer = c.issuer ?? spec.assumeIssuer;
    if (accepted && (issuer === undefined || !accepted.includes(issuer))) {
      rejectedIssuer = issuer ?? "an unknown issuer";
      continue;
    }
    if (c.issued > ctx.asOf) {
      changesOn(ctx, c.issued); // becomes valid on its issue date
      continue;
    }
    const until = lastValidDay(c.issued, c.expires, spec.validityYears);
    if (Number.isNaN(until)) undated = true;
    else if (until >= ctx.asOf) bestUntil = Math.max(bestUntil, until);
    else expiredOn = Math.max(expiredOn, until);
  }
  if (bestUntil !== Number.NEGATIVE_INFINITY) return bestUntil;
  if (expiredOn !== Number.NEGATIVE_INFINITY) return { found: "expired", on: expiredOn };
  if (undated) return UNDATED;
  if (rejectedIssuer !== undefined) return { found: "not_accepted", issuer: rejectedIssuer };
  return NO_CREDENTIAL;
}

/** Status of something valid through `until`: warn inside the expiring-soon window, else pass. */
export function validityStatus(ctx: EvalContext, until: number): "pass" | "warn" {
  if (!Number.isFinite(until)) return "pass";
  changesOn(ctx, until - EXPIRING_SOON_DAYS);
  changesOn(ctx, until + 1);
  return until - ctx.asOf <= EXPIRING_SOON_DAYS ? "warn" : "pass";
}

/** Phrase completing "<who> has …" for a credential that does not count. */
export function describeMissing(lookup: MissingCredential, what: string): string {
  switch (lookup.found) {
    case "expired":
      return `${withArticle(what)} that expired on ${fromDay(lookup.on)}`;
    case "not_accepted":
      return `${withArticle(what)} from ${divisionName(lookup.issuer)}, which is not accepted here`;
    case "undated":
      return `${withArticle(what)} with no issue or expiry date, so it cannot be shown to be current`;
    default:
      return `no ${what}`;
  }
}

/**
 * Last valid day of the best current credential of `spec` held by anyone listed among the staff
 * on asOf (−Infinity: nobody), recording the days on which that changes (a hire, an issue date,
 * the lapse). "Supervised by a certified person" is approximated, like "on site", by "listed".
 */
export function bestHolderUntil(ctx: EvalContext, spec: CredentialSpec): number {
  const accepted = acceptedIssuers(spec, ctx.chain);
  let best = Number.NEGATIVE_INFINITY;
  for (const s of ctx.facility.staff) {
    if (s.hired > ctx.asOf) {
      changesOn(ctx, s.hired);
      continue;
    }
    const until = lookupCredential(ctx, spec, accepted, s.credentials);
    if (typeof until === "number" && until > best) best = until;
  }
  if (Number.isFinite(best)) changesOn(ctx, best + 1);
  return best;
}
