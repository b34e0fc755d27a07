/**
 * One-click unsubscribe from notification email (RFC 8058). Every notification email names
 * `/v1/notifications/unsubscribe?token=…` in `List-Unsubscribe` with
 * `List-Unsubscribe-Post: List-Unsubscribe=One-Click`:
 *
 * - POST (the mail client's one click, or the page's button) stops the user's notification
 *   email at once, including what is queued; no sign-in, the signed token is the authority;
 * - GET shows a page with that button and changes nothing (link scanners follow GETs).
 *
 * A token that is not genuine is a 404 problem: it says nothing about which users exist.
 */
import type { Context } from "hono";
import { describeRoute } from "hono-openapi";
import { readUnsubscribeToken, type UnsubscribeTarget } from "../../../notifications/unsubscribe";
import type { AppEnv } from "../../context";
import { jsonResponse, problemResponses } from "../../http/openapi";
import { Problem } from "../../http/problem";
import { validate } from "../../http/validation";
import type { App } from "../index";
import { UnsubscribedSchema, UnsubscribeQuery } from "./schemas";

const invalidToken = () =>
  new Problem({
    status: 404,
    code: "unsubscribe_link_invalid",
    title: "Not found",
    detail: "This unsubscribe link is not valid. Change notification settings in Prep instead.",
  });

async function targetOf(c: Context<AppEnv>, token: string): Promise<UnsubscribeTarget> {
  const target = await readUnsubscribeToken(c.env.SESSION_SECRET, token);
  if (!target) throw invalidToken();
  return target;
}

export function registerUnsubscribe(app: App): void {
  app.post(
    "/v1/notifications/unsubscribe",
    describeRoute({
      tags: ["Notifications"],
      summary: "One-click unsubscribe from notification email (RFC 8058)",
      responses: {
        200: jsonResponse("Unsubscribed", UnsubscribedSchema),
        ...problemResponses(404, 422),
      },
    }),
    validate("query", UnsubscribeQuery),
    async (c) => {
      const target = await targetOf(c, c.req.valid("query").token);
      await c.get("services").tenant(target.tenantId).unsubscribeEmail(target.userId);
      return c.json({ unsubscribed: true as const });
    },
  );
  app.get(
    "/v1/notifications/unsubscribe",
    describeRoute({
      tags: ["Notifications"],
      summary: "The unsubscribe page (a button that POSTs; GET changes nothing)",
      responses: { 200: { description: "An HTML page" }, ...problemResponses(404, 422) },
    }),
    validate("query", UnsubscribeQuery),
    async (c) => {
      const token = c.req.valid("query").token;
      await targetOf(c, token);
      const action = `/v1/notifications/unsubscribe?token=${encodeURIComponent(token)}`;
      return c.html(
        `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Unsubscribe — Prep</title></head>
<body><main><h1>Stop notification email from Prep?</h1>
<form method="post" action="${action.replaceAll("&", "&amp;").replaceAll('"', "&quot;")}">
<input type="hidden" name="List-Unsubscribe" value="One-Click">
<button type="submit">Unsubscribe</button></form>
<p>You can turn email back on in Prep under Notifications.</p></main></body></html>`,
      );
    },
  );
}
