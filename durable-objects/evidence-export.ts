/**
 * Evidence exports, run by the tenant object's alarm (job `run_export`; docs/evidence.md and
 * docs/decisions/0016-evidence-vault.md say why the alarm and not a Queue).
 *
 * An export is queued here by `TenantObject.startExport` (the Worker has already stored its
 * row in Postgres) and then worked through one location at a time: each location's JSON file
 * is streamed from paged Postgres reads (and the object's own alerts and verdict) into R2,
 * hashed as it goes, and its summary kept in SQLite. An alarm invocation works for at most
 * SLICE_MS and then re-arms, so no invocation nears the CPU limit however many locations a
 * tenant has; a location's own cost is measured in bench/evidence.ts. When every location is
 * done: index.json, the PDF report, jwks.json, manifest.json and its detached signature, then
 * the Postgres row becomes `ready` with the file list. A step that fails is retried with
 * backoff; after MAX_ATTEMPTS the export is marked `failed` with the reason.
 */

import dejavuRegular from "dejavu-fonts-ttf/ttf/DejaVuSans.ttf";
import dejavuBold from "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf";
import type { Finding, Verdict } from "../compliance";
import { asPlatform, type Database, openDatabase, withTenant } from "../db/client";
import {
  auditPage,
  checksPage,
  datasetProvenance,
  type ExportFile,
  facilityCredentials,
  facilityInspections,
  facilityPermits,
  finishExport,
  type InstantRange,
  loadFacilityRow,
  markExportProgress,
  overridesInEffect,
  temperatureLogsPage,
  tenantName,
} from "../db/evidence";
import { CanonicalObjectWriter, canonicalJson } from "../evidence/canonical";
import {
  INDEX_FILE,
  INDEX_SCHEMA,
  LOCATION_SCHEMA,
  type LocationSummary,
  locationFile,
  overallStatus,
  type PeriodFailure,
  REPORT_FILE,
  type Status,
  SUMMARY_LIST_LIMIT,
} from "../evidence/document";
import {
  contentDigest,
  type ExportParameters,
  JWKS_FILE,
  MANIFEST_FILE,
  MANIFEST_SCHEMA,
  type Manifest,
  manifestBytes,
  SIGNATURE_FILE,
  signDetached,
} from "../evidence/manifest";
import { renderReport } from "../evidence/pdf";
import { HashingUpload, putWhole } from "../evidence/r2-upload";
import { evidenceObjectKey } from "../evidence/storage";
import { databaseConfig } from "../runtime/database";
import type { RuntimeEnv } from "../runtime/env";
import { keyRing } from "../runtime/signing-keys";
import type { AlertStore } from "./alert-store";
import type { FacilityVerdict } from "./contract";
import type { FacilityStore, StoredFacility } from "./facility-store";
import type { Jobs } from "./jobs";

/** One alarm invocation works on exports for at most this long, then yields and re-arms. */
export const SLICE_MS = 5_000;
/** Rows per Postgres page. */
export const PAGE_ROWS = 250;
/** A step that keeps failing fails the export after this many attempts. */
export const MAX_ATTEMPTS = 6;

export interface EvidenceEnv extends RuntimeEnv {
  EVIDENCE_BUCKET: R2Bucket;
  SIGNING_KEYS?: string;
  APP_ORIGIN?: string;
}

/** What the Worker hands over once the export's row is stored. */
export interface ExportRequest {
  id: string;
  tenantId: string;
  parameters: ExportParameters;
}

interface JobRow {
  id: string;
  tenant_id: string;
  params: string;
  next_position: number;
  attempts: number;
  [key: string]: SqlStorageValue;
}

export class EvidenceExports {
  constructor(
    private readonly sql: SqlStorage,
    private readonly env: EvidenceEnv,
    private readonly jobs: Jobs,
    private readonly facilities: FacilityStore,
    private readonly alerts: AlertStore,
  ) {}

  /** Queues an export (idempotent by id) and schedules the job now. True when the alarm must move. */
  enqueue(request: ExportRequest, nowMs: number): boolean {
    this.sql.exec(
      `INSERT INTO evidence_jobs (id, tenant_id, params, next_position, attempts, created_ms)
       VALUES (?, ?, ?, 0, 0, ?) ON CONFLICT (id) DO NOTHING`,
      request.id,
      request.tenantId,
      JSON.stringify(request.parameters),
      nowMs,
    );
    return this.jobs.ensure("run_export", nowMs);
  }

  /** Exports still queued or running here. */
  pending(): number {
    return this.sql.exec<{ n: number }>("SELECT count(*) AS n FROM evidence_jobs").one().n;
  }

  /** The alarm's step: works on the oldest export for up to SLICE_MS. */
  async run(): Promise<void> {
    const job = this.sql
      .exec<JobRow>("SELECT * FROM evidence_jobs ORDER BY created_ms, id LIMIT 1")
      .toArray()[0];
    if (!job) {
      this.jobs.complete("run_export");
      return;
    }
    const parameters = JSON.parse(job.params) as ExportParameters;
    const started = Date.now();
    const handle = openDatabase(databaseConfig(this.env));
    try {
      let position = job.next_position;
      while (position < parameters.facilityIds.length && Date.now() - started < SLICE_MS) {
        const facilityId = parameters.facilityIds[position] as string;
        const { file, summary } = await exportLocation({
          db: handle.db,
          bucket: this.env.EVIDENCE_BUCKET,
          tenantId: job.tenant_id,
          exportId: job.id,
          parameters,
          facilityId,
          verdict: verdictOf(this.facilities.get(facilityId)),
          alerts: this.alerts,
        });
        position++;
        this.sql.exec(
          `INSERT OR REPLACE INTO evidence_job_locations (job_id, position, file, summary) VALUES (?, ?, ?, ?)`,
          job.id,
          position - 1,
          JSON.stringify(file),
          JSON.stringify(summary),
        );
        this.sql.exec(
          "UPDATE evidence_jobs SET next_position = ?, attempts = 0 WHERE id = ?",
          position,
          job.id,
        );
        await withTenant(handle.db, job.tenant_id, (tx) => markExportProgress(tx, job.id, position));
      }
      if (position >= parameters.facilityIds.length) {
        await this.finish(handle.db, job, parameters);
        this.forget(job.id);
      }
      this.jobs.set("run_export", this.pending() > 0 ? Date.now() : null);
    } catch (error) {
      const attempts = job.attempts + 1;
      log("error", "evidence export step failed", { exportId: job.id, attempts, error: String(error) });
      if (attempts >= MAX_ATTEMPTS) {
        await withTenant(handle.db, job.tenant_id, (tx) =>
          finishExport(tx, job.id, {
            error: `the export failed after ${attempts} attempts: ${String(error)}`,
          }),
        ).catch((failure) => log("error", "could not mark the export failed", { error: String(failure) }));
        this.forget(job.id);
        this.jobs.set("run_export", this.pending() > 0 ? Date.now() : null);
      } else {
        this.sql.exec("UPDATE evidence_jobs SET attempts = ? WHERE id = ?", attempts, job.id);
        this.jobs.retryLater("run_export", Date.now());
      }
    } finally {
      await handle.close();
    }
  }

  private forget(id: string): void {
    this.sql.exec("DELETE FROM evidence_job_locations WHERE job_id = ?", id);
    this.sql.exec("DELETE FROM evidence_jobs WHERE id = ?", id);
  }

  /** Index, report, keys, manifest and signature; then the row is `ready`. */
  private async finish(db: Database, job: JobRow, parameters: ExportParameters): Promise<void> {
    const rows = this.sql
      .exec<{ file: string; summary: string }>(
        "SELECT file, summary FROM evidence_job_locations WHERE job_id = ? ORDER BY position",
        job.id,
      )
      .toArray();
    const locationFiles = rows.map((row) => JSON.parse(row.file) as ExportFile);
    const summaries = rows.map((row) => JSON.parse(row.summary) as LocationSummary);
    const generatedAt = new Date().toISOString();
    const name = await withTenant(db, job.tenant_id, (tx) => tenantName(tx, job.tenant_id));
    const bucket = this.env.EVIDENCE_BUCKET;
    const key = (file: string) => evidenceObjectKey(job.tenant_id, job.id, file);
    const files: ExportFile[] = [...locationFiles];

    const index = new TextEncoder().encode(
      canonicalJson({
        schema: INDEX_SCHEMA,
        exportId: job.id,
        tenant: { id: job.tenant_id, name },
        parameters,
        generatedAt,
        overallStatus: overallStatus(summaries.map((summary) => summary.status)),
        locations: summaries,
      }),
    );
    files.push({
      name: INDEX_FILE,
      contentType: "application/json",
      ...(await putWhole(bucket, key(INDEX_FILE), "application/json", index)),
    });

    const ring = keyRing(this.env);
    const jwks = new TextEncoder().encode(
      canonicalJson({ keys: ring.jwks().keys.filter((entry) => entry.purpose === "evidence") }),
    );
    files.push({
      name: JWKS_FILE,
      contentType: "application/json",
      ...(await putWhole(bucket, key(JWKS_FILE), "application/json", jwks)),
    });

    const digest = await contentDigest(files);
    const pdf = await renderReport(
      {
        tenantName: name,
        exportId: job.id,
        from: parameters.from,
        to: parameters.to,
        generatedAt,
        contentDigest: digest,
        locations: summaries,
      },
      { regular: dejavuRegular, bold: dejavuBold },
    );
    files.push({
      name: REPORT_FILE,
      contentType: "application/pdf",
      ...(await putWhole(bucket, key(REPORT_FILE), "application/pdf", pdf)),
    });

    const manifest: Manifest = {
      schema: MANIFEST_SCHEMA,
      exportId: job.id,
      tenant: { id: job.tenant_id, name },
      parameters,
      generatedAt,
      contentDigest: digest,
      files,
      jwksUrl: `${this.env.APP_ORIGIN || "https://prep.dev"}/.well-known/jwks.json`,
    };
    const manifestJson = manifestBytes(manifest);
    const signature = new TextEncoder().encode(
      await signDetached(manifestJson, await ring.signingKey("evidence")),
    );
    const manifestFile = await putWhole(bucket, key(MANIFEST_FILE), "application/json", manifestJson);
    const signatureFile = await putWhole(bucket, key(SIGNATURE_FILE), "application/jose", signature);
    const all: ExportFile[] = [
      ...files,
      { name: MANIFEST_FILE, contentType: "application/json", ...manifestFile },
      { name: SIGNATURE_FILE, contentType: "application/jose", ...signatureFile },
    ];
    await withTenant(db, job.tenant_id, (tx) =>
      finishExport(tx, job.id, {
        files: all,
        manifestSha256: manifestFile.sha256,
        locationsDone: summaries.length,
      }),
    );
  }
}

function verdictOf(stored: StoredFacility | null): FacilityVerdict | null {
  return stored
    ? { verdict: stored.verdict, cause: stored.cause, evaluatedAt: new Date(stored.updatedMs).toISOString() }
    : null;
}

function log(level: "info" | "error", message: string, detail: Record<string, unknown>): void {
  console[level](JSON.stringify({ level, message, ...detail }));
}

/** [from 00:00 UTC, the day after `to` 00:00 UTC). */
export function instantRange(from: string, to: string): InstantRange {
  const end = new Date(`${to}T00:00:00.000Z`);
  end.setUTCDate(end.getUTCDate() + 1);
  return { fromIso: new Date(`${from}T00:00:00.000Z`).toISOString(), toIsoExclusive: end.toISOString() };
}

const subjectLabel = (subject: Finding["subject"]) => (subject ? `${subject.kind} ${subject.id}` : null);

/** Pages from a cursor-based reader until a short page. */
async function* paged<T, C>(read: (cursor: C) => Promise<T[]>, first: C, next: (last: T) => C) {
  let cursor = first;
  for (;;) {
    const page = await read(cursor);
    if (page.length > 0) yield page;
    if (page.length < PAGE_ROWS) return;
    cursor = next(page[page.length - 1] as T);
  }
}

export interface LocationInput {
  db: Database;
  bucket: R2Bucket;
  tenantId: string;
  exportId: string;
  parameters: ExportParameters;
  facilityId: string;
  verdict: FacilityVerdict | null;
  alerts: AlertStore;
}

/**
 * Streams one location's JSON file to R2 (members in canonical order) and returns the file's
 * entry and the location's summary. Memory stays at about one page plus one R2 part.
 */
export async function exportLocation(
  input: LocationInput,
): Promise<{ file: ExportFile; summary: LocationSummary }> {
  const { db, tenantId, facilityId, parameters } = input;
  const range = instantRange(parameters.from, parameters.to);
  const name = locationFile(facilityId);
  const upload = new HashingUpload(
    input.bucket,
    evidenceObjectKey(tenantId, input.exportId, name),
    "application/json",
  );
  const writer = new CanonicalObjectWriter(upload);
  const summary: LocationSummary = {
    facilityId,
    name: facilityId,
    address: "",
    file: name,
    status: input.verdict?.verdict.status ?? null,
    evaluatedAt: input.verdict?.evaluatedAt ?? null,
    counts: {
      checks: 0,
      alerts: 0,
      temperatureLogs: 0,
      auditEntries: 0,
      credentials: 0,
      permits: 0,
      periodFailures: 0,
    },
    findings: (input.verdict?.verdict.findings ?? [])
      .filter((finding) => finding.status === "fail" || finding.status === "warn")
      .map((finding) => ({
        ruleId: finding.ruleId,
        title: finding.title,
        citation: finding.citation,
        severity: finding.severity,
        status: finding.status as "fail" | "warn",
        dueBy: finding.dueBy,
        subject: subjectLabel(finding.subject),
        message: finding.message,
      })),
    periodFailures: [],
    history: [],
    credentials: [],
    permits: [],
    alerts: [],
    datasets: input.verdict?.verdict.datasets ?? [],
  };
  const datasets = new Map<string, { jurisdiction: string; version: string }>();
  const jurisdictions = new Set<string>(input.verdict?.verdict.jurisdictions ?? []);
  for (const dataset of summary.datasets) datasets.set(`${dataset.jurisdiction}@${dataset.version}`, dataset);
  const failures = new Map<string, PeriodFailure>();

  try {
    // alerts: the object's own, newest first, those detected in the period.
    summary.counts.alerts = await writer.arrayMember(
      "alerts",
      alertPages(input.alerts, facilityId, range),
      (alert) => alert,
    );
    await withTenant(db, tenantId, async (tx) => {
      summary.counts.auditEntries = await writer.arrayMember(
        "auditEntries",
        paged(
          (afterSeq: number) => auditPage(tx, facilityId, range, afterSeq, PAGE_ROWS),
          0,
          (last) => last.seq,
        ),
        ({ tenantId: _tenant, ...entry }) => entry,
      );
      let previous: Status | null = null;
      summary.counts.checks = await writer.arrayMember(
        "checks",
        paged(
          (cursor: string | null) => checksPage(tx, facilityId, range, cursor, PAGE_ROWS),
          null,
          (last) => last.id,
        ),
        (row) => {
          const verdict = row.result as Verdict;
          for (const dataset of verdict.datasets ?? [])
            datasets.set(`${dataset.jurisdiction}@${dataset.version}`, dataset);
          for (const jurisdiction of verdict.jurisdictions ?? []) jurisdictions.add(jurisdiction);
          const status = row.status as Status;
          if (status !== previous && summary.history.length < SUMMARY_LIST_LIMIT)
            summary.history.push({ at: row.evaluatedAt, from: previous, to: status });
          previous = status;
          for (const finding of verdict.findings ?? []) {
            if (finding.status !== "fail") continue;
            const seen = failures.get(finding.ruleId);
            if (seen) {
              seen.lastSeen = row.evaluatedAt;
              seen.checks++;
            } else
              failures.set(finding.ruleId, {
                ruleId: finding.ruleId,
                title: finding.title,
                citation: finding.citation,
                firstSeen: row.evaluatedAt,
                lastSeen: row.evaluatedAt,
                checks: 1,
              });
          }
          return {
            id: row.id,
            asOf: row.asOf,
            evaluatedAt: row.evaluatedAt,
            status: row.status,
            idempotencyKey: row.idempotencyKey,
            verdict: row.result,
          };
        },
      );
      const credentials = await facilityCredentials(tx, facilityId);
      summary.counts.credentials = credentials.length;
      summary.credentials = credentials.slice(0, SUMMARY_LIST_LIMIT).map((credential) => ({
        staff: credential.staffName ? `${credential.staffName} (${credential.staffId})` : credential.staffId,
        type: credential.type,
        expiresAt: credential.expiresAt,
      }));
      await writer.member("credentials", credentials);
      await writer.member("datasetVersions", await datasetProvenance(tx, [...datasets.values()]));
      const facility = await loadFacilityRow(tx, facilityId);
      if (facility) {
        summary.name = facility.name;
        summary.address = [
          facility.addressLine1,
          facility.city,
          facility.county,
          facility.state,
          facility.postalCode,
        ]
          .filter(Boolean)
          .join(", ");
      } else summary.name = `${facilityId} (deleted)`;
      await writer.member("facility", facility ? (({ tenantId: _tenant, ...rest }) => rest)(facility) : null);
      await writer.member(
        "inspections",
        (await facilityInspections(tx, facilityId)).map(({ tenantId: _tenant, ...rest }) => rest),
      );
    });
    const overrides = await asPlatform(db, (tx) =>
      overridesInEffect(tx, [...jurisdictions].sort(), parameters.from, parameters.to),
    );
    await writer.member("overrides", overrides);
    await writer.member("period", { from: parameters.from, to: parameters.to });
    await withTenant(db, tenantId, async (tx) => {
      const permits = (await facilityPermits(tx, facilityId)).map(({ tenantId: _tenant, ...rest }) => rest);
      summary.counts.permits = permits.length;
      summary.permits = permits
        .slice(0, SUMMARY_LIST_LIMIT)
        .map((permit) => ({ type: permit.type, number: permit.number, expiresAt: permit.expiresAt }));
      await writer.member("permits", permits);
      await writer.member("schema", LOCATION_SCHEMA);
      summary.counts.temperatureLogs = await writer.arrayMember(
        "temperatureLogs",
        paged(
          (cursor: string | null) => temperatureLogsPage(tx, facilityId, range, cursor, PAGE_ROWS),
          null,
          (last) => last.id,
        ),
        ({ tenantId: _tenant, ...log }) => log,
      );
    });
    await writer.member(
      "verdict",
      input.verdict
        ? {
            cause: input.verdict.cause,
            evaluatedAt: input.verdict.evaluatedAt,
            verdict: input.verdict.verdict,
          }
        : null,
    );
    await writer.close();
    const uploaded = await upload.finish();
    summary.counts.periodFailures = failures.size;
    summary.periodFailures = [...failures.values()].slice(0, SUMMARY_LIST_LIMIT);
    summary.datasets = [...datasets.values()].sort((a, b) =>
      `${a.jurisdiction}@${a.version}` < `${b.jurisdiction}@${b.version}` ? -1 : 1,
    );
    return { file: { name, contentType: "application/json", ...uploaded }, summary };
  } catch (error) {
    await upload.abort();
    throw error;
  }

  async function* alertPages(alerts: AlertStore, id: string, period: InstantRange) {
    let cursor: string | undefined;
    for (;;) {
      const page = alerts.list({ facilityId: id, limit: PAGE_ROWS, cursor });
      const inPeriod = page.data.filter(
        (alert) => alert.detectedAt >= period.fromIso && alert.detectedAt < period.toIsoExclusive,
      );
      for (const alert of inPeriod)
        if (summary.alerts.length < SUMMARY_LIST_LIMIT)
          summary.alerts.push({
            detectedAt: alert.detectedAt,
            from: alert.previousStatus,
            to: alert.status,
            acknowledgedAt: alert.acknowledgedAt,
            acknowledgedBy: alert.acknowledgedBy,
          });
      if (inPeriod.length > 0) yield inPeriod;
      const oldest = page.data.at(-1);
      if (!page.nextCursor || !oldest || oldest.detectedAt < period.fromIso) return;
      cursor = page.nextCursor;
    }
  }
}
