/**
 * The impact preview: what a pending dataset version, an override or a dataset file would do
 * to every tenant before anything is activated. The rules in force and the candidate (each
 * with the approved overrides folded in, as checks would see them) go to the object of every
 * tenant with a facility under the jurisdiction; each object evaluates its stored facility
 * inputs under both, at the dates the candidate changes things (today, and each later date a
 * changed rule window starts), and answers the facilities whose verdict differs. The report
 * aggregates them for platform admins: tenant and facility ids, statuses and rule ids —
 * never names, staff or messages.
 */
import {
  applyOverrides,
  type Dataset,
  type FacilityImpact,
  impactDates,
  type Override,
  validateDataset,
} from "../compliance/index";
import type { Database } from "../db/client";
import { loadActiveDatasets, loadVersion } from "../db/datasets";
import { getOverride, loadApprovedOverrides } from "../db/overrides";
import { withOverrides } from "../runtime/dataset-registry";
import type { JobContext } from "./context";
import { affectedTenants } from "./drift-sweep";

/** What to preview: exactly one candidate. */
export type ImpactCandidate =
  | { kind: "dataset"; dataset: unknown }
  | { kind: "version"; versionId: string }
  | { kind: "override"; overrideId: string };

/** Why a candidate cannot be previewed: the route answers 404 (`not_found`) or 422. */
export class ImpactInputError extends Error {
  /** One entry per problem, each with a JSON pointer into the request. */
  readonly errors: { pointer: string; detail: string }[];
  constructor(
    readonly code: "not_found" | "invalid",
    pointer: string,
    detail: string,
    more: { pointer: string; detail: string }[] = [],
  ) {
    super(detail);
    this.errors = [{ pointer, detail }, ...more];
  }
}

export interface RulePair {
  jurisdiction: string;
  activeVersionId: string | null;
  before: Dataset | null;
  after: Dataset;
}

/** The rules in force and the candidate's, as checks would see them. */
export async function rulePair(
  db: Database,
  jurisdiction: string,
  candidate: ImpactCandidate,
): Promise<RulePair> {
  const [active, approved] = await Promise.all([loadActiveDatasets(db), loadApprovedOverrides(db)]);
  const current = active.find((a) => a.jurisdiction === jurisdiction) ?? null;
  const inForce: readonly Override[] = approved.get(jurisdiction) ?? [];
  const pair = (before: Dataset | null, after: Dataset): RulePair => ({
    jurisdiction,
    activeVersionId: current?.versionId ?? null,
    before,
    after,
  });
  const before = current ? withOverrides(current.content, inForce) : null;
  switch (candidate.kind) {
    case "dataset": {
      const validated = validateDataset(candidate.dataset);
      if (!validated.ok) {
        const [first, ...rest] = validated.problems
          .slice(0, 20)
          .map((p) => ({ pointer: `/dataset${p.pointer}`, detail: p.message }));
        throw new ImpactInputError(
          "invalid",
          first?.pointer ?? "/dataset",
          first?.detail ?? "not a valid dataset",
          rest,
        );
      }
      if (validated.dataset.jurisdiction !== jurisdiction)
        throw new ImpactInputError(
          "invalid",
          "/dataset/jurisdiction",
          `the dataset is for ${validated.dataset.jurisdiction}, not ${jurisdiction}`,
        );
      return pair(before, withOverrides(validated.dataset, inForce));
    }
    case "version": {
      const version = await loadVersion(db, jurisdiction, candidate.versionId);
      if (!version || version.id !== candidate.versionId)
        throw new ImpactInputError(
          "not_found",
          "/versionId",
          `no version ${candidate.versionId} of ${jurisdiction}`,
        );
      return pair(before, withOverrides(version.content, inForce));
    }
    case "override": {
      const override = await getOverride(db, candidate.overrideId);
      if (!override || override.jurisdiction !== jurisdiction)
        throw new ImpactInputError(
          "not_found",
          "/overrideId",
          `no override ${candidate.overrideId} in ${jurisdiction}`,
        );
      if (!current)
        throw new ImpactInputError("invalid", "/jurisdiction", `no active dataset for ${jurisdiction}`);
      const others = inForce.filter((o) => o.id !== override.id);
      const applied = applyOverrides(current.content, [...others, override]);
      if (!applied.ok)
        throw new ImpactInputError(
          "invalid",
          "/overrideId",
          `the override no longer applies: ${applied.problems[0]?.message ?? "invalid"}`,
        );
      return pair(withOverrides(current.content, others), applied.dataset);
    }
  }
}

export interface ImpactChange extends FacilityImpact {
  tenantId: string;
}

export interface ImpactReport {
  jurisdiction: string;
  activeVersionId: string | null;
  /** The dates both rule sets were evaluated at. */
  dates: string[];
  /** Tenants with a facility under the jurisdiction (each one's object was asked). */
  tenants: number;
  /** Their facilities standing under the jurisdiction, evaluated. */
  facilities: number;
  affected: { tenants: number; facilities: number };
  /** Facilities by change of overall status, e.g. `{ "at_risk→non_compliant": 2 }`. */
  byStatus: Record<string, number>;
  changes: ImpactChange[];
  /** Tenants whose object could not answer: the report is incomplete without them. */
  unreachable: string[];
}

/** How many tenant objects are asked at once. */
const CONCURRENCY = 6;

export async function previewImpact(
  ctx: Pick<JobContext, "db" | "tenantObjects" | "now" | "log">,
  pair: RulePair,
  options: { asOf?: string | undefined } = {},
): Promise<ImpactReport> {
  const objects = ctx.tenantObjects;
  if (!objects)
    throw new Error("the impact preview needs the tenants' Durable Objects (run it through the Worker)");
  const today = ctx.now().toISOString().slice(0, 10);
  const dates = options.asOf ? [options.asOf] : impactDates(pair.before, pair.after, today);
  const tenantIds = [...(await affectedTenants(ctx.db, [pair.jurisdiction])).keys()].sort();
  const report: ImpactReport = {
    jurisdiction: pair.jurisdiction,
    activeVersionId: pair.activeVersionId,
    dates,
    tenants: tenantIds.length,
    facilities: 0,
    affected: { tenants: 0, facilities: 0 },
    byStatus: {},
    changes: [],
    unreachable: [],
  };
  const input = { jurisdiction: pair.jurisdiction, before: pair.before, after: pair.after, dates };
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < tenantIds.length; i = next++) {
      const tenantId = tenantIds[i] as string;
      try {
        const result = await objects.compareRules(tenantId, input);
        report.facilities += result.evaluated;
        for (const change of result.changes) report.changes.push({ tenantId, ...change });
      } catch (error) {
        report.unreachable.push(tenantId);
        ctx.log({
          level: "error",
          message: "impact preview: tenant object failed",
          tenantId,
          error: String(error),
        });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, tenantIds.length) }, worker));
  report.changes.sort(
    (a, b) => a.tenantId.localeCompare(b.tenantId) || a.facilityId.localeCompare(b.facilityId),
  );
  report.unreachable.sort();
  report.affected = {
    tenants: new Set(report.changes.map((c) => c.tenantId)).size,
    facilities: report.changes.length,
  };
  for (const change of report.changes) {
    const key = `${change.from}→${change.to}`;
    report.byStatus[key] = (report.byStatus[key] ?? 0) + 1;
  }
  return report;
}
