/**
 * Running a check: the tenant's entitlements from isolate memory (a lapsed subscription is
 * 402, a state not bought is 403), evaluate in isolate memory, then record it exactly once in one
 * of the tenant's meters (metering, ledger, outbox to Postgres) before answering — near the
 * caller when it can be (tenant-meters.ts, ADR 0025). The only awaited I/O on the hot path is
 * that one RPC; datasets, the key and the billing account come from isolate memory.
 */
import type { FacilityInput } from "../../compliance";
import { newId } from "../../db/ids";
import {
  type CheckRecord,
  checkResultJson,
  type FindingsView,
  serializeCheck,
} from "../../durable-objects/contract";
import { asOfDate } from "../../runtime/evaluation";
import { Problem } from "../http/problem";
import type { Principal } from "../middleware/auth";
import { billingAccount, requireEntitlement } from "./billing";
import { verdictFor } from "./evaluate";
import type { Services } from "./services";
import type { MeterRegion } from "./tenant-meters";

export interface RunCheckInput {
  facility: FacilityInput;
  asOf?: string | undefined;
  facilityId: string | null;
  idempotencyKey?: string | undefined;
  requestHash?: string | undefined;
  /** Which findings the answer carries (`?include=not_applicable`). */
  view: FindingsView;
  /** Where the caller is (`callerRegion`): a check without a key is metered there. */
  region?: MeterRegion | undefined;
}

export interface RunCheckOutput {
  record: CheckRecord;
  /** `record.result` as JSON in the asked view: the response body, serialised with the ledger entry. */
  resultJson: string;
  replayed: boolean;
  /** The tenant's plan when it checked (for the request's operational metric). */
  plan: string;
}

export async function runCheck(
  services: Services,
  principal: Principal,
  input: RunCheckInput,
): Promise<RunCheckOutput> {
  const account = await billingAccount(services, principal.tenantId);
  requireEntitlement(account, "checks");
  requireEntitlement(account, `state:${input.facility.address.state}`);
  const datasets = await services.datasets.current(services.db, services.background);
  const asOf = asOfDate(input.asOf);
  const verdict = verdictFor(input.facility, asOf, datasets);
  const id = newId("chk");
  const evaluatedAt = new Date().toISOString();
  const record: CheckRecord = {
    id,
    tenantId: principal.tenantId,
    facilityId: input.facilityId,
    state: input.facility.address.state,
    asOf,
    evaluatedAt,
    result: { id, asOf, evaluatedAt, facilityId: input.facilityId, ...verdict },
  };
  const { entry, resultJson } = serializeCheck(record, input.view);
  const outcome = await services
    .meters(principal.tenantId)
    .record(
      { check: entry, idempotencyKey: input.idempotencyKey, requestHash: input.requestHash },
      input.region,
    );
  if (outcome.kind === "idempotency_conflict") {
    throw new Problem({
      status: 422,
      code: "idempotency_key_reused",
      title: "Idempotency key reused",
      detail:
        "This Idempotency-Key was already used with a different request body. Use a new key for a new request.",
    });
  }
  if (outcome.kind === "replayed") {
    return {
      record: outcome.record,
      resultJson: checkResultJson(outcome.record.result, input.view),
      replayed: true,
      plan: account.plan,
    };
  }
  return { record, resultJson, replayed: false, plan: account.plan };
}

export async function fingerprint(value: unknown): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(value)));
  return btoa(String.fromCharCode(...new Uint8Array(digest)));
}
