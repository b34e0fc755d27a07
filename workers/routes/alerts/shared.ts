/**
 * What the alert routes share: a principal limited to some locations (a manager) sees and
 * acknowledges only their facilities' alerts.
 */
import type { Principal } from "../../middleware/auth";

/** The facilities a location-limited principal may see alerts of; undefined = all. */
export const visibleFacilities = (principal: Principal) =>
  principal.locations ? [...principal.locations] : undefined;
