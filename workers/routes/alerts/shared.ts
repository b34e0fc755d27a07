/**
 * What the alert routes share: a principal limited to some locations (a manager) sees and
 * acknowledges only their facilities' alerts; and how other routes tell the live stream that
 * a credential or a user's access changed.
 */
import type { TenantObject } from "../../../durable-objects/tenant-object";
import type { Principal } from "../../middleware/auth";
import type { Services } from "../../services/services";

/** The facilities a location-limited principal may see alerts of; undefined = all. */
export const visibleFacilities = (principal: Principal) =>
  principal.locations ? [...principal.locations] : undefined;

/**
 * Tells the tenant's object, after a change committed in Postgres, to end or narrow the live
 * sockets it affects. A failure is logged and never fails the request: the object's sweep
 * re-checks every socket's principal against Postgres within a minute anyway.
 */
export async function notifyStreams(
  services: Services,
  tenantId: string,
  change: (object: DurableObjectStub<TenantObject>) => Promise<unknown>,
): Promise<void> {
  try {
    await change(services.tenant(tenantId));
  } catch (error) {
    console.error(
      JSON.stringify({
        level: "error",
        message: "alert stream notification failed (the sweep catches it within a minute)",
        tenantId,
        error: String(error),
      }),
    );
  }
}
