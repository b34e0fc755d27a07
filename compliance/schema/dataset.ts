// The reviewable JSON shape of a rule dataset (one file per jurisdiction under datasets/). Every
// requirement is declarative data; compile/ turns it into closures once per dataset version.
import * as v from "valibot";
import { boundedString, DateSchema, OcdIdSchema, storableString } from "./common";
import {
  CREDENTIAL_TYPES,
  FACILITY_TYPES,
  ITEM_CATEGORIES,
  NOTICE_TYPES,
  PERMIT_TYPES,
  STAFF_ROLES,
} from "./facility";

const Roles = v.pipe(v.array(v.picklist(STAFF_ROLES)), v.minLength(1, "must list at least one role"));
const Days = v.pipe(v.number(), v.integer("must be a whole number of days"), v.minValue(0), v.maxValue(3650));
const Fahrenheit = v.pipe(v.number(), v.finite(), v.minValue(-100), v.maxValue(500));
const OcdList = v.pipe(v.array(OcdIdSchema), v.maxLength(200));

/** Which credential issuers a rule accepts, and where ("accepted in" semantics). */
export const AcceptedIssuerSchema = v.object({
  issuer: OcdIdSchema,
  /** Accepted only where the facility lies in one of these divisions. */
  acceptedIn: v.optional(OcdList),
  /** Not accepted where the facility lies in one of these divisions (e.g. the CA state card in Riverside County). */
  notAcceptedIn: v.optional(OcdList),
});

export const CredentialSpecSchema = v.object({
  type: v.picklist(CREDENTIAL_TYPES),
  /** Years of validity counted from issuedAt when the credential has no expiresAt; null = never expires. */
  validityYears: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50))),
  /** Absent = any issuer is accepted. */
  acceptedIssuers: v.optional(v.pipe(v.array(AcceptedIssuerSchema), v.minLength(1), v.maxLength(50))),
  /** Issuer assumed for a credential submitted without one (e.g. an accredited-provider card counts as the state card). */
  assumeIssuer: v.optional(OcdIdSchema),
});
export type CredentialSpec = v.InferOutput<typeof CredentialSpecSchema>;

export const MinimumStaffingSchema = v.object({
  roles: Roles,
  /** The rule applies only when at least this many listed staff have one of `roles`. */
  atLeast: v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(10_000)),
});

const EachStaffCredential = v.object({
  kind: v.literal("each_staff_credential"),
  roles: Roles,
  credential: CredentialSpecSchema,
  /**
   * Staff holding a credential of one of these types are exempt ("other than the certificate
   * holder") only while it is valid: through its expiresAt; with no expiresAt, through issuedAt +
   * `exemptValidityYears`. A credential whose validity cannot be established this way (no
   * expiresAt, and no issuedAt or no exemptValidityYears) does not exempt; an explicit
   * `expiresAt: null` counts as never expiring only when exemptValidityYears is absent or null.
   */
  exemptIfHolding: v.optional(v.array(v.picklist(CREDENTIAL_TYPES))),
  /**
   * Years an exempting credential is valid from its issuedAt when it has no expiresAt (the
   * validity the jurisdiction gives it, e.g. 5 for a California food safety certificate, HSC
   * §113947.3); null = it never expires (NYC's certificate).
   */
  exemptValidityYears: v.optional(v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50)))),
  /** Only staff holding a current credential of one of these types are in scope ("certified managers"). */
  onlyIfHolding: v.optional(v.array(v.picklist(CREDENTIAL_TYPES))),
  /** Days after hire during which a missing credential is a warning; day `graceDays` is the last day. */
  graceDays: Days,
  /**
   * The grace period holds only while someone listed among the staff holds this credential
   * (supervision by a certified person, San Bernardino County Code §33.0409(b)); without one, a
   * missing credential fails from the hire date.
   */
  graceOnlyIfSupervisedBy: v.optional(CredentialSpecSchema),
});

const CredentialHolder = v.object({
  kind: v.literal("credential_holder"),
  /** At least one staff member with one of these roles must hold the credential (or merely exist, if no credential). */
  roles: Roles,
  credential: v.optional(CredentialSpecSchema),
  /** true: the holder must be on site. The payload has no shifts, so this is approximated by "listed among staff". */
  onSite: v.boolean(),
  /** Grace counted from the later of openedAt / ownershipChangedAt. */
  graceDaysFromOpening: v.optional(Days),
  /** true: that grace also runs from the facility's certificateHolderLeftAt (HSC §113947.1). */
  graceAlsoFromHolderLeaving: v.optional(v.boolean()),
  minimumStaffing: v.optional(MinimumStaffingSchema),
  /** With minimumStaffing: the rule applies whatever the staffing where the facility serves a highly susceptible population. */
  alsoIfHighlySusceptiblePopulation: v.optional(v.boolean()),
});

const PermitRequirement = v.object({
  kind: v.literal("permit"),
  permitTypes: v.pipe(v.array(v.picklist(PERMIT_TYPES)), v.minLength(1)),
  /** Absent = any issuer. */
  acceptedIssuers: v.optional(v.pipe(v.array(OcdIdSchema), v.minLength(1))),
  /**
   * Other permit types accepted for some facility types, besides `permitTypes` (a food truck's
   * operating permit is a mobile food facility permit). Checked in order; the first entry listing
   * the facility's type adds its permit types.
   */
  alsoAcceptedFor: v.optional(
    v.pipe(
      v.array(
        v.object({
          facilityTypes: v.pipe(v.array(v.picklist(FACILITY_TYPES)), v.minLength(1)),
          permitTypes: v.pipe(v.array(v.picklist(PERMIT_TYPES)), v.minLength(1)),
        }),
      ),
      v.minLength(1),
      v.maxLength(20),
    ),
  ),
  /**
   * Validity counted from issuedAt when the permit has no expiresAt (1 = renewed yearly); null =
   * the dataset states no term: see `undatedPermits`.
   */
  validityYears: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50))),
  /**
   * With validityYears null, what a permit without an expiry date (expiresAt absent or null) is:
   * "expiry_unknown" — it renews on the authority's cycle, which the dataset does not state, so it
   * is a warning ("expiry unknown", no due date) asking for the date, never "valid forever"
   * (a dated permit is preferred when one is listed); "open_ended" (default) — it counts as valid
   * with no end (e.g. a commissary agreement without an end date).
   */
  undatedPermits: v.optional(v.picklist(["expiry_unknown", "open_ended"])),
  /** Permits are personal: one issued before the last change of ownership no longer counts. */
  voidOnOwnershipChange: v.optional(v.boolean()),
});

const TemperatureRequirement = v.object({
  kind: v.literal("temperature"),
  coldMaxF: v.optional(Fahrenheit),
  hotMinF: v.optional(Fahrenheit),
  /** Readings taken in the last `lookbackDays` days (asOf included) are checked. */
  lookbackDays: v.pipe(Days, v.minValue(1)),
  /**
   * Item-specific limits for the item `categories` they name (e.g. shell eggs at an ambient
   * 45°F), each needing `categories` or legacy `keywords`; a limit may be looser or stricter
   * than the general one (NYC's 38°F for smoked fish).
   * A rule may give allowances only (no general limit): it then checks the matching items alone.
   */
  allowances: v.optional(
    v.pipe(
      v.array(
        v.pipe(
          v.object({
            /**
             * The item categories the allowance is for (`temperatureLogs[].category`, see
             * ITEM_CATEGORIES); logs without a category are matched by name, failing safe
             * (requirements/temperature.ts).
             */
            categories: v.optional(v.pipe(v.array(v.picklist(ITEM_CATEGORIES)), v.minLength(1))),
            /**
             * Legacy: extra lower-case substrings of the item name, for logs without a category.
             * They are not fail-safe ("clam" matches "clam chowder"); use `categories`.
             */
            keywords: v.optional(
              v.pipe(v.array(v.pipe(storableString(), v.minLength(2), v.maxLength(50))), v.minLength(1)),
            ),
            coldMaxF: v.optional(Fahrenheit),
            hotMinF: v.optional(Fahrenheit),
            note: boundedString(300, 1),
          }),
          v.check(
            (a) => a.categories !== undefined || a.keywords !== undefined,
            "an allowance needs categories (or legacy keywords)",
          ),
        ),
      ),
      v.maxLength(50),
    ),
  ),
});

const InspectionGrade = v.object({
  kind: v.literal("inspection_grade"),
  /** "higher_is_better" (default: LA County's 0–100 score) or "lower_is_better" (NYC's violation points). */
  scoring: v.optional(v.picklist(["higher_is_better", "lower_is_better"])),
  /**
   * Best band first. higher_is_better: the latest scored inspection falls in the first band whose
   * minScore it reaches; lower_is_better: in the first band whose maxScore it does not exceed (the
   * last band may omit maxScore: no upper bound). validateDataset checks bounds and order.
   */
  bands: v.pipe(
    v.array(
      v.object({
        minScore: v.optional(v.number()),
        maxScore: v.optional(v.number()),
        label: boundedString(100, 1),
        status: v.picklist(["pass", "fail"]),
      }),
    ),
    v.minLength(1),
  ),
});

const Preemption = v.object({
  kind: v.literal("preemption"),
  /** Rules on these topics in narrower layers are ignored ... */
  topics: v.pipe(v.array(boundedString(60, 1)), v.minLength(1)),
  /** ... unless the narrower layer is one of these divisions (e.g. pre-2009 county card programs). */
  exceptJurisdictions: v.optional(OcdList),
});

const Posting = v.object({
  kind: v.literal("posting"),
  /** The notice that must be on display; checked against the facility's `postedNotices`. */
  notice: v.picklist(NOTICE_TYPES),
  /** What to post and where, as the law says it: the action of a failing finding. */
  action: boundedString(500, 1),
});

const Informational = v.object({
  kind: v.literal("informational"),
  /** Why the payload cannot show compliance (e.g. "cooling logs are not part of the payload"). */
  reason: boundedString(500, 1),
  /** What the operator must do. */
  action: boundedString(500, 1),
});

export const RequirementSchema = v.variant("kind", [
  EachStaffCredential,
  CredentialHolder,
  PermitRequirement,
  TemperatureRequirement,
  InspectionGrade,
  Preemption,
  Posting,
  Informational,
]);
export type Requirement = v.InferOutput<typeof RequirementSchema>;
export type RequirementOf<K extends Requirement["kind"]> = Extract<Requirement, { kind: K }>;

export const ApplicabilitySchema = v.object({
  /** Absent = every facility type. */
  facilityTypes: v.optional(v.pipe(v.array(v.picklist(FACILITY_TYPES)), v.minLength(1))),
  /** true = only where unpackaged TCS food is handled. */
  requiresUnpackagedTcsFood: v.optional(v.boolean()),
  /**
   * true = only where the facility reports packaged food only: for a note on an open question
   * about packaged-only operations, which every other facility need not see.
   */
  onlyPackagedFood: v.optional(v.literal(true)),
  /** Facilities in these divisions are outside the rule (e.g. Pasadena for LA County's grade ordinance). */
  excludedJurisdictions: v.optional(OcdList),
  /**
   * Only facilities whose `chainLocations` reaches this many (21 CFR 101.11: chains of 20 or
   * more locations); a facility that does not state its chain size is outside the rule, and the
   * finding says so.
   */
  minimumChainLocations: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2), v.maxValue(1_000_000))),
});
export type Applicability = v.InferOutput<typeof ApplicabilitySchema>;

/**
 * How a rule relates to broader layers' rules of its topic (and those in `replaces`): `floor`
 * merges the most stringent limits, `override` replaces them (only for the facilities the rule
 * applies to), `additive` adds to them, `preempted` is recorded but never enforced, and
 * `own_code` says the jurisdiction has its own law on the topic: the broader rules are not law
 * here for ANY facility, whatever this rule's applicability or requirement (even an
 * informational one), so a reference baseline (the FDA model) never binds where a state has
 * not adopted it. Rules on other topics are untouched.
 */
export const COMPOSITIONS = ["floor", "override", "additive", "preempted", "own_code"] as const;
export type Composition = (typeof COMPOSITIONS)[number];

export const RuleSourceSchema = v.object({
  url: v.pipe(
    storableString(),
    v.url("must be an absolute URL"),
    v.startsWith("https://", "must be an https URL"),
  ),
  checkedAt: DateSchema,
});

export const RuleSchema = v.object({
  id: v.pipe(
    v.string(),
    v.regex(/^[A-Z0-9][A-Z0-9-]{0,59}$/, "must be upper-case letters, digits and dashes"),
  ),
  title: boundedString(200, 1),
  citation: v.pipe(
    storableString("must be a citation string"),
    v.trim(),
    v.minLength(1, "must not be empty"),
    v.maxLength(500),
  ),
  severity: v.picklist(["critical", "major", "minor"]),
  /** false for facts marked [V] (not yet verified) in regulations.md. */
  verified: v.boolean(),
  effectiveFrom: DateSchema,
  /** Exclusive: the rule stops applying on this date (the successor's effectiveFrom). */
  effectiveTo: v.optional(DateSchema),
  /** What the rule is about; composition pairs a rule with parent rules of the same topic. */
  topic: v.pipe(v.string(), v.regex(/^[a-z][a-z0-9_]{0,59}$/, "must be a lower_snake_case key")),
  composition: v.picklist(COMPOSITIONS),
  /** Parent rule ids this rule overrides, tightens or displaces (own_code), in addition to those sharing its topic. */
  replaces: v.optional(v.pipe(v.array(storableString()), v.maxLength(20))),
  applicability: v.optional(ApplicabilitySchema),
  requirement: RequirementSchema,
  notes: v.optional(boundedString(2000)),
  /**
   * The primary text the rule was read against (statute, code section or agency page) and the
   * day someone last compared the rule with it; `docs/coverage.md` reports the share of rules
   * that have one. Absent on rules not yet traced to a reachable primary text.
   */
  source: v.optional(RuleSourceSchema),
  /** Set only by compliance/overrides.ts on rules a manual override changed or added; findings carry it. */
  override: v.optional(v.object({ id: boundedString(60, 1), reason: boundedString(2000, 1) })),
});
export type Rule = v.InferOutput<typeof RuleSchema>;

/**
 * How long renewing (or first obtaining) one credential or permit type takes where the dataset's
 * jurisdiction applies: exam scheduling, course length, the agency's processing time. Findings
 * about that type carry `startBy` = the date it is due − `days`. The narrowest layer that states
 * a type's lead time wins (engine/plan.ts); the FDA model layer states one for every type.
 * Facts the agency publishes carry `verified: true` and their `citation`; otherwise
 * `verified: false`, a conservative default, and `basis` says why that number.
 */
const LeadTimeFacts = {
  days: v.pipe(Days, v.minValue(1), v.maxValue(730)),
  verified: v.boolean(),
  citation: v.pipe(storableString(), v.trim(), v.minLength(1, "must not be empty"), v.maxLength(500)),
  /** What the days cover and, when unverified, why this conservative default. */
  basis: boundedString(1000, 1),
};
export const LeadTimeSchema = v.variant("kind", [
  v.object({ kind: v.literal("credential"), type: v.picklist(CREDENTIAL_TYPES), ...LeadTimeFacts }),
  v.object({ kind: v.literal("permit"), type: v.picklist(PERMIT_TYPES), ...LeadTimeFacts }),
]);
export type LeadTime = v.InferOutput<typeof LeadTimeSchema>;

export const DatasetSchema = v.object({
  jurisdiction: OcdIdSchema,
  name: boundedString(200, 1),
  /** Authority name used in finding messages ("California requires ..."); defaults to `name`. */
  shortName: v.optional(boundedString(60, 1)),
  version: v.pipe(v.string(), v.regex(/^\d{4}\.\d+\.\d+$/, 'must look like "2026.11.0"')),
  source: v.object({
    url: v.optional(v.pipe(storableString(), v.url())),
    publisher: boundedString(300, 1),
    retrievedAt: DateSchema,
  }),
  disclaimer: boundedString(2000, 1),
  parent: v.optional(OcdIdSchema),
  rules: v.pipe(v.array(RuleSchema), v.maxLength(1000)),
  /** Renewal lead times per credential and permit type (LeadTimeSchema); at most one per type. */
  leadTimes: v.optional(v.pipe(v.array(LeadTimeSchema), v.maxLength(50))),
});
export type Dataset = v.InferOutput<typeof DatasetSchema>;
