/**
 * What each team role may do, as API scopes: a signed-in user gets the scopes of their role
 * and passes the same `requireScope` checks as an API key. `team:read` and `team:write`
 * exist only for users (API keys never manage people).
 *
 * - owner, admin: everything; only an owner may make or change owners.
 * - manager: run checks, edit their locations, handle alerts, see usage — only at the
 *   locations assigned to them (one by one or through groups); never keys, billing, the team
 *   or evidence exports (an export spans the tenant's locations and audit trail).
 * - viewer: read only.
 */
import { API_KEY_SCOPES } from "../../db/api-keys";

export const ROLES = ["owner", "admin", "manager", "viewer"] as const;
export type Role = (typeof ROLES)[number];

const ADMIN_SCOPES = [...API_KEY_SCOPES, "team:read", "team:write"];

export const ROLE_SCOPES: Record<Role, readonly string[]> = {
  owner: ADMIN_SCOPES,
  admin: ADMIN_SCOPES,
  // Everything a key may do except managing keys, webhooks (tenant-wide integrations) and
  // seeing billing, and seeing (not changing) the team.
  manager: [
    ...API_KEY_SCOPES.filter(
      (scope) =>
        scope !== "keys:write" &&
        scope !== "billing:read" &&
        scope !== "webhooks:write" &&
        !scope.startsWith("exports:"),
    ),
    "team:read",
  ],
  viewer: ["checks:read", "facilities:read", "alerts:read", "usage:read", "team:read"],
};

/** Managers see only assigned locations; every other role sees them all. */
export const isLocationLimited = (role: Role) => role === "manager";

/**
 * Whether a key its creator made may live on once the creator holds `role`: only if the role
 * holds every scope of the key, and sees every location (a key is never location-limited, so a
 * manager's would reach locations they cannot).
 */
export const mayKeepKey = (role: Role, keyScopes: readonly string[]) =>
  !isLocationLimited(role) && keyScopes.every((scope) => ROLE_SCOPES[role].includes(scope));
