// Types shared by the engine: the Verdict returned to callers, and the internal shapes
// (prepared facility, evaluation context, compiled rules) that keep evaluate allocation-light.

import type { DivisionLevel } from "../jurisdictions/ocd";
import type { Applicability, Composition, Requirement } from "../schema/dataset";
import type {
  CredentialType,
  FacilityType,
  HoldingMode,
  ItemCategory,
  NoticeType,
  PermitType,
  StaffRole,
} from "../schema/facility";
import type { LeadDays } from "./lead-times";

export type FindingStatus = "pass" | "warn" | "fail" | "not_applicable";
export type Severity = "critical" | "major" | "minor";
export type Subject = null | { kind: "staff" | "permit" | "facility" | "temperatureLog"; id: string };

export interface Finding {
  ruleId: string;
  jurisdiction: string;
  status: FindingStatus;
  severity: Severity;
  title: string;
  citation: string;
  message: string;
  subject: Subject;
  dueBy: string | null;
  /**
   * When to start renewing (or obtaining) the credential or permit this finding is about so that
   * it is covered in time: `dueBy` − the renewal lead time where the facility stands (the
   * datasets' `leadTimes`), or for a passing finding, `validThrough` − the lead time. Null when
   * the finding has no such date or no lead time applies.
   */
  startBy: string | null;
  /**
   * The last valid day of the credential or permit the finding found current (a pass, or a
   * warning that it expires soon); null when none was found or it never expires.
   */
  validThrough: string | null;
  verified: boolean;
  /** Present when a manual override (not the published dataset) produced this rule. */
  override?: OverrideRef;
}

/** The manual override a rule comes from: auditors see why a finding differs from the dataset. */
export interface OverrideRef {
  id: string;
  reason: string;
}

export interface Verdict {
  status: "compliant" | "at_risk" | "non_compliant";
  jurisdictions: string[];
  datasets: { jurisdiction: string; version: string }[];
  /**
   * The narrowest level whose rules were evaluated: "state" means Prep has no county or city
   * rules for this place (e.g. Dallas, TX), so local requirements are not checked.
   */
  coverage: DivisionLevel | null;
  /**
   * Present when the address's ZIP code spans counties and nothing in the address settled which:
   * the county's rules were not checked (jurisdictions/resolve.ts, never guessed).
   */
  countyAmbiguity?: { postalCode: string; counties: string[]; detail: string };
  findings: Finding[];
  nextDeadline: null | { date: string; ruleId: string; subject: Subject };
  /** Earliest date after asOf on which any finding could change status (alarm time for the tenant DO). */
  reevaluateAt: string | null;
}

/** Everything a finding needs from its rule, fixed at compile time. */
export interface RuleMeta {
  id: string;
  jurisdiction: string;
  /** Short authority name used in messages ("California"). */
  authority: string;
  title: string;
  citation: string;
  severity: Severity;
  verified: boolean;
  topic: string;
  composition: Composition;
  replaces: readonly string[];
  /** Effective window as day numbers, `to` exclusive. */
  from: number;
  to: number;
  override?: OverrideRef;
}

export interface PreparedCredential {
  type: CredentialType;
  /** `credentialBit(type)` (engine/bits.ts), for rules' credential masks. */
  typeBit: number;
  issuer: string | undefined;
  /** NaN when not given. */
  issued: number;
  /** NaN when not given, +Infinity when explicitly null (never expires). */
  expires: number;
}

export interface PreparedStaff {
  id: string;
  /** "Maria (staff s-12)" or "Staff s-12". */
  label: string;
  role: StaffRole;
  /** `roleBit(role)` (engine/bits.ts), for rules' role masks. */
  roleBit: number;
  hired: number;
  credentials: PreparedCredential[];
}

export interface PreparedPermit {
  type: PermitType;
  subjectId: string;
  issuer: string | undefined;
  issued: number;
  expires: number;
}

export interface PreparedLog {
  /** Position in the payload; stringified only when a reading fails (the finding subject id). */
  index: number;
  day: number;
  item: string;
  itemLower: string;
  /** The log's explicit item category; undefined when not given (the name is matched instead). */
  category: ItemCategory | undefined;
  mode: HoldingMode;
  tempF: number;
}

export interface PreparedInspection {
  day: number;
  score: number | undefined;
}

/** The facility with every date parsed to a day number, once per evaluate call. */
export interface PreparedFacility {
  type: FacilityType;
  handlesUnpackagedTcsFood: boolean;
  /** Later of openedAt / ownershipChangedAt; NaN when neither is given. */
  openingDay: number;
  /** ownershipChangedAt; NaN when not given. */
  ownershipChangedDay: number;
  /** certificateHolderLeftAt; NaN when not given. */
  holderLeftDay: number;
  /** servesHighlySusceptiblePopulation === true. */
  highlySusceptible: boolean;
  /** chainLocations; NaN when not stated. */
  chainLocations: number;
  /** postedNotices as given; undefined when not stated. */
  postedNotices: readonly NoticeType[] | undefined;
  staff: PreparedStaff[];
  permits: PreparedPermit[];
  logs: PreparedLog[];
  inspections: PreparedInspection[];
}

export interface EvalContext {
  asOf: number;
  facility: PreparedFacility;
  /** The facility's divisions, broadest first. */
  chain: readonly string[];
  findings: Finding[];
  /** Minimum future day at which a finding may change (Infinity = none). */
  reevaluate: number;
  /**
   * The verdict's status and earliest-due warning (the first one on ties), tallied by `emit`
   * as findings are produced: the findings shared across verdicts are all `not_applicable`.
   */
  status: Verdict["status"];
  nextDeadline: Finding | undefined;
  /** Renewal lead time in days by lead slot (lead-times.ts), the narrowest layer's (plan.ts). */
  leadDays: LeadDays;
}

/** A rule's requirement compiled for that rule: pushes its findings onto `ctx.findings`. */
export type Check = (ctx: EvalContext) => void;

/** A compiled requirement: its check, and the one finding it always reports if it has one. */
export interface CompiledRequirement {
  check: Check;
  /**
   * Set when the check reports this finding on every facility, whatever the payload says
   * (informational rules, preemption declarations): the plan places it directly.
   */
  fixed?: Finding;
}

export interface CompiledRule {
  meta: RuleMeta;
  /** The source of `check` and `notApplicable`, kept so a `floor` merge can recompile the rule. */
  requirement: Requirement;
  applicability: Applicability | undefined;
  /** null when the rule applies to the facility, else the (shared) finding saying why it does not. */
  notApplicable: (ctx: EvalContext) => Finding | null;
  check: Check;
  /** See CompiledRequirement. */
  fixed?: Finding;
}

export interface CompiledDataset {
  jurisdiction: string;
  version: string;
  name: string;
  /** jurisdiction@version#contentHash: the cache key of the layer. */
  key: string;
  rules: readonly CompiledRule[];
  /** The dataset's renewal lead times in days by lead slot (lead-times.ts). */
  leadDays: LeadDays;
}
