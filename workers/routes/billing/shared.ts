/**
 * What the billing routes that change a subscription share: only a signed-in owner may
 * (not admins, not API keys: buying is the owner's decision).
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../../context";
import { Problem } from "../../http/problem";

export const requireOwner = createMiddleware<AppEnv>(async (c, next) => {
  if (c.get("principal").role !== "owner") {
    throw new Problem({
      status: 403,
      code: "owner_only",
      title: "Forbidden",
      detail: "Only an owner of the team, signed in to the web app, can change the plan or billing.",
    });
  }
  await next();
});
