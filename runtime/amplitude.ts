/**
 * Amplitude's HTTP V2 API (`POST /2/httpapi`), the second analytics destination: the same
 * scrubbed events as Segment gets (runtime/analytics.ts), in Amplitude's shape.
 *
 * Wire format (amplitude.com/docs/apis/analytics/http-v2): a JSON body `{api_key, events}`;
 * each event has `event_type`, a `user_id` or `device_id` (5+ characters), `time` (epoch ms)
 * and `insert_id`, on which Amplitude deduplicates for 7 days, so a resent batch counts once.
 * Answers, and what the outbox does with them:
 * - 200 `{code, events_ingested, payload_size_bytes, server_upload_time}`: accepted.
 * - 400 `{code, error, missing_field?, events_with_invalid_fields?, events_with_missing_fields?}`:
 *   nothing is ingested; the events the lists name (field → event indexes) are refused for
 *   good, the rest are sent again. A 400 naming no event (a missing `api_key`, bad JSON) is the
 *   request's fault, not an event's: retried, like a wrong key.
 * - 413 (over 2,000 events or 1 MB): the batch is split.
 * - 429 (`eps_threshold`, `throttled_users`, `throttled_devices`, `throttled_events`): a user
 *   or device sent more than 30 events/s; retried after `Retry-After`, else 30 s, as the
 *   documentation asks.
 * - 5xx, or no answer: retried with backoff.
 */
import {
  type DeliveryOutcome,
  type Destination,
  postJson,
  retryAfterMs,
  type SegmentTrack,
} from "./analytics";

export const AMPLITUDE_HTTP_API_URL = "https://api2.amplitude.com/2/httpapi";
/** Amplitude takes up to 2,000 events and 1 MB per request; Prep's events are ~300 bytes. */
export const AMPLITUDE_MAX_BATCH = 500;
/** What Amplitude asks a throttled sender to wait when it says nothing else. */
export const AMPLITUDE_THROTTLE_WAIT_MS = 30_000;

export interface AmplitudeEvent {
  event_type: string;
  user_id?: string;
  device_id?: string;
  time: number;
  insert_id: string;
  event_properties: Record<string, string | number | boolean>;
  /** The tenant's pseudonym (the same HMAC as Segment's `context.groupId`). */
  groups: { tenant: string };
}

/** One scrubbed message in Amplitude's shape: nothing is added that Segment's message lacks. */
export function toAmplitude(message: SegmentTrack): AmplitudeEvent {
  return {
    event_type: message.event,
    ...(message.userId
      ? { user_id: message.userId }
      : { device_id: message.anonymousId ?? message.context.groupId }),
    time: Date.parse(message.timestamp),
    insert_id: message.messageId,
    event_properties: message.properties,
    groups: { tenant: message.context.groupId },
  };
}

/** The event indexes a 400 names (`events_with_invalid_fields`, `events_with_missing_fields`). */
function namedIndexes(body: Record<string, unknown>): number[] {
  const indexes = new Set<number>();
  for (const key of ["events_with_invalid_fields", "events_with_missing_fields"]) {
    const lists = body[key];
    if (!lists || typeof lists !== "object") continue;
    for (const list of Object.values(lists as Record<string, unknown>))
      if (Array.isArray(list)) for (const i of list) if (Number.isInteger(i)) indexes.add(i as number);
  }
  return [...indexes];
}

export function amplitudeDestination(options: {
  fetch: typeof fetch;
  apiKey: string;
  url?: string | undefined;
}): Destination {
  return {
    name: "amplitude",
    maxBatch: AMPLITUDE_MAX_BATCH,
    async deliver(batch): Promise<DeliveryOutcome> {
      const response = await postJson(
        options.fetch,
        options.url || AMPLITUDE_HTTP_API_URL,
        { accept: "*/*" },
        { api_key: options.apiKey, events: batch.map(toAmplitude) },
      );
      if (!(response instanceof Response)) return response;
      const text = await response.text().catch(() => "");
      if (response.ok) return { kind: "accepted" };
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        // Not JSON (a proxy's page): judged by the status alone.
      }
      const reason = `Amplitude answered ${response.status}: ${String(body.error ?? text).slice(0, 200)}${
        body.missing_field ? ` (missing_field ${String(body.missing_field)})` : ""
      }`;
      const after = retryAfterMs(response.headers.get("retry-after"));
      if (response.status === 429)
        return { kind: "retry", retryAfterMs: after ?? AMPLITUDE_THROTTLE_WAIT_MS, reason };
      if (response.status === 413) return { kind: "too_large", reason };
      if (response.status === 400) {
        const named = namedIndexes(body)
          .map((i) => batch[i]?.messageId)
          .filter((id): id is string => id !== undefined);
        if (named.length > 0) return { kind: "refused", messageIds: named, reason };
      }
      return { kind: "retry", retryAfterMs: after, reason };
    },
  };
}
