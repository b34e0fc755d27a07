// The reviewable JSON shape of a rule dataset (one file per jurisdiction under datasets/). Every
// requirement is declarative data; compile/ turns it into closures once per dataset version.
import * as v from "valibot";
import { boundedString, DateSchema, OcdIdSchema, storableString } from "./common";
import { CREDENTIAL_TYPES, FACILITY_TYPES, PERMIT_TYPES, STAFF_ROLES } from "./facility";

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
  /** Staff holding a valid credential of one of these types are exempt ("other than the certificate holder"). */
  exemptIfHolding: v.optional(v.array(v.picklist(CREDENTIAL_TYPES))),
  /** Only staff holding a current credential of one of these types are in scope ("certified managers"). */
  onlyIfHolding: v.optional(v.array(v.picklist(CREDENTIAL_TYPES))),
  /** Days after hire during which a missing credential is a warning; day `graceDays` is the last day. */
  graceDays: Days,
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
  minimumStaffing: v.optional(MinimumStaffingSchema),
});

const PermitRequirement = v.object({
  kind: v.literal("permit"),
  permitTypes: v.pipe(v.array(v.picklist(PERMIT_TYPES)), v.minLength(1)),
  /** Absent = any issuer. */
  acceptedIssuers: v.optional(v.pipe(v.array(OcdIdSchema), v.minLength(1))),
  /** Validity counted from issuedAt when the permit has no expiresAt (1 = renewed yearly); null = open-ended. */
  validityYears: v.nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50))),
  /** Permits are personal: one issued before the last change of ownership no longer counts. */
  voidOnOwnershipChange: v.optional(v.boolean()),
});

const TemperatureRequirement = v.object({
  kind: v.literal("temperature"),
  coldMaxF: v.optional(Fahrenheit),
  hotMinF: v.optional(Fahrenheit),
  /** Readings taken in the last `lookbackDays` days (asOf included) are checked. */
  lookbackDays: v.pipe(Days, v.minValue(1)),
  /** Item-specific limits, matched by lower-case keyword in the log's `item` (e.g. shell eggs at 45°F). */
  allowances: v.optional(
    v.pipe(
      v.array(
        v.object({
          keywords: v.pipe(
            v.array(v.pipe(storableString(), v.minLength(2), v.maxLength(50))),
            v.minLength(1),
          ),
          coldMaxF: v.optional(Fahrenheit),
          hotMinF: v.optional(Fahrenheit),
          note: boundedString(300, 1),
        }),
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
  Informational,
]);
export type Requirement = v.InferOutput<typeof RequirementSchema>;
export type RequirementOf<K extends Requirement["kind"]> = Extract<Requirement, { kind: K }>;

export const ApplicabilitySchema = v.object({
  /** Absent = every facility type. */
  facilityTypes: v.optional(v.pipe(v.array(v.picklist(FACILITY_TYPES)), v.minLength(1))),
  /** true = only where unpackaged TCS food is handled. */
  requiresUnpackagedTcsFood: v.optional(v.boolean()),
  /** Facilities in these divisions are outside the rule (e.g. Pasadena for LA County's grade ordinance). */
  excludedJurisdictions: v.optional(OcdList),
});
export type Applicability = v.InferOutput<typeof ApplicabilitySchema>;

export const COMPOSITIONS = ["floor", "override", "additive", "preempted"] as const;
export type Composition = (typeof COMPOSITIONS)[number];

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
  /** Parent rule ids this rule overrides or tightens, in addition to those sharing its topic. */
  replaces: v.optional(v.pipe(v.array(storableString()), v.maxLength(20))),
  applicability: v.optional(ApplicabilitySchema),
  requirement: RequirementSchema,
  notes: v.optional(boundedString(2000)),
  /** Set only by compliance/overrides.ts on rules a manual override changed or added; findings carry it. */
  override: v.optional(v.object({ id: boundedString(60, 1), reason: boundedString(2000, 1) })),
});
export type Rule = v.InferOutput<typeof RuleSchema>;

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
});
export type Dataset = v.InferOutput<typeof DatasetSchema>;
