/**
 * Authentication of Prep's platform operators on `/v1/admin/*`: `Authorization: Bearer
 * prep_admin_…` (keys from `prep admin create`). Tenant credentials never pass here — a tenant
 * API key is refused with 403 (it is valid, just not for this API) and session cookies are
 * ignored, so a tenant compromise cannot reach global data.
 */
import { createMiddleware } from "hono/factory";
import { parseApiKey } from "../../db/api-keys";
import { verifyAdminKey } from "../../db/platform-admins";
import type { AppEnv } from "../context";
import { Problem, unauthorized } from "../http/problem";

export interface PlatformAdmin {
  adminId: string;
  email: string;
}

export const authenticateAdmin = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization");
  if (!header)
    throw unauthorized("The admin API needs a platform admin key: Authorization: Bearer prep_admin_….");
  const token = /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1];
  if (!token) throw unauthorized("The Authorization header must be: Bearer <admin key>.");
  if (parseApiKey(token)) {
    throw new Problem({
      status: 403,
      code: "admin_only",
      title: "Forbidden",
      detail: "Tenant API keys cannot use the admin API; it needs a platform admin key (prep_admin_…).",
    });
  }
  const admin = await verifyAdminKey(c.get("services").db(), token);
  if (!admin) throw unauthorized("The admin key is not valid or has been revoked.");
  c.set("admin", admin);
  await next();
});
