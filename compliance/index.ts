// Public API of the compliance engine. The API route and the tenant Durable Object import only
// from here; everything else in compliance/ is internal and may change.

export { coverageByState, type StateCoverage } from "./coverage-report";
export { bundledDatasets, bundledLayersFor } from "./datasets";
export {
  chainOf,
  compareLayers,
  diffDatasets,
  droppedRuleShare,
  type LayerReport,
  MODEL_JURISDICTION,
  type Relation,
  type VersionDiff,
} from "./diff";
export { compileDataset } from "./engine/compile";
export { type EvaluateOptions, evaluate } from "./engine/evaluate";
export { findingsJson } from "./engine/findings-json";
export { findingsByLayer } from "./engine/group";
export type {
  CompiledDataset,
  Finding,
  FindingStatus,
  OverrideRef,
  Severity,
  Subject,
  Verdict,
} from "./engine/types";
export { type DivisionLevel, levelOf } from "./jurisdictions/ocd";
export { COVERED_STATES, type Resolution, resolveJurisdictions } from "./jurisdictions/resolve";
export { applyOverrides, type Override } from "./overrides";
export {
  type AffectedLocation,
  type AnnouncementResult,
  type FacilityImpact,
  type FindingChange,
  findingChanges,
  impactDates,
  type RuleChangeAhead,
  type RuleChangeAnnouncement,
  type RuleChangeNotice,
  type RuleComparison,
  type RuleComparisonResult,
  upcomingRuleChanges,
  upcomingWindows,
} from "./rule-changes";
export {
  DateSchema,
  DateTimeSchema,
  isStorableText,
  type Problem,
  storableString,
  toProblems,
} from "./schema/common";
export { type Dataset, DatasetSchema, type Requirement, type Rule } from "./schema/dataset";
export { type Address, AsOfSchema, type FacilityInput, FacilityInputSchema, LIMITS } from "./schema/facility";
export { type ValidateDatasetResult, validateDataset } from "./schema/validate-dataset";
export {
  parseWatchedSources,
  SOURCE_KINDS,
  type SourceKind,
  type WatchedSource,
  watchedSources,
} from "./sources";
