/**
 * The Hono environment: bindings plus the typed variables middleware puts on each request.
 */
import type { Env } from "./env";
import type { PlatformAdmin } from "./middleware/admin-auth";
import type { Principal } from "./middleware/auth";
import type { PartnerAccess } from "./middleware/partner-auth";
import type { Services } from "./services/services";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    services: Services;
    /** Set by `authenticate`; routes behind it can rely on it. */
    principal: Principal;
    /** Set by `authenticateAdmin` on /v1/admin routes: the platform operator acting. */
    admin: PlatformAdmin;
    /** Set by `authenticatePartner` on /v1/partner routes: the partner's client and, for a tenant's routes, its grant. */
    partner: PartnerAccess;
    /** Set by the check routes: the state and plan the request's metric point carries. */
    metricLabels: { state: string; plan: string } | undefined;
  };
}
