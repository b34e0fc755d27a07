// The facility contract of POST /v1/checks: field names are fixed by the API; array sizes and
// string lengths are bounded so a hostile payload cannot make validation or evaluation blow up.
import * as v from "valibot";
import { boundedString, DateSchema, DateTimeSchema, OcdIdSchema, storableString } from "./common";

export { DateTimeSchema };

export const FACILITY_TYPES = [
  "restaurant",
  "shared_kitchen",
  "commissary",
  "ghost_kitchen",
  "mobile_food_facility",
  "caterer",
  "institutional_kitchen",
] as const;
export type FacilityType = (typeof FACILITY_TYPES)[number];

export const PERMIT_TYPES = [
  "health_permit",
  "mobile_food_facility_permit",
  "commissary_agreement",
  "business_license",
  "food_service_license",
  "food_dealer_permit",
  "public_food_service_license",
] as const;
export type PermitType = (typeof PERMIT_TYPES)[number];

export const STAFF_ROLES = ["food_employee", "manager", "person_in_charge", "owner"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export const CREDENTIAL_TYPES = [
  "food_handler_card",
  "food_protection_manager",
  "allergen_awareness",
  "local_manager_certificate",
] as const;
export type CredentialType = (typeof CREDENTIAL_TYPES)[number];

export const HOLDING_MODES = ["cold_holding", "hot_holding"] as const;
export type HoldingMode = (typeof HOLDING_MODES)[number];

/**
 * What a temperature reading is of, for the item allowances that holding rules give some foods
 * (`temperatureLogs[].category`, optional, added 2026-12). Each category exists because a rule
 * needs it:
 * - `whole_meat_roast`: whole meat roasts (beef, pork, lamb, ham…) cooked as in Food Code
 *   § 3-401.11(B), which may be hot-held at 130°F (§ 3-501.16(A)(1)). Not poultry, not slices.
 * - `shell_eggs`: raw shell eggs not treated to destroy Salmonellae, stored at an ambient 45°F
 *   (§ 3-501.16(B); Cal. HSC § 113996; 10 NYCRR 14-1.40). Not liquid, cooked or pasteurized egg.
 * - `live_molluscan_shellfish`: live, unshucked oysters, clams, mussels (shellstock), 45°F in
 *   California (HSC § 113996). Not shucked shellfish or dishes made from them (clam chowder).
 * - `sealed_pasteurized_dairy`: pasteurized milk products in their original sealed containers,
 *   45°F in California (HSC § 113996).
 * - `smoked_fish`, `reduced_oxygen_packaged_fish`: 38°F in New York City (Health Code § 81.09).
 * - `other`: none of the above. It says so explicitly: no allowance applies and the item name
 *   is not matched.
 * Without a category the engine falls back to matching the item name, and that fallback fails
 * safe (`requirements/temperature.ts`): a name gets a looser limit only when it names the food
 * unambiguously ("roast chicken" is not a whole meat roast, "clam chowder" not live shellfish),
 * and a stricter limit whenever it may be that food.
 */
export const ITEM_CATEGORIES = [
  "whole_meat_roast",
  "shell_eggs",
  "live_molluscan_shellfish",
  "sealed_pasteurized_dairy",
  "smoked_fish",
  "reduced_oxygen_packaged_fish",
  "other",
] as const;
export type ItemCategory = (typeof ITEM_CATEGORIES)[number];

/**
 * Notices the law requires on display, for `posting` rules (`postedNotices`, optional, added
 * 2026-12). Each exists because a rule needs it:
 * - `choking_first_aid`: first-aid instructions for choking (N.Y. Public Health Law § 1352-b;
 *   Illinois's Choke-Saving Methods Act placard, 410 ILCS 10/4).
 * - `letter_grade_card`: New York City's inspection letter grade (Health Code § 81.51).
 * - `inspection_placard`: San Francisco's green/yellow/red inspection placard.
 * - `menu_calorie_labels`: calories declared on menus and menu boards (21 CFR 101.11).
 * - `sodium_warning`: New York City's sodium warning icon on menus of chains (Health Code § 81.49).
 * - `permit`: the permit or licence to operate, displayed (e.g. 10 NYCRR 14-1.190(a)).
 * - `manager_certificate`: the certified food manager's certificate, displayed (e.g. Chicago
 *   Municipal Code § 7-38-012).
 * - `food_allergy_notice`: a food allergy notice (N.Y. Public Health Law § 1356(3) for staff;
 *   410 ILCS 625/3.08(a) for customers) — which one, and where, is the rule's action.
 * - `handwashing_sign`: a sign telling food employees to wash their hands, at each handwashing
 *   sink they use.
 * - `health_department_contact_sign`: a sign telling patrons where to take public health
 *   concerns (San Francisco Health Code § 456 series, subd. (f)).
 */
export const NOTICE_TYPES = [
  "choking_first_aid",
  "letter_grade_card",
  "inspection_placard",
  "menu_calorie_labels",
  "sodium_warning",
  "permit",
  "manager_certificate",
  "food_allergy_notice",
  "handwashing_sign",
  "health_department_contact_sign",
] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

// USPS codes of states, DC and the inhabited territories: any of them is VALID input; whether
// Prep covers it is answered by resolveJurisdictions, not by validation.
export const US_STATE_CODES = [
  "AL", "AK", "AZ", "AR", "CA", "CO", "CT", "DE", "FL", "GA", "HI", "ID", "IL", "IN", "IA", "KS", "KY",
  "LA", "ME", "MD", "MA", "MI", "MN", "MS", "MO", "MT", "NE", "NV", "NH", "NJ", "NM", "NY", "NC", "ND",
  "OH", "OK", "OR", "PA", "RI", "SC", "SD", "TN", "TX", "UT", "VT", "VA", "WA", "WV", "WI", "WY", "DC",
  "PR", "GU", "VI", "AS", "MP",
] as const; // biome-ignore format: one code per column reads better as a table

export const LIMITS = {
  staff: 5000,
  credentialsPerStaff: 50,
  permits: 200,
  inspections: 1000,
  temperatureLogs: 10_000,
  /** Every notice type a few times over: duplicates are harmless, thousands are hostile. */
  postedNotices: 50,
  /** Far above the largest US chain (about 40,000 locations), so no real chain is refused. */
  chainLocations: 1_000_000,
} as const;

const optionalDate = v.optional(DateSchema);

/**
 * The facility's address; resolveJurisdictions (compliance/jurisdictions/resolve.ts) turns it into
 * the layers whose rules apply. The county comes from `county` when given, else from `postalCode`
 * (the ZIP code's county, from the Census ZCTA-to-county relationships), else from the city. A
 * `county` or city contradicting the ZIP code is refused with what to correct; a ZIP code spanning
 * counties that the city does not settle leaves the county rules unchecked, and says so
 * (`countyAmbiguity`): give `county` and `postalCode` for the most precise verdict.
 */
export const AddressSchema = v.object({
  line1: v.optional(boundedString(200)),
  city: boundedString(100, 1),
  county: v.optional(boundedString(100)),
  state: v.pipe(
    storableString("must be a USPS state code"),
    v.trim(),
    v.toUpperCase(),
    v.picklist(US_STATE_CODES, "must be a USPS 2-letter state code such as CA"),
  ),
  postalCode: v.optional(
    v.pipe(storableString(), v.regex(/^\d{5}(-\d{4})?$/, "must be a US ZIP code (12345 or 12345-6789)")),
  ),
});
export type Address = v.InferOutput<typeof AddressSchema>;

export const PermitSchema = v.object({
  type: v.picklist(PERMIT_TYPES, `must be one of: ${PERMIT_TYPES.join(", ")}`),
  number: v.optional(boundedString(100, 1)),
  issuer: v.optional(OcdIdSchema),
  issuedAt: optionalDate,
  expiresAt: v.optional(v.nullable(DateSchema)),
});

export const CredentialSchema = v.object({
  type: v.picklist(CREDENTIAL_TYPES, `must be one of: ${CREDENTIAL_TYPES.join(", ")}`),
  issuer: v.optional(OcdIdSchema),
  issuedAt: optionalDate,
  expiresAt: v.optional(v.nullable(DateSchema)),
});

export const StaffSchema = v.object({
  id: boundedString(100, 1),
  name: v.optional(boundedString(200)),
  role: v.picklist(STAFF_ROLES, `must be one of: ${STAFF_ROLES.join(", ")}`),
  hiredAt: DateSchema,
  credentials: v.optional(
    v.pipe(
      v.array(CredentialSchema, "must be an array"),
      v.maxLength(LIMITS.credentialsPerStaff, `must have at most ${LIMITS.credentialsPerStaff} items`),
    ),
  ),
});

export const InspectionSchema = v.object({
  date: DateSchema,
  score: v.optional(v.pipe(v.number("must be a number"), v.finite(), v.minValue(0), v.maxValue(1000))),
  grade: v.optional(boundedString(20)),
  criticalViolations: v.optional(
    v.pipe(v.number(), v.integer("must be an integer"), v.minValue(0), v.maxValue(10_000)),
  ),
});

export const TemperatureLogSchema = v.object({
  at: DateTimeSchema,
  item: v.optional(boundedString(200)),
  /** Optional (added 2026-12): what the reading is of, for item allowances; see ITEM_CATEGORIES. */
  category: v.optional(v.picklist(ITEM_CATEGORIES, `must be one of: ${ITEM_CATEGORIES.join(", ")}`)),
  mode: v.picklist(HOLDING_MODES, `must be one of: ${HOLDING_MODES.join(", ")}`),
  tempF: v.pipe(v.number("must be a number"), v.finite("must be finite"), v.minValue(-100), v.maxValue(1000)),
});

function boundedArray<T extends v.GenericSchema>(item: T, max: number) {
  return v.optional(
    v.pipe(v.array(item, "must be an array"), v.maxLength(max, `must have at most ${max} items`)),
  );
}

const FacilityObjectSchema = v.object({
  name: boundedString(200, 1),
  type: v.picklist(FACILITY_TYPES, `must be one of: ${FACILITY_TYPES.join(", ")}`),
  address: AddressSchema,
  handlesUnpackagedTcsFood: v.optional(v.boolean("must be true or false"), true),
  openedAt: optionalDate,
  ownershipChangedAt: optionalDate,
  /**
   * Optional (added 2026-12): the day the facility stopped having a certified owner or employee
   * — its last holder of a food protection manager / food safety certificate left. Where the law
   * restarts the certification window then (California, HSC §113947.1: 60 days), a
   * `credential_holder` rule with `graceAlsoFromHolderLeaving` counts its grace from the latest
   * of openedAt, ownershipChangedAt and this date. Ignored while a current holder is listed, and
   * until the date is reached (a date after asOf is a departure not yet happened).
   */
  certificateHolderLeftAt: optionalDate,
  /**
   * Optional (added 2026-12): true when the facility serves a highly susceptible population
   * (FDA Food Code 1-201.10: people more likely to become ill, e.g. in health care facilities,
   * nursing homes, assisted living or child care; Florida DOH institutions). Rules whose law
   * turns on it (Fla. Admin. Code 64E-11.012(2): a certified manager present whatever the
   * staffing) apply when it is true; absent means "not stated" and is treated as false, which
   * the findings say.
   */
  servesHighlySusceptiblePopulation: v.optional(v.boolean("must be true or false")),
  /**
   * Optional (added 2026-12): how many locations the chain this facility belongs to has, this one
   * included, counting only locations doing business under the same name and offering
   * substantially the same menu items (21 CFR 101.11(a)). Rules whose law turns on chain size
   * (federal menu labelling: 20 or more) apply when it reaches their threshold; absent means
   * "not stated" and is treated as a single location, which the findings say.
   */
  chainLocations: v.optional(
    v.pipe(
      v.number("must be a number"),
      v.integer("must be an integer"),
      v.minValue(1, "must be at least 1 (this location)"),
      v.maxValue(LIMITS.chainLocations, `must be at most ${LIMITS.chainLocations}`),
    ),
  ),
  /**
   * Optional (added 2026-12): the notices this facility has on display (NOTICE_TYPES). Absent
   * means "not stated": `posting` rules then say they could not check (not_applicable) rather
   * than guess; a list, even empty, is checked — a required notice missing from it fails.
   */
  postedNotices: boundedArray(
    v.picklist(NOTICE_TYPES, `must be one of: ${NOTICE_TYPES.join(", ")}`),
    LIMITS.postedNotices,
  ),
  permits: boundedArray(PermitSchema, LIMITS.permits),
  staff: boundedArray(StaffSchema, LIMITS.staff),
  inspections: boundedArray(InspectionSchema, LIMITS.inspections),
  temperatureLogs: boundedArray(TemperatureLogSchema, LIMITS.temperatureLogs),
});

// Duplicate staff ids would make findings ambiguous (subject.id must identify one person).
const uniqueStaffIds = v.rawCheck<v.InferOutput<typeof FacilityObjectSchema>>(({ dataset, addIssue }) => {
  if (!dataset.typed || !dataset.value.staff) return;
  const seen = new Set<string>();
  const staff = dataset.value.staff;
  for (let i = 0; i < staff.length; i++) {
    const member = staff[i];
    if (!member) continue;
    if (seen.has(member.id)) {
      addIssue({
        message: `duplicate staff id ${JSON.stringify(member.id)}`,
        path: [
          { type: "object", origin: "value", input: dataset.value, key: "staff", value: staff },
          { type: "array", origin: "value", input: staff, key: i, value: member },
          { type: "object", origin: "value", input: member, key: "id", value: member.id },
        ],
      });
    }
    seen.add(member.id);
  }
});

export const FacilityInputSchema = v.pipe(FacilityObjectSchema, uniqueStaffIds);
export type FacilityInput = v.InferOutput<typeof FacilityInputSchema>;
export type Staff = v.InferOutput<typeof StaffSchema>;
export type Credential = v.InferOutput<typeof CredentialSchema>;
export type Permit = v.InferOutput<typeof PermitSchema>;

/**
 * asOf: "YYYY-MM-DD" or an RFC 3339 date-time; output is the calendar date as written (the
 * date at the given offset, which is the facility's local date when the client sends local time).
 */
export const AsOfSchema = v.union(
  [
    DateSchema,
    v.pipe(
      DateTimeSchema,
      v.transform((s) => s.slice(0, 10)),
    ),
  ],
  "must be a date YYYY-MM-DD or an RFC 3339 date-time",
);
