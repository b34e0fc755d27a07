/**
 * What admin routes share: once a version is approved or an override takes or leaves force,
 * checks see it (at once in this isolate, within a minute elsewhere) and the affected tenants
 * re-evaluate in the background; the four-eyes refusals; the audit entry of an action that
 * writes no platform row itself; dead-letter routes act on whichever meter shard holds one.
 */
import type { Context } from "hono";
import { asPlatform } from "../../../db/client";
import { type PlatformAuditEntry, recordPlatformAudit } from "../../../db/platform-audit";
import { sweepDrift } from "../../../pipeline/drift-sweep";
import type { AppEnv } from "../../context";
import { Problem } from "../../http/problem";
import { workerJobContext } from "../../job-context";
import type { TenantMeters } from "../../services/tenant-meters";

export function rulesChanged(c: Context<AppEnv>, jurisdiction: string, reason: string): void {
  const services = c.get("services");
  services.datasets.invalidate();
  services.background(
    sweepDrift(workerJobContext(c.env, services.db()), { jurisdictions: [jurisdiction], reason }),
  );
}

/** 403: four eyes — the operator who proposed or started a change may not approve it. */
export const selfApproval = (detail: string) =>
  new Problem({ status: 403, code: "self_approval", title: "Forbidden", detail });

/** 409: the decision does not apply to the thing's current state. */
export const wrongStatus = (what: string, status?: string) =>
  new Problem({
    status: 409,
    code: "conflict",
    title: "Conflict",
    detail: `${what} is ${status ?? "in another state"}; this decision does not apply to it.`,
  });

/**
 * Records what the signed-in platform admin did, for actions whose own write is not a
 * platform row (dead letters live in Durable Objects, a refresh run records its own start).
 */
export function auditAdminAction(
  c: Context<AppEnv>,
  entry: Omit<PlatformAuditEntry, "actor">,
): Promise<void> {
  return asPlatform(c.get("services").db(), (tx) =>
    recordPlatformAudit(tx, { actor: c.get("admin").adminId, ...entry }),
  );
}

/**
 * Runs `act` on each of the tenant's meter shards in turn until one answers true (it held the
 * dead letter); false when none did.
 */
export async function onTheShardHolding(
  meters: TenantMeters,
  act: (shard: ReturnType<TenantMeters["shard"]>) => Promise<boolean>,
): Promise<boolean> {
  for (const { stub } of await meters.all()) if (await act(stub)) return true;
  return false;
}
