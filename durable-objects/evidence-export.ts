/**
 * Evidence exports, run by the tenant object's alarm (job `run_export`; docs/evidence.md and
 * docs/decisions/0016-evidence-vault.md say why the alarm and not a Queue).
 *
 * An export is queued here by `TenantObject.startExport` (the Worker has already stored its
 * row in Postgres) and then worked through one location at a time: each location's JSON file
 * is streamed from paged Postgres reads (and the object's own alerts and verdict) into R2,
 * hashed as it goes (evidence-location.ts), and its summary kept in SQLite. An alarm invocation works for at most
 * SLICE_MS and then re-arms, so no invocation nears the CPU limit however many locations a
 * tenant has; a location's own cost is measured in bench/evidence.ts. The final step (index and
 * PDF of every location) grows with the number of locations: docs/evidence.md "Limits". When every location is
 * done: index.json, the PDF report, jwks.json, manifest.json and its detached signature, then
 * the Postgres row becomes `ready` with the file list and `export.ready` is raised. A step that fails is retried with
 * backoff; after MAX_ATTEMPTS the export is marked `failed` with the reason.
 */

import dejavuRegular from "dejavu-fonts-ttf/ttf/DejaVuSans.ttf";
import dejavuBold from "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf";
import { type Database, openDatabase, withTenant } from "../db/client";
import { type ExportFile, finishExport, markExportProgress, tenantName } from "../db/evidence";
import { canonicalJson } from "../evidence/canonical";
import {
  INDEX_FILE,
  INDEX_SCHEMA,
  type LocationSummary,
  overallStatus,
  REPORT_FILE,
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
import { putWhole } from "../evidence/r2-upload";
import { evidenceObjectKey } from "../evidence/storage";
import type { ReadyExport } from "../notifications/events";
import { databaseConfig } from "../runtime/database";
import type { RuntimeEnv } from "../runtime/env";
import { keyRing } from "../runtime/signing-keys";
import type { AlertStore } from "./alert-store";
import type { FacilityVerdict } from "./contract";
import { exportLocation } from "./evidence-location";
import type { FacilityStore, StoredFacility } from "./facility-store";
import type { Jobs } from "./jobs";

/** One alarm invocation works on exports for at most this long, then yields and re-arms. */
export const SLICE_MS = 5_000;
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
    /**
     * Called synchronously once an export's row is `ready`, in the same storage write as the
     * job's removal: the tenant object raises `export.ready` there, so the notice can be
     * neither lost nor raised twice.
     */
    private readonly onReady: (ready: ReadyExport) => void,
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
        this.onReady({
          id: job.id,
          trigger: parameters.trigger,
          from: parameters.from,
          to: parameters.to,
          locations: parameters.facilityIds.length,
        });
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
