/**
 * The Hono environment: bindings plus the typed variables middleware puts on each request.
 */
import type { Env } from "./env";
import type { Principal } from "./middleware/auth";
import type { Services } from "./services/services";

export interface AppEnv {
  Bindings: Env;
  Variables: {
    requestId: string;
    services: Services;
    /** Set by `authenticate`; routes behind it can rely on it. */
    principal: Principal;
  };
}
