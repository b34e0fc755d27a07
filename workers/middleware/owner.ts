/**
 * 403 unless a signed-in owner sends the request: decisions that are the business owner's
 * alone (buying, linking partners). Admins and API keys are refused (a key has no role).
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { Problem } from "../http/problem";

export const requireOwnerTo = (what: string) =>
  createMiddleware<AppEnv>(async (c, next) => {
    if (c.get("principal").role !== "owner") {
      throw new Problem({
        status: 403,
        code: "owner_only",
        title: "Forbidden",
        detail: `Only an owner of the team, signed in to the web app, can ${what}.`,
      });
    }
    await next();
  });
