/**
 * Location limits: a manager may touch only the locations assigned to them. Another
 * location answers 404, exactly like another tenant's, so ids outside the limit reveal
 * nothing. Adding or removing locations (and groups) needs an unlimited principal.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { notFound, Problem } from "../http/problem";
import type { Principal } from "./auth";

export const canTouchFacility = (principal: Principal, facilityId: string) =>
  !principal.locations || principal.locations.has(facilityId);

/** For routes with a facility `:id`: 404 when the principal may not touch it. */
export const requireLocation = createMiddleware<AppEnv>(async (c, next) => {
  const id = c.req.param("id") ?? "";
  if (!canTouchFacility(c.get("principal"), id)) throw notFound(`Facility ${id}`);
  await next();
});

export const requireAllLocations = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("principal").locations) {
    throw new Problem({
      status: 403,
      code: "location_limited",
      title: "Forbidden",
      detail:
        "You manage chosen locations only; adding, removing or grouping locations needs an owner or admin.",
    });
  }
  await next();
});
