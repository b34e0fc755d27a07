/**
 * Evidence exports, run by the tenant object's alarm (job `run_export`; docs/evidence.md and
 * docs/decisions/0016-evidence-vault.md say why the alarm and not a Queue).
 *
 * An export is queued here by `TenantObject.startExport` (the Worker has already stored its
 * row in Postgres) and then worked through one location at a time: each location's JSON file
 * is streamed from paged Postgres reads (and the object's own alerts and verdict) into R2,
 * hashed as it goes (evidence-location.ts), and its summary kept in SQLite. An alarm invocation works for at most
 * SLICE_MS and then re-arms, so no invocation nears the CPU limit however many locations a
 * tenant has; a location's own cost is measured in bench/evidence.ts. Finishing is split the
 * same way: index.json and jwks.json, then the PDF report in parts of REPORT_PART_LOCATIONS
 * locations (one file below that, `report.pdf`), each part rendered and saved before the next,
 * then manifest.json and its detached signature, when the Postgres row becomes `ready` with
 * the file list and `export.ready` is raised. A step that fails is retried with backoff (it
 * resumes where the last saved step ended); after MAX_ATTEMPTS the export is marked `failed`
 * with the reason.
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
  REPORT_PART_LOCATIONS,
  reportFiles,
  type Status,
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
  /** Locations per PDF report part (default REPORT_PART_LOCATIONS); lower it if a part nears the CPU limit. */
  EVIDENCE_PDF_LOCATIONS_PER_PART?: string;
}

/** How far finishing got (saved after each step, so a retry resumes there). */
interface Finishing {
  generatedAt: string;
  tenantName: string;
  overall: Status | "unknown";
  /** The manifest's contentDigest over the JSON files; every report page's footer shows it. */
  digest: string;
  /** Files written so far: locations, index, keys, then the report parts. */
  files: ExportFile[];
  partsDone: number;
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
  /** JSON `Finishing` once every location is exported; null before. */
  finishing: string | null;
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
      if (
        position >= parameters.facilityIds.length &&
        (await this.finishStep(handle.db, job, parameters, started))
      ) {
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

  /**
   * After the last location, one step of finishing per call, each saved before the next:
   * first the index and keys (and the content digest every report page carries), then the
   * report's parts one at a time while the slice lasts, last the manifest and its signature,
   * when the row becomes `ready`. True once the export is sealed.
   */
  private async finishStep(
    db: Database,
    job: JobRow,
    parameters: ExportParameters,
    started: number,
  ): Promise<boolean> {
    let state = job.finishing ? (JSON.parse(job.finishing) as Finishing) : null;
    if (!state) {
      state = await this.prepare(db, job, parameters);
      this.saveFinishing(job.id, state);
    }
    const parts = reportFiles(parameters.facilityIds.length, this.locationsPerPart());
    while (state.partsDone < parts.length) {
      if (Date.now() - started >= SLICE_MS) return false;
      const file = await this.renderPart(job, parameters, state, parts);
      state = { ...state, files: [...state.files, file], partsDone: state.partsDone + 1 };
      this.saveFinishing(job.id, state);
    }
    await this.seal(db, job, parameters, state);
    return true;
  }

  private locationsPerPart(): number {
    const configured = Number(this.env.EVIDENCE_PDF_LOCATIONS_PER_PART);
    return Number.isInteger(configured) && configured > 0 ? configured : REPORT_PART_LOCATIONS;
  }

  private saveFinishing(id: string, state: Finishing): void {
    this.sql.exec(
      "UPDATE evidence_jobs SET finishing = ?, attempts = 0 WHERE id = ?",
      JSON.stringify(state),
      id,
    );
  }

  /** index.json and jwks.json, and the digest of every JSON file (the manifest's contentDigest). */
  private async prepare(db: Database, job: JobRow, parameters: ExportParameters): Promise<Finishing> {
    const rows = this.sql
      .exec<{ file: string; summary: string }>(
        "SELECT file, summary FROM evidence_job_locations WHERE job_id = ? ORDER BY position",
        job.id,
      )
      .toArray();
    const summaries = rows.map((row) => JSON.parse(row.summary) as LocationSummary);
    const generatedAt = new Date().toISOString();
    const name = await withTenant(db, job.tenant_id, (tx) => tenantName(tx, job.tenant_id));
    const overall = overallStatus(summaries.map((summary) => summary.status));
    const files: ExportFile[] = rows.map((row) => JSON.parse(row.file) as ExportFile);
    const index = canonicalJson({
      schema: INDEX_SCHEMA,
      exportId: job.id,
      tenant: { id: job.tenant_id, name },
      parameters,
      generatedAt,
      overallStatus: overall,
      locations: summaries,
    });
    files.push(await this.putJson(job, INDEX_FILE, index));
    const jwks = canonicalJson({
      keys: keyRing(this.env)
        .jwks()
        .keys.filter((entry) => entry.purpose === "evidence"),
    });
    files.push(await this.putJson(job, JWKS_FILE, jwks));
    return {
      generatedAt,
      tenantName: name,
      overall,
      digest: await contentDigest(files),
      files,
      partsDone: 0,
    };
  }

  private async putJson(job: JobRow, name: string, json: string): Promise<ExportFile> {
    const bytes = new TextEncoder().encode(json);
    const key = evidenceObjectKey(job.tenant_id, job.id, name);
    return {
      name,
      contentType: "application/json",
      ...(await putWhole(this.env.EVIDENCE_BUCKET, key, "application/json", bytes)),
    };
  }

  /** The report's next part: only its locations' summaries are read. */
  private async renderPart(
    job: JobRow,
    parameters: ExportParameters,
    state: Finishing,
    parts: readonly string[],
  ): Promise<ExportFile> {
    const perPart = this.locationsPerPart();
    const first = state.partsDone * perPart;
    const summaries = this.sql
      .exec<{ summary: string }>(
        "SELECT summary FROM evidence_job_locations WHERE job_id = ? AND position >= ? AND position < ? ORDER BY position",
        job.id,
        first,
        first + perPart,
      )
      .toArray()
      .map((row) => JSON.parse(row.summary) as LocationSummary);
    const pdf = await renderReport(
      {
        tenantName: state.tenantName,
        exportId: job.id,
        from: parameters.from,
        to: parameters.to,
        generatedAt: state.generatedAt,
        contentDigest: state.digest,
        locations: summaries,
        ...(parts.length > 1
          ? {
              part: {
                number: state.partsDone + 1,
                of: parts.length,
                firstLocation: first + 1,
                totalLocations: parameters.facilityIds.length,
                overall: state.overall,
              },
            }
          : {}),
      },
      { regular: dejavuRegular, bold: dejavuBold },
    );
    const name = parts[state.partsDone] as string;
    const key = evidenceObjectKey(job.tenant_id, job.id, name);
    return {
      name,
      contentType: "application/pdf",
      ...(await putWhole(this.env.EVIDENCE_BUCKET, key, "application/pdf", pdf)),
    };
  }

  /** The manifest of every file and its detached signature; then the row is `ready`. */
  private async seal(
    db: Database,
    job: JobRow,
    parameters: ExportParameters,
    state: Finishing,
  ): Promise<void> {
    const bucket = this.env.EVIDENCE_BUCKET;
    const key = (file: string) => evidenceObjectKey(job.tenant_id, job.id, file);
    const manifest: Manifest = {
      schema: MANIFEST_SCHEMA,
      exportId: job.id,
      tenant: { id: job.tenant_id, name: state.tenantName },
      parameters,
      generatedAt: state.generatedAt,
      contentDigest: state.digest,
      files: state.files,
      jwksUrl: `${this.env.APP_ORIGIN || "https://prep.dev"}/.well-known/jwks.json`,
    };
    const manifestJson = manifestBytes(manifest);
    const signature = new TextEncoder().encode(
      await signDetached(manifestJson, await keyRing(this.env).signingKey("evidence")),
    );
    const manifestFile = await putWhole(bucket, key(MANIFEST_FILE), "application/json", manifestJson);
    const signatureFile = await putWhole(bucket, key(SIGNATURE_FILE), "application/jose", signature);
    const all: ExportFile[] = [
      ...state.files,
      { name: MANIFEST_FILE, contentType: "application/json", ...manifestFile },
      { name: SIGNATURE_FILE, contentType: "application/jose", ...signatureFile },
    ];
    await withTenant(db, job.tenant_id, (tx) =>
      finishExport(tx, job.id, {
        files: all,
        manifestSha256: manifestFile.sha256,
        locationsDone: parameters.facilityIds.length,
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
