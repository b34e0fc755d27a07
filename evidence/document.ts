/**
 * The shapes of an evidence export: the schema ids of its JSON files (published as JSON
 * Schema in docs/evidence/), the file names, and the per-location summary the index and the
 * PDF are built from. A location's full JSON file is streamed by the export job
 * (durable-objects/evidence-export.ts); the summary is what a reader needs at a glance and is
 * bounded (lists are capped, counts say how many there were).
 */

export const LOCATION_SCHEMA = "https://prep.dev/schemas/evidence/location/v1";
export const INDEX_SCHEMA = "https://prep.dev/schemas/evidence/index/v1";

export const INDEX_FILE = "index.json";
export const REPORT_FILE = "report.pdf";

/**
 * How many locations one PDF report holds by default. A larger export's report is split into
 * parts (`report-01-of-03.pdf`…), each rendered in its own alarm run, because rendering costs
 * about 70–150 ms of CPU per location and one run must stay far inside the CPU limit.
 */
export const REPORT_PART_LOCATIONS = 40;

/** The report's file names for an export of `locations`, `perPart` locations per file. */
export function reportFiles(locations: number, perPart = REPORT_PART_LOCATIONS): string[] {
  const parts = Math.max(1, Math.ceil(locations / perPart));
  if (parts === 1) return [REPORT_FILE];
  const width = Math.max(2, String(parts).length);
  const pad = (n: number) => String(n).padStart(width, "0");
  return Array.from({ length: parts }, (_, i) => `report-${pad(i + 1)}-of-${pad(parts)}.pdf`);
}
export const locationFile = (facilityId: string) => `locations/${facilityId}.json`;

/** The most items of one list a summary keeps (the JSON file has them all). */
export const SUMMARY_LIST_LIMIT = 200;

export type Status = "compliant" | "at_risk" | "non_compliant";

export interface SummaryFinding {
  ruleId: string;
  title: string;
  citation: string;
  severity: string;
  status: "fail" | "warn";
  dueBy: string | null;
  subject: string | null;
  message: string;
}

export interface PeriodFailure {
  ruleId: string;
  title: string;
  citation: string;
  firstSeen: string;
  lastSeen: string;
  checks: number;
}

export interface LocationSummary {
  facilityId: string;
  name: string;
  address: string;
  file: string;
  /** The current verdict's status; null when the location has never been evaluated. */
  status: Status | null;
  evaluatedAt: string | null;
  counts: {
    checks: number;
    alerts: number;
    temperatureLogs: number;
    auditEntries: number;
    credentials: number;
    permits: number;
    periodFailures: number;
  };
  /** The current verdict's failing and warning findings. */
  findings: SummaryFinding[];
  /** Every rule that failed in a check during the period (capped). */
  periodFailures: PeriodFailure[];
  /** The status after each change during the period (capped). */
  history: { at: string; from: Status | null; to: Status }[];
  credentials: { staff: string; type: string; expiresAt: string | null }[];
  permits: { type: string; number: string | null; expiresAt: string | null }[];
  alerts: {
    detectedAt: string;
    from: string;
    to: string;
    acknowledgedAt: string | null;
    acknowledgedBy: string | null;
  }[];
  datasets: { jurisdiction: string; version: string }[];
}

/** The overall status of several locations: the worst of them (never evaluated counts as unknown). */
export function overallStatus(statuses: readonly (Status | null)[]): Status | "unknown" {
  if (statuses.includes("non_compliant")) return "non_compliant";
  if (statuses.includes("at_risk")) return "at_risk";
  if (statuses.length > 0 && statuses.every((status) => status === "compliant")) return "compliant";
  return "unknown";
}
