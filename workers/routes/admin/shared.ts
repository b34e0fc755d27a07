/**
 * What the admin routes that change rules share: once a version is approved or an override
 * takes or leaves force, checks see it (at once in this isolate, within a minute elsewhere)
 * and the affected tenants re-evaluate in the background.
 */
import type { Context } from "hono";
import { sweepDrift } from "../../../pipeline/drift-sweep";
import type { AppEnv } from "../../context";
import { workerJobContext } from "../../job-context";

export function rulesChanged(c: Context<AppEnv>, jurisdiction: string, reason: string): void {
  const services = c.get("services");
  services.datasets.invalidate();
  services.background(
    sweepDrift(workerJobContext(c.env, services.db()), { jurisdictions: [jurisdiction], reason }),
  );
}
