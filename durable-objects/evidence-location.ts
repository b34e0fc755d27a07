/**
 * One location of an evidence export: its JSON file streamed into R2 from paged Postgres reads
 * (and the tenant object's verdict and alerts), members in canonical order, hashed as written;
 * and its bounded summary for the index and the PDF. Kept apart from the job
 * (evidence-export.ts) so bench/evidence.ts can measure exactly this step in Node.
 */
import type { Finding, Verdict } from "../compliance";
import { asPlatform, type Database, withTenant } from "../db/client";
import {
  auditPage,
  checksPage,
  datasetProvenance,
  type ExportFile,
  facilityCredentials,
  facilityInspections,
  facilityPermits,
  type InstantRange,
  loadFacilityRow,
  overridesInEffect,
  temperatureLogsPage,
} from "../db/evidence";
import { CanonicalObjectWriter } from "../evidence/canonical";
import {
  LOCATION_SCHEMA,
  type LocationSummary,
  locationFile,
  type PeriodFailure,
  type Status,
  SUMMARY_LIST_LIMIT,
} from "../evidence/document";
import type { ExportParameters } from "../evidence/manifest";
import { HashingUpload } from "../evidence/r2-upload";
import { evidenceObjectKey } from "../evidence/storage";
import type { AlertPage, AlertQuery, FacilityVerdict } from "./contract";

/** Rows per Postgres page. */
export const PAGE_ROWS = 250;

/** What a location's export reads of the object's alerts (AlertStore). */
export interface AlertSource {
  list(query: AlertQuery): AlertPage;
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
  alerts: AlertSource;
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

  async function* alertPages(alerts: AlertSource, id: string, period: InstantRange) {
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
