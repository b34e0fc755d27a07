/**
 * Checks as the Worker records them, for tests that talk to the tenant object directly:
 * an empty compliant verdict, serialised as `workers/services/checks.ts` does, and records
 * Postgres cannot store (below validation) to prove the outbox's dead letters.
 */
import { sql } from "drizzle-orm";
import type { Verdict } from "../compliance";
import { withTenant } from "../db/client";
import { newId } from "../db/ids";
import {
  type CheckRecord,
  DEFAULT_VIEW,
  encodeCheck,
  type RecordCheckInput,
  serializeCheck,
} from "../durable-objects/contract";
import { workerDb } from "./helpers";

export interface CheckInputOptions {
  state?: string;
  facilityId?: string | null;
  idempotencyKey?: string | undefined;
  requestHash?: string | undefined;
  /** Changes the record before it is serialised (e.g. one of `POISONS`). */
  mutate?: (record: CheckRecord) => void;
}

export function checkInput(tenantId: string, options: CheckInputOptions = {}): RecordCheckInput {
  const id = newId("chk");
  const evaluatedAt = new Date().toISOString();
  const asOf = evaluatedAt.slice(0, 10);
  const facilityId = options.facilityId ?? null;
  const verdict: Verdict = {
    status: "compliant",
    coverage: null,
    jurisdictions: [],
    datasets: [],
    findings: [],
    nextDeadline: null,
    reevaluateAt: null,
  };
  const record: CheckRecord = {
    id,
    tenantId,
    facilityId,
    state: options.state ?? "CA",
    asOf,
    evaluatedAt,
    result: { ...verdict, id, asOf, evaluatedAt, facilityId },
  };
  options.mutate?.(record);
  return {
    check: encodeCheck(serializeCheck(record, DEFAULT_VIEW).entry),
    ...(options.idempotencyKey !== undefined ? { idempotencyKey: options.idempotencyKey } : {}),
    ...(options.requestHash !== undefined ? { requestHash: options.requestHash } : {}),
  };
}

/** A check entry's JSON text, as the ledger keeps and returns it. */
export const entryJson = (input: RecordCheckInput): string => new TextDecoder().decode(input.check.utf8);

/** Records Postgres cannot store, each refused with a data error (SQLSTATE class 22). */
export const POISONS = {
  nul: (record: CheckRecord) => {
    record.result.jurisdictions = ["ocd-division/country:us\u0000"];
  },
  loneSurrogate: (record: CheckRecord) => {
    record.result.jurisdictions = ["\ud800"];
  },
  yearZero: (record: CheckRecord) => {
    record.asOf = "0000-01-01";
  },
  hour25: (record: CheckRecord) => {
    record.evaluatedAt = "2026-03-01T25:00:00Z";
  },
};

/** The ids of the tenant's checks in Postgres (what the outbox has delivered). */
export async function postgresCheckIds(tenantId: string): Promise<string[]> {
  const handle = workerDb();
  try {
    return await withTenant(handle.db, tenantId, async (tx) =>
      ((await tx.execute(sql`SELECT id FROM checks`)).rows as { id: string }[]).map((row) => row.id),
    );
  } finally {
    await handle.close();
  }
}
