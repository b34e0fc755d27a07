/**
 * The body of GET /v1/session (and of sign-up, sign-in and invite acceptance): who is signed
 * in, where, what they may do, and the CSRF token to echo.
 */
import type { Context } from "hono";
import { withTenant } from "../../db/client";
import { loadTenantName } from "../../db/tenants";
import { loadUserAccess } from "../../db/users";
import type { AppEnv } from "../context";
import { unauthorized } from "../http/problem";
import { ROLE_SCOPES } from "./roles";
import type { SessionClaims } from "./sessions";

export async function sessionBody(c: Context<AppEnv>, session: SessionClaims) {
  const loaded = await withTenant(c.get("services").db(), session.tenantId, async (tx) => ({
    user: await loadUserAccess(tx, session.userId),
    tenantName: await loadTenantName(tx, session.tenantId),
  }));
  if (!loaded.user || loaded.tenantName === null)
    throw unauthorized("This account no longer exists. Sign in again.");
  const { facilityIds, ...user } = loaded.user;
  return {
    user,
    tenant: { id: session.tenantId, name: loaded.tenantName },
    scopes: [...ROLE_SCOPES[user.role]].sort(),
    locations: facilityIds,
    csrfToken: session.csrf,
  };
}
