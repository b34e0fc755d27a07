// Helpers every requirement kind uses: emitting findings, tracking the re-evaluation date,
// resolving credential/permit expiry and "accepted in" issuer semantics.
import { addYears, fromDay } from "../dates";
import type { EvalContext, FindingStatus, PreparedCredential, RuleMeta, Subject } from "../engine/types";
import type { CredentialSpec } from "../schema/dataset";
import type { CredentialType } from "../schema/facility";

/** A credential or permit expiring within this many days is a warning (fixed product semantics). */
export const EXPIRING_SOON_DAYS = 30;

export const CREDENTIAL_LABELS: Record<CredentialType, string> = {
  food_handler_card: "food handler card",
  food_protection_manager: "food protection manager certificate",
  allergen_awareness: "allergen awareness certificate",
  local_manager_certificate: "local manager certificate",
};

export function emit(
  ctx: EvalContext,
  meta: RuleMeta,
  status: FindingStatus,
  message: string,
  subject: Subject,
  dueByDay: number,
): void {
  ctx.findings.push({
    ruleId: meta.id,
    jurisdiction: meta.jurisdiction,
    status,
    severity: meta.severity,
    title: meta.title,
    citation: meta.citation,
    message,
    subject,
    dueBy: Number.isFinite(dueByDay) ? fromDay(dueByDay) : null,
    verified: meta.verified,
  });
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

/** Whether the rule accepts a credential from this issuer where the facility lies. */
export function issuerAccepted(
  spec: CredentialSpec,
  issuer: string | undefined,
  chain: readonly string[],
): boolean {
  const accepted = spec.acceptedIssuers;
  if (accepted === undefined) return true;
  const effective = issuer ?? spec.assumeIssuer;
  if (effective === undefined) return false;
  for (const entry of accepted) {
    if (entry.issuer !== effective) continue;
    if (entry.acceptedIn && !inChain(chain, entry.acceptedIn)) continue;
    if (entry.notAcceptedIn && inChain(chain, entry.notAcceptedIn)) continue;
    return true;
  }
  return false;
}

/** Outcome of looking for a credential of one type on one person. */
export type CredentialLookup =
  | { found: "valid"; until: number }
  | { found: "expired"; on: number }
  | { found: "not_accepted"; issuer: string }
  | { found: "undated" }
  | { found: "none" };

const NONE: CredentialLookup = { found: "none" };
const UNDATED: CredentialLookup = { found: "undated" };

/** The best credential of `spec.type` among `credentials` (latest expiry wins), recording future changes. */
export function lookupCredential(
  ctx: EvalContext,
  spec: CredentialSpec,
  credentials: readonly PreparedCredential[],
): CredentialLookup {
  let bestUntil = Number.NEGATIVE_INFINITY;
  let expiredOn = Number.NEGATIVE_INFINITY;
  let rejectedIssuer: string | undefined;
  let undated = false;
  for (const c of credentials) {
    if (c.type !== spec.type) continue;
    if (!issuerAccepted(spec, c.issuer, ctx.chain)) {
      rejectedIssuer = c.issuer ?? spec.assumeIssuer ?? "an unknown issuer";
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
  if (bestUntil !== Number.NEGATIVE_INFINITY) return { found: "valid", until: bestUntil };
  if (expiredOn !== Number.NEGATIVE_INFINITY) return { found: "expired", on: expiredOn };
  if (undated) return UNDATED;
  if (rejectedIssuer !== undefined) return { found: "not_accepted", issuer: rejectedIssuer };
  return NONE;
}

/** Status of something valid through `until`: warn inside the expiring-soon window, else pass. */
export function validityStatus(ctx: EvalContext, until: number): "pass" | "warn" {
  if (!Number.isFinite(until)) return "pass";
  changesOn(ctx, until - EXPIRING_SOON_DAYS);
  changesOn(ctx, until + 1);
  return until - ctx.asOf <= EXPIRING_SOON_DAYS ? "warn" : "pass";
}

/** Phrase completing "<who> has …" for a credential that does not count. */
export function describeMissing(lookup: CredentialLookup, what: string): string {
  switch (lookup.found) {
    case "expired":
      return `a ${what} that expired on ${fromDay(lookup.on)}`;
    case "not_accepted":
      return `a ${what} from ${lookup.issuer}, which is not accepted here`;
    case "undated":
      return `a ${what} with no issue or expiry date, so it cannot be shown to be current`;
    default:
      return `no ${what}`;
  }
}
