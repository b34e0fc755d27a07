/**
 * What the preference routes share: they belong to a signed-in user (an API key has no
 * inbox), and what a user gets back.
 */
import { createMiddleware } from "hono/factory";
import {
  DEFAULT_PREFERENCES,
  type NotificationPreferences,
  USER_CHANNELS,
} from "../../../notifications/contract";
import { EVENT_TYPES } from "../../../notifications/events";
import type { AppEnv } from "../../context";
import { Problem } from "../../http/problem";

export const requireUser = createMiddleware<AppEnv>(async (c, next) => {
  if (!c.get("principal").userId) {
    throw new Problem({
      status: 403,
      code: "user_session_required",
      title: "Forbidden",
      detail: "Notification preferences belong to a person: sign in to the web app (an API key has none).",
    });
  }
  await next();
});

export const preferencesView = (prefs: NotificationPreferences | null) => ({
  ...(prefs ?? DEFAULT_PREFERENCES),
  eventTypes: [...EVENT_TYPES],
  channelTypes: [...USER_CHANNELS],
});
