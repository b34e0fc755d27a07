/**
 * The dataset refresh job: for each configured source, fetch → validate → hash → compare
 * with the active version → store a new immutable version → activate it (trusted sources)
 * or leave it pending review → tell the affected tenants (drift sweep). A bad upstream —
 * HTTP error, timeout, invalid JSON, schema violation, more than 20% of the rules dropped —
 * never touches the active version: it is recorded with its retry time and reported.
 */
import {
  type Dataset,
  diffDatasets,
  droppedRuleShare,
  type VersionDiff,
  validateDataset,
} from "../compliance/index";
import {
  type DatasetSource,
  hashContent,
  listSources,
  loadVersion,
  recordRefreshFailure,
  recordRefreshSuccess,
  storeDatasetVersion,
} from "../db/datasets";
import { type AttemptOutcome, finishRun, type RunTrigger, recordAttempt, startRun } from "../db/refresh-runs";
import { nextAttemptAt } from "./backoff";
import type { JobContext } from "./context";
import { type SweepReport, sweepDrift } from "./drift-sweep";
import { fetchSource } from "./sources";

/** A new version may drop at most this share of the active version's rule ids. */
export const MAX_DROPPED_RULE_SHARE = 0.2;

export interface DatasetOutcome {
  jurisdiction: string;
  outcome: AttemptOutcome;
  versionId?: string;
  version?: string;
  errorCode?: string;
  detail?: string;
  nextAttemptAt?: string;
  /** For a new version: what changed against the active one (the data_diff_report). */
  diff?: VersionDiff;
}

export interface RunReport {
  runId: string;
  trigger: RunTrigger;
  startedBy: string;
  status: "succeeded" | "partial" | "failed";
  datasets: DatasetOutcome[];
  /** Tenants told to re-evaluate (null when run without Durable Objects, from the CLI). */
  propagation: SweepReport | null;
}

export interface RefreshOptions {
  trigger: RunTrigger;
  /**
   * Who or what starts the run: the platform admin's id, or "cron" / "cli". Recorded on the run
   * and on each version it fetches, whose approval it then may not give.
   */
  startedBy: string;
  /** Only these jurisdictions (default: every dataset with a source). */
  jurisdictions?: readonly string[] | undefined;
  /** Only failed refreshes whose retry is due (the hourly job). */
  dueOnly?: boolean;
  /** Called once per dataset as soon as its outcome is known (CLI progress). */
  onProgress?: (outcome: DatasetOutcome) => void;
}

type Failure = { code: string; detail: string };

/** Everything up to storing: the new dataset, or why it must not replace the active one. */
async function fetchAndCheck(
  ctx: JobContext,
  source: DatasetSource & { sourceUrl: string },
  active: Dataset | null,
): Promise<{ kind: "not_modified" } | { kind: "dataset"; dataset: Dataset; etag: string | null } | Failure> {
  const fetched = await fetchSource({
    sourceUrl: source.sourceUrl,
    jurisdiction: source.jurisdiction,
    bundles: ctx.publishedBundles,
    etag: source.etag,
    timeoutMs: ctx.fetchTimeoutMs,
    fetch: ctx.fetch,
  });
  if (fetched.kind === "failed") return fetched;
  if (fetched.kind === "not_modified") return fetched;
  const validated = validateDataset(fetched.json);
  if (!validated.ok) {
    const problems = validated.problems.slice(0, 5).map((p) => `${p.pointer || "/"}: ${p.message}`);
    return { code: "invalid_dataset", detail: problems.join("; ") };
  }
  const dataset = validated.dataset;
  if (dataset.jurisdiction !== source.jurisdiction) {
    return {
      code: "invalid_dataset",
      detail: `the source publishes ${dataset.jurisdiction}, not ${source.jurisdiction}`,
    };
  }
  if (active) {
    const dropped = droppedRuleShare(active, dataset);
    if (dropped > MAX_DROPPED_RULE_SHARE) {
      return {
        code: "rules_dropped",
        detail: `${Math.round(dropped * 100)}% of the active version's rules are missing (more than ${MAX_DROPPED_RULE_SHARE * 100}% needs a manual review)`,
      };
    }
  }
  return { kind: "dataset", dataset, etag: fetched.etag };
}

async function refreshOne(
  ctx: JobContext,
  source: DatasetSource & { sourceUrl: string },
  startedBy: string,
): Promise<DatasetOutcome> {
  const { jurisdiction } = source;
  const active = source.activeVersionId
    ? await loadVersion(ctx.db, jurisdiction, source.activeVersionId)
    : null;
  const checked = await fetchAndCheck(ctx, source, active?.content ?? null);
  if ("code" in checked) {
    const retryAt = nextAttemptAt(source.failureCount + 1, ctx.now()).toISOString();
    await recordRefreshFailure(ctx.db, jurisdiction, `${checked.code}: ${checked.detail}`, retryAt);
    return {
      jurisdiction,
      outcome: "failed",
      errorCode: checked.code,
      detail: checked.detail,
      nextAttemptAt: retryAt,
    };
  }
  if (
    checked.kind === "not_modified" ||
    (active && (await hashContent(checked.dataset)) === active.contentHash)
  ) {
    await recordRefreshSuccess(ctx.db, jurisdiction, checked.kind === "dataset" ? checked.etag : source.etag);
    return {
      jurisdiction,
      outcome: "unchanged",
      ...(active ? { versionId: active.id, version: active.version } : {}),
    };
  }
  const stored = await storeDatasetVersion(ctx.db, checked.dataset, {
    source: source.sourceUrl,
    fetchedAt: ctx.now().toISOString(),
    approvedBy: source.trusted ? "auto:trusted-source" : null,
    createdBy: startedBy,
    activate: source.trusted,
  });
  await recordRefreshSuccess(ctx.db, jurisdiction, checked.etag);
  return {
    jurisdiction,
    outcome: source.trusted ? "created" : "pending_review",
    versionId: stored.versionId,
    version: checked.dataset.version,
    ...(active ? { diff: diffDatasets(active.content, checked.dataset) } : {}),
  };
}

export async function refreshDatasets(ctx: JobContext, options: RefreshOptions): Promise<RunReport> {
  const runId = await startRun(ctx.db, options.trigger, options.startedBy, options.jurisdictions);
  const sources = await listSources(ctx.db, {
    jurisdictions: options.jurisdictions,
    dueAt: options.dueOnly ? ctx.now().toISOString() : undefined,
  });
  const outcomes: DatasetOutcome[] = [];
  for (const source of sources) {
    if (!source.sourceUrl) continue;
    let outcome: DatasetOutcome;
    try {
      outcome = await refreshOne(ctx, { ...source, sourceUrl: source.sourceUrl }, options.startedBy);
    } catch (error) {
      // A database error mid-way: report it for this dataset and carry on with the others.
      outcome = {
        jurisdiction: source.jurisdiction,
        outcome: "failed",
        errorCode: "internal",
        detail: String(error),
      };
    }
    await recordAttempt(ctx.db, runId, outcome);
    ctx.log({
      message: "dataset refresh",
      runId,
      ...outcome,
      diff: outcome.diff ? summarizeDiff(outcome.diff) : undefined,
    });
    options.onProgress?.(outcome);
    outcomes.push(outcome);
  }

  const activated = outcomes.filter((o) => o.outcome === "created").map((o) => o.jurisdiction);
  let propagation: SweepReport | null = null;
  if (activated.length > 0) {
    ctx.invalidateDatasets();
    if (ctx.notifyTenant)
      propagation = await sweepDrift(ctx, { jurisdictions: activated, reason: "dataset refresh" });
  }
  const failed = outcomes.filter((o) => o.outcome === "failed").length;
  const status = failed === 0 ? "succeeded" : failed === outcomes.length ? "failed" : "partial";
  const report: RunReport = {
    runId,
    trigger: options.trigger,
    startedBy: options.startedBy,
    status,
    datasets: outcomes,
    propagation,
  };
  await finishRun(ctx.db, runId, status, report);
  return report;
}

/** Counts only, for log lines (the full diff is stored with the attempt). */
export function summarizeDiff(diff: VersionDiff) {
  return {
    from: diff.from,
    to: diff.to,
    added: diff.added.length,
    removed: diff.removed.length,
    changed: diff.changed.length,
    leadTimes: diff.leadTimes.length,
  };
}
