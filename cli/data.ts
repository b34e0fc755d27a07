/**
 * `prep data …` — the regulatory data pipeline on demand:
 *
 *   refresh   the refresh job, here and now, printing each dataset's outcome as it lands
 *   diff      the data diff report from the database, or between two directories of dataset
 *             files (CI: the base branch's compliance/datasets against the change's)
 *   validate  dataset files through validateDataset (schema + semantic checks)
 *   source    propose where a dataset is refreshed from, and whether it is trusted (a platform
 *             admin approves it: POST /v1/admin/source-changes/{id}/approve)
 *   impact    the impact preview of a dataset file against every tenant, activating nothing:
 *             only the Worker reaches the tenants' objects, so this asks its admin API
 *             (POST /v1/admin/impact) with PREP_ADMIN_KEY, at PREP_API_URL or the URL of the
 *             Worker `npm start` runs
 *
 * Run from Node, the refresh cannot reach the tenants' Durable Objects: the Worker's hourly
 * drift sweep tells them (or run it through POST /v1/admin/refresh).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { type Dataset, validateDataset } from "../compliance";
import type { Database } from "../db/client";
import { proposeSourceChange } from "../db/source-changes";
import { DEFAULT_FETCH_TIMEOUT_MS, type JobContext } from "../pipeline/context";
import { buildReport, buildStoredReport, type DiffReport, renderMarkdown } from "../pipeline/diff-report";
import { type DatasetOutcome, refreshDatasets } from "../pipeline/refresh";
import { isAllowedSourceUrl } from "../pipeline/sources";
import { readRuntime } from "./runtime";
import { print, UsageError, withDatabase } from "./shared";

export const DATA_USAGE = `  prep data refresh [--jurisdiction <ocd id>]…      refresh datasets now (per-dataset progress on stderr)
  prep data diff --jurisdiction <ocd id> [--from <version>] [--to <version>] [--format markdown|json]
  prep data diff --from-dir <dir> --to-dir <dir> [--format markdown|json]   (files, no database)
  prep data validate [files…]                       default: compliance/datasets/*.json
  prep data source --jurisdiction <ocd id> --url <https://…|bundled:…> [--untrusted]
                                                    proposes it; a platform admin approves it
  prep data impact --jurisdiction <ocd id> --dataset FILE [--as-of YYYY-MM-DD]
                                                    what FILE would change for every tenant (activates
                                                    nothing); needs PREP_ADMIN_KEY, PREP_API_URL or npm start`;

interface DataValues {
  jurisdiction?: string[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
  "from-dir"?: string | undefined;
  "to-dir"?: string | undefined;
  "as-of"?: string | undefined;
  format?: string | undefined;
  url?: string | undefined;
  untrusted?: boolean | undefined;
  dataset?: string | undefined;
}

const DATASETS_DIR = join(import.meta.dirname, "..", "compliance", "datasets");
const today = () => new Date().toISOString().slice(0, 10);

function cliJobContext(db: Database): JobContext {
  return {
    db,
    fetch: globalThis.fetch,
    now: () => new Date(),
    log: () => {},
    fetchTimeoutMs: DEFAULT_FETCH_TIMEOUT_MS,
    invalidateDatasets: () => {},
    environment: "cli",
  };
}

function progressLine(o: DatasetOutcome): string {
  const what =
    o.outcome === "failed"
      ? `FAILED ${o.errorCode}: ${o.detail} (retry at ${o.nextAttemptAt ?? "—"})`
      : o.outcome;
  const version = o.version ? ` ${o.version}` : "";
  const diff = o.diff
    ? ` (+${o.diff.added.length} −${o.diff.removed.length} ~${o.diff.changed.length} rules)`
    : "";
  return `${o.jurisdiction}:${version} ${what}${diff}\n`;
}

function readDatasets(paths: readonly string[]): { path: string; json: unknown }[] {
  return paths.map((path) => {
    try {
      return { path, json: JSON.parse(readFileSync(path, "utf8")) as unknown };
    } catch (error) {
      throw new UsageError(`${path}: ${(error as Error).message}`);
    }
  });
}

const jsonFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => join(dir, f));

/** Valid datasets of a directory by jurisdiction; an invalid file is a usage error. */
function loadDir(dir: string): Map<string, Dataset> {
  const out = new Map<string, Dataset>();
  for (const { path, json } of readDatasets(jsonFiles(dir))) {
    const result = validateDataset(json);
    if (!result.ok) throw new UsageError(`${path} is not a valid dataset (run prep data validate)`);
    out.set(result.dataset.jurisdiction, result.dataset);
  }
  return out;
}

/** Reports for every dataset that is new or changed between two directories. */
function fileReports(fromDir: string, toDir: string, asOf: string): DiffReport[] {
  const before = loadDir(fromDir);
  const after = loadDir(toDir);
  const reports: DiffReport[] = [];
  for (const [jurisdiction, dataset] of after) {
    const old = before.get(jurisdiction);
    if (old && JSON.stringify(old) === JSON.stringify(dataset)) continue;
    reports.push(
      buildReport({
        from: old ? { ref: { versionId: null, version: old.version }, dataset: old } : null,
        to: { ref: { versionId: null, version: dataset.version }, dataset },
        overrides: [],
        others: after,
        asOf,
      }),
    );
  }
  return reports;
}

/** The Worker's admin API answers the preview: only it reaches the tenants' Durable Objects. */
async function previewThroughWorker(jurisdiction: string, dataset: unknown, asOf: string | undefined) {
  const base = process.env.PREP_API_URL || readRuntime()?.url;
  const key = process.env.PREP_ADMIN_KEY;
  if (!base) throw new UsageError("impact needs the Worker: set PREP_API_URL or run `npm start`");
  if (!key) throw new UsageError("impact needs a platform admin key in PREP_ADMIN_KEY (prep admin create)");
  let response: Response;
  try {
    response = await fetch(new URL("/v1/admin/impact", base), {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ jurisdiction, dataset, ...(asOf ? { asOf } : {}) }),
      signal: AbortSignal.timeout(120_000),
    });
  } catch (error) {
    throw new UsageError(`the Worker at ${base} did not answer: ${(error as Error).message}`);
  }
  const body = (await response.json().catch(() => null)) as { detail?: string; errors?: unknown } | null;
  if (!response.ok)
    throw new UsageError(
      `impact preview refused (${response.status}): ${body?.detail ?? "no detail"}${body?.errors ? ` ${JSON.stringify(body.errors)}` : ""}`,
    );
  return body;
}

function output(reports: DiffReport[], format: string | undefined): void {
  if (format === undefined || format === "markdown") process.stdout.write(`${renderMarkdown(reports)}\n`);
  else if (format === "json") print(reports);
  else throw new UsageError(`--format must be markdown or json, not "${format}"`);
}

export async function dataCommand(verb: string, values: DataValues, files: string[]): Promise<void> {
  const asOf = values["as-of"] ?? today();
  switch (verb) {
    case "refresh": {
      const report = await withDatabase((db) =>
        refreshDatasets(cliJobContext(db), {
          trigger: "cli",
          startedBy: "cli",
          jurisdictions: values.jurisdiction,
          onProgress: (o) => process.stderr.write(progressLine(o)),
        }),
      );
      print(report);
      if (report.datasets.some((d) => d.outcome === "created")) {
        process.stderr.write("Tenants re-evaluate at the Worker's next hourly drift sweep.\n");
      }
      return;
    }
    case "diff": {
      if (values["from-dir"] || values["to-dir"]) {
        if (!values["from-dir"] || !values["to-dir"])
          throw new UsageError("diff needs both --from-dir and --to-dir");
        return output(fileReports(values["from-dir"], values["to-dir"], asOf), values.format);
      }
      const jurisdiction = values.jurisdiction?.[0];
      if (!jurisdiction) throw new UsageError("diff needs --jurisdiction <ocd id> (or --from-dir/--to-dir)");
      const report = await withDatabase((db) =>
        buildStoredReport(db, jurisdiction, { from: values.from, to: values.to, asOf }),
      );
      return output([report], values.format);
    }
    case "validate": {
      const results = readDatasets(files.length > 0 ? files : jsonFiles(DATASETS_DIR)).map(
        ({ path, json }) => {
          const result = validateDataset(json);
          return result.ok ? { path, ok: true } : { path, ok: false, problems: result.problems };
        },
      );
      print(results);
      if (results.some((r) => !r.ok)) process.exitCode = 1;
      return;
    }
    case "source": {
      const jurisdiction = values.jurisdiction?.[0];
      if (!jurisdiction || !values.url)
        throw new UsageError("source needs --jurisdiction <ocd id> --url <source>");
      if (!isAllowedSourceUrl(values.url))
        throw new UsageError("--url must be an https URL or bundled:<ocd id>");
      const source = { sourceUrl: values.url, trusted: !values.untrusted };
      // Four eyes here too: the CLI proposes, a platform admin approves through the admin API.
      const change = await withDatabase((db) => proposeSourceChange(db, jurisdiction, source, "cli"));
      if (!change) throw new UsageError(`no dataset ${jurisdiction}`);
      print(change);
      process.stderr.write(
        `Pending: a platform admin approves it with POST /v1/admin/source-changes/${change.id}/approve.\n`,
      );
      return;
    }
    case "impact": {
      const jurisdiction = values.jurisdiction?.[0];
      if (!jurisdiction || !values.dataset)
        throw new UsageError("impact needs --jurisdiction <ocd id> --dataset FILE");
      const [file] = readDatasets([values.dataset]);
      print(await previewThroughWorker(jurisdiction, file?.json, values["as-of"]));
      return;
    }
    default:
      throw new UsageError(`unknown command "data ${verb}"\n\n${DATA_USAGE}`);
  }
}
