/**
 * What admin routes share: once a version is approved or an override takes or leaves force,
 * checks see it (at once in this isolate, within a minute elsewhere) and the affected tenants
 * re-evaluate in the background; dead-letter routes act on whichever meter shard holds one.
 */
import type { Context } from "hono";
import { sweepDrift } from "../../../pipeline/drift-sweep";
import type { AppEnv } from "../../context";
import { workerJobContext } from "../../job-context";
import type { TenantMeters } from "../../services/tenant-meters";

export function rulesChanged(c: Context<AppEnv>, jurisdiction: string, reason: string): void {
  const services = c.get("services");
  services.datasets.invalidate();
  services.background(
    sweepDrift(workerJobContext(c.env, services.db()), { jurisdictions: [jurisdiction], reason }),
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
  for (let shard = 0; shard < meters.shards; shard++) if (await act(meters.shard(shard))) return true;
  return false;
}
