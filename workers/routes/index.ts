/**
 * Every route registers itself here, one file per route. After them, each known path gets
 * a 405 fallback that lists the methods it does support.
 */
import type { Hono } from "hono";
import type { AppEnv } from "../context";
import { Problem } from "../http/problem";
import { registerAdminDatasets } from "./admin/datasets";
import { registerAdminOverrides } from "./admin/overrides";
import { registerAdminRefresh } from "./admin/refresh";
import { registerAlerts } from "./alerts/alerts";
import { registerAcceptInvite } from "./auth/accept-invite";
import { registerSession } from "./auth/session";
import { registerSignIn } from "./auth/sign-in";
import { registerSignOut } from "./auth/sign-out";
import { registerSignUp } from "./auth/sign-up";
import { registerCreateCheck } from "./checks/create";
import { registerGetCheck } from "./checks/get";
import { registerDocs } from "./docs/docs";
import { registerCheckFacility } from "./facilities/check";
import { registerCreateFacility } from "./facilities/create";
import { registerDeleteFacility } from "./facilities/delete";
import { registerGetFacility } from "./facilities/get";
import { registerFacilityHistory } from "./facilities/history";
import { registerListFacilities } from "./facilities/list";
import { registerUpdateFacility } from "./facilities/update";
import { registerGroups } from "./groups/groups";
import { registerJurisdictions } from "./jurisdictions/jurisdictions";
import { registerApiKeys } from "./keys/keys";
import { registerMe } from "./me/get";
import { registerStatus } from "./status/get";
import { registerTeamInvites } from "./team/invites";
import { registerTeamUsers } from "./team/users";
import { registerUsage } from "./usage/get";

export type App = Hono<AppEnv>;

const ROUTES: ((app: App) => void)[] = [
  registerMe,
  registerApiKeys,
  registerCreateCheck,
  registerGetCheck,
  registerCreateFacility,
  registerListFacilities,
  registerGetFacility,
  registerUpdateFacility,
  registerDeleteFacility,
  registerCheckFacility,
  registerJurisdictions,
  registerUsage,
  registerAlerts,
  registerSignUp,
  registerSignIn,
  registerSignOut,
  registerAcceptInvite,
  registerSession,
  registerTeamUsers,
  registerTeamInvites,
  registerGroups,
  registerFacilityHistory,
  registerStatus,
  registerAdminRefresh,
  registerAdminDatasets,
  registerAdminOverrides,
];

export function registerRoutes(app: App): void {
  for (const register of ROUTES) register(app);
  registerDocs(app);
  registerMethodNotAllowed(app);
}

function registerMethodNotAllowed(app: App): void {
  const methodsByPath = new Map<string, Set<string>>();
  for (const route of app.routes) {
    if (route.method === "ALL" || !route.path.startsWith("/v1/")) continue;
    const methods = methodsByPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    methodsByPath.set(route.path, methods);
  }
  for (const [path, methods] of methodsByPath) {
    const allow = [...methods, "OPTIONS"].join(", ");
    app.all(path, (c) => {
      throw new Problem({
        status: 405,
        code: "method_not_allowed",
        title: "Method not allowed",
        detail: `${c.req.method} is not supported on ${path}. Allowed: ${allow}.`,
        headers: { allow },
      });
    });
  }
}
