// `npm run bench:evidence`: what one location of an evidence export costs, for a tenant of
// LOCATIONS (default 50) locations with a year of history each (a check a day with a dozen
// findings, four temperature readings a day, alerts, audit entries, permits and credentials).
// The export job works a location at a time per alarm slice, so the figure that must stay
// inside a Durable Object invocation's limits (30 s of CPU by default, 128 MB of memory) is
// the CPU and memory of one location, plus the final step (index + PDF of every location).
//
// It runs the production code (durable-objects/evidence-location.ts, evidence/pdf.ts) in Node
// against real PostgreSQL (DATABASE_URL, through the same WebSocket bridge the Worker uses
// locally) and Miniflare's R2. Node's CPU time includes the Postgres driver and the R2
// client's side of Miniflare's proxy, so it is an upper bound for workerd's.
//
//   LOCATIONS=50 DAYS=365 npm run bench:evidence
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { sql } from "drizzle-orm";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { recordAudit } from "../db/audit";
import { withTenant } from "../db/client";
import { openNodeDatabase } from "../db/local/node-database";
import { startLocalDatabase } from "../db/local/stack";
import { createTenant } from "../db/tenants";
import type { Alert, AlertPage } from "../durable-objects/contract";
import { exportLocation } from "../durable-objects/evidence-location";
import {
  type LocationSummary,
  overallStatus,
  REPORT_PART_LOCATIONS,
  reportFiles,
} from "../evidence/document";
import { renderReport } from "../evidence/pdf";

const LOCATIONS = Number(process.env.LOCATIONS ?? 50);
const DAYS = Number(process.env.DAYS ?? 365);
const ROOT = resolve(import.meta.dirname, "..");

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) {
  console.error("bench/evidence.ts needs DATABASE_URL (a PostgreSQL it may write a throwaway tenant to)");
  process.exit(2);
}

/** A verdict shaped like a real San Francisco restaurant's: a dozen findings with citations. */
function verdict(day: number) {
  const findings = Array.from({ length: 12 }, (_, i) => ({
    ruleId: `CA-RULE-${i}`,
    jurisdiction: "ocd-division/country:us/state:ca",
    status: i === 0 && day % 30 < 10 ? "fail" : i === 1 ? "warn" : "pass",
    severity: "major",
    title: `Requirement ${i}: food handler cards within 30 days of hire`,
    citation: `Cal. Health & Safety Code § 11394${i}(a)`,
    message:
      "Every food employee holds a valid food handler card within 30 days of hire (≤ 30 days – §113948).",
    subject: i < 3 ? { kind: "staff", id: `s-${i}` } : null,
    dueBy: i === 0 ? "2026-10-01" : null,
    verified: true,
  }));
  return {
    status: day % 30 < 10 ? "non_compliant" : "compliant",
    jurisdictions: ["ocd-division/country:us", "ocd-division/country:us/state:ca"],
    datasets: [{ jurisdiction: "ocd-division/country:us/state:ca", version: "bench" }],
    coverage: "state",
    findings,
    nextDeadline: null,
    reevaluateAt: null,
  };
}

function alertsFor(facilityId: string, from: Date): AlertPage {
  const data: Alert[] = Array.from({ length: 24 }, (_, i) => {
    const at = new Date(from.getTime() + (DAYS - 1 - i * 15) * 86_400_000).toISOString();
    return {
      id: `alr_${facilityId}_${String(100 - i).padStart(3, "0")}`,
      facilityId,
      facilityName: "Bench",
      cause: "deadline",
      reason: null,
      detectedAt: at,
      previousVerdictAt: at,
      previousStatus: "compliant",
      status: "non_compliant",
      changes: [],
      acknowledgedAt: i % 2 ? at : null,
      acknowledgedBy: i % 2 ? "usr_bench" : null,
    };
  });
  return { data, nextCursor: null };
}

const database = await startLocalDatabase({ databaseUrl });
const owner = await openNodeDatabase(database.ownerUrl);
const worker = await openNodeDatabase(database.workerUrl);
const mf = new Miniflare(
  convertV4MiniflareOptions({
    name: "evidence-bench",
    compatibilityDate: "2026-10-01",
    modules: true,
    script: "export default {}",
    r2Buckets: ["EVIDENCE_BUCKET"],
  } as Parameters<typeof convertV4MiniflareOptions>[0]),
);
const bucket = (await mf.getR2Bucket("EVIDENCE_BUCKET")) as unknown as R2Bucket;

const to = new Date();
const from = new Date(to.getTime() - (DAYS - 1) * 86_400_000);
const iso = (d: Date) => d.toISOString().slice(0, 10);
const { tenantId } = await createTenant(owner.db, {
  name: `Evidence bench ${Date.now()}`,
  mode: "test",
  actor: "bench",
});

try {
  const seedStart = performance.now();
  const verdictJson = JSON.stringify(verdict(0));
  const failingJson = JSON.stringify(verdict(1));
  await owner.db.execute(sql`
    INSERT INTO facilities (id, tenant_id, name, type, address_line1, city, state, postal_code)
    SELECT 'fac_BENCH' || lpad(f::text, 21, '0'), ${tenantId}, 'Bench Kitchen ' || f, 'restaurant', '2000 Mission St', 'San Francisco', 'CA', '94110'
    FROM generate_series(1, ${LOCATIONS}) f`);
  await owner.db.execute(sql`
    INSERT INTO permits (id, tenant_id, facility_id, type, number, issued_at, expires_at, position)
    SELECT 'prm_BENCH' || lpad(f::text, 21, '0'), ${tenantId}, 'fac_BENCH' || lpad(f::text, 21, '0'), 'health_permit', 'SF-' || f, '2026-01-01', '2027-01-01', 0
    FROM generate_series(1, ${LOCATIONS}) f`);
  await owner.db.execute(sql`
    INSERT INTO staff (id, tenant_id, facility_id, external_id, name, role, hired_at, position)
    SELECT 'stf_BENCH' || lpad((f * 10 + s)::text, 21, '0'), ${tenantId}, 'fac_BENCH' || lpad(f::text, 21, '0'), 's-' || s, 'Staff ' || s, 'food_employee', '2025-01-01', s
    FROM generate_series(1, ${LOCATIONS}) f, generate_series(1, 8) s`);
  await owner.db.execute(sql`
    INSERT INTO credentials (id, tenant_id, staff_id, type, issued_at, expires_at, position)
    SELECT 'crd_BENCH' || lpad((f * 10 + s)::text, 21, '0'), ${tenantId}, 'stf_BENCH' || lpad((f * 10 + s)::text, 21, '0'), 'food_handler_card', '2025-01-01', '2028-01-01', 0
    FROM generate_series(1, ${LOCATIONS}) f, generate_series(1, 8) s`);
  await owner.db.execute(sql`
    INSERT INTO checks (id, tenant_id, facility_id, as_of, evaluated_at, status, state, result)
    SELECT 'chk_BENCH' || lpad(f::text, 4, '0') || lpad(d::text, 17, '0'), ${tenantId}, 'fac_BENCH' || lpad(f::text, 21, '0'),
           (${iso(from)}::date + d), (${iso(from)}::date + d)::timestamptz + interval '9 hours',
           CASE WHEN d % 30 < 10 THEN 'non_compliant' ELSE 'compliant' END, 'CA',
           CASE WHEN d % 30 < 10 THEN ${failingJson}::jsonb ELSE ${verdictJson}::jsonb END
    FROM generate_series(1, ${LOCATIONS}) f, generate_series(0, ${DAYS - 1}) d`);
  await owner.db.execute(sql`
    INSERT INTO temperature_logs (id, tenant_id, facility_id, at, item, mode, temp_f, position)
    SELECT 'tlg_BENCH' || lpad(f::text, 4, '0') || lpad((d * 4 + r)::text, 17, '0'), ${tenantId}, 'fac_BENCH' || lpad(f::text, 21, '0'),
           (${iso(from)}::date + d)::timestamptz + (r * interval '4 hours'), 'Walk-in cooler', 'cold_holding', 38 + r, d * 4 + r
    FROM generate_series(1, ${LOCATIONS}) f, generate_series(0, ${DAYS - 1}) d, generate_series(0, 3) r`);
  await withTenant(owner.db, tenantId, async (tx) => {
    for (let f = 1; f <= LOCATIONS; f++)
      for (let i = 0; i < 4; i++)
        await recordAudit(tx, {
          tenantId,
          actor: "bench",
          action: "facility.updated",
          target: `fac_BENCH${String(f).padStart(21, "0")}`,
        });
  });
  console.log(
    `seeded ${LOCATIONS} locations × ${DAYS} days in ${((performance.now() - seedStart) / 1000).toFixed(1)} s`,
  );

  const parameters = {
    facilityIds: [],
    allFacilities: true,
    from: iso(from),
    to: iso(to),
    trigger: "manual" as const,
  };
  const cpuMs: number[] = [];
  const sizes: number[] = [];
  const summaries: LocationSummary[] = [];
  let peakHeap = 0;
  const baseline = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed - baseline);
  }, 2);
  const wallStart = performance.now();
  for (let f = 1; f <= LOCATIONS; f++) {
    const facilityId = `fac_BENCH${String(f).padStart(21, "0")}`;
    const cpu = process.cpuUsage();
    const { file, summary } = await exportLocation({
      db: worker.db,
      bucket,
      tenantId,
      exportId: "exp_BENCH",
      parameters,
      facilityId,
      verdict: null,
      alerts: { list: () => alertsFor(facilityId, from) },
    });
    const used = process.cpuUsage(cpu);
    cpuMs.push((used.user + used.system) / 1000);
    sizes.push(file.size);
    summaries.push(summary);
  }
  const wallMs = performance.now() - wallStart;
  const font = (name: string) => readFileSync(resolve(ROOT, "node_modules/dejavu-fonts-ttf/ttf", name));
  // The report as the export writes it: one part of up to REPORT_PART_LOCATIONS per step.
  const parts = reportFiles(summaries.length);
  const partCpuMs: number[] = [];
  const partBytes: number[] = [];
  for (const [index, name] of parts.entries()) {
    const first = index * REPORT_PART_LOCATIONS;
    const pdfCpu = process.cpuUsage();
    const pdf = await renderReport(
      {
        tenantName: "Evidence bench",
        exportId: "exp_BENCH",
        from: iso(from),
        to: iso(to),
        generatedAt: new Date().toISOString(),
        contentDigest: "0".repeat(64),
        locations: summaries.slice(first, first + REPORT_PART_LOCATIONS),
        ...(parts.length > 1
          ? {
              part: {
                number: index + 1,
                of: parts.length,
                firstLocation: first + 1,
                totalLocations: summaries.length,
                overall: overallStatus(summaries.map((summary) => summary.status)),
              },
            }
          : {}),
      },
      { regular: font("DejaVuSans.ttf"), bold: font("DejaVuSans-Bold.ttf") },
    );
    const used = process.cpuUsage(pdfCpu);
    partCpuMs.push((used.user + used.system) / 1000);
    partBytes.push(pdf.byteLength);
    // BENCH_PDF_DIR=<folder> keeps the parts, to look at (pdftoppm -png -r 60 part.pdf page).
    if (process.env.BENCH_PDF_DIR) writeFileSync(resolve(process.env.BENCH_PDF_DIR, name), pdf);
  }
  clearInterval(sampler);

  const sorted = [...cpuMs].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] as number;
  const mb = (bytes: number) => (bytes / 1048576).toFixed(1);
  console.log(
    JSON.stringify(
      {
        locations: LOCATIONS,
        days: DAYS,
        checksPerLocation: DAYS,
        temperatureLogsPerLocation: DAYS * 4,
        cpuMsPerLocation: { median: at(0.5).toFixed(0), p95: at(0.95).toFixed(0), max: at(1).toFixed(0) },
        wallMsPerLocation: (wallMs / LOCATIONS).toFixed(0),
        locationFileMb: {
          median: mb([...sizes].sort((a, b) => a - b)[Math.floor(sizes.length / 2)] as number),
          max: mb(Math.max(...sizes)),
        },
        pdf: {
          parts: parts.length,
          locationsPerPart: REPORT_PART_LOCATIONS,
          cpuMsPerPart: partCpuMs.map((ms) => ms.toFixed(0)),
          mb: mb(partBytes.reduce((sum, bytes) => sum + bytes, 0)),
        },
        peakHeapAboveBaselineMb: mb(peakHeap),
        limits: { cpuMsPerInvocation: 30_000, memoryMb: 128 },
      },
      null,
      2,
    ),
  );
} finally {
  await owner.db.execute(sql`DELETE FROM checks WHERE tenant_id = ${tenantId}`);
  await owner.db.execute(sql`DELETE FROM tenants WHERE id = ${tenantId}`);
  await owner.close();
  await worker.close();
  await mf.dispose();
  await database.stop();
}
