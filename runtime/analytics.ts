/**
 * Product analytics: the tracking plan as code (docs/tracking-plan.md is its table), the PII
 * scrubber every event passes, and the Segment HTTP Tracking API batch client.
 *
 * Scrubbing is by allow-list: an event not in the plan is dropped, a property not listed for
 * its event is dropped, and the only identifier that leaves is the user id HMAC'd with a key
 * derived per tenant (so ids cannot be joined across tenants or reversed). Names, emails and IP
 * addresses are never in the plan. `messageId` is stable per event, so a retried batch is
 * deduplicated by Segment.
 *
 * Not built yet (docs/tracking-plan.md, "Status"): the durable queue in front of `sendBatch`,
 * the routes that emit the events, local logging without a write key, and the Amplitude HTTP V2
 * destination.
 */

/** Property types the plan allows: values are checked, not only names. */
type PropertyType = "string" | "number" | "boolean";

/** Event → property → type. The single source of what may leave Prep. */
export const TRACKING_PLAN = {
  "Signed Up": { plan: "string", source: "string" },
  "Location Added": { state: "string", facilityType: "string", locationCount: "number" },
  "Check Run": { state: "string", status: "string", via: "string", findingCount: "number" },
  "Plan Changed": { fromPlan: "string", toPlan: "string" },
  "Add-on Bought": { addOn: "string", state: "string" },
  "Export Shared": { format: "string", rows: "number" },
  "Alert Acknowledged": { state: "string", ageHours: "number" },
  "Partner Linked": { partner: "string" },
} as const satisfies Record<string, Record<string, PropertyType>>;

export type EventName = keyof typeof TRACKING_PLAN;

export interface ProductEvent {
  event: string;
  tenantId: string;
  /** The acting user; HMAC'd before it leaves. Absent for API-key events (the tenant acts). */
  userId?: string | undefined;
  properties: Record<string, unknown>;
  /** ISO 8601. */
  timestamp: string;
  /** Stable per occurrence (e.g. the check id): Segment deduplicates on it. */
  messageId: string;
}

/** A message in Segment's batch format (`type: "track"`). */
export interface SegmentTrack {
  type: "track";
  event: EventName;
  userId?: string;
  anonymousId?: string;
  properties: Record<string, string | number | boolean>;
  timestamp: string;
  messageId: string;
  context: { groupId: string };
}

const encoder = new TextEncoder();
const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

async function hmac(key: string, message: string): Promise<string> {
  const k = await crypto.subtle.importKey(
    "raw",
    encoder.encode(key),
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return hex(await crypto.subtle.sign("HMAC", k, encoder.encode(message)));
}

/** The per-tenant pseudonym of a user: HMAC(HMAC(secret, tenant), user). */
export async function pseudonym(secret: string, tenantId: string, userId: string): Promise<string> {
  return hmac(await hmac(secret, `tenant:${tenantId}`), `user:${userId}`);
}

/**
 * What may leave for one event, or null when the event is not in the plan. Only listed
 * properties with the listed type survive; the tenant is pseudonymised too (groupId).
 */
export async function scrub(secret: string, input: ProductEvent): Promise<SegmentTrack | null> {
  if (!Object.hasOwn(TRACKING_PLAN, input.event)) return null;
  const event = input.event as EventName;
  const allowed: Record<string, PropertyType> = TRACKING_PLAN[event];
  const properties: Record<string, string | number | boolean> = {};
  for (const [name, type] of Object.entries(allowed)) {
    const value = input.properties[name];
    if (typeof value === type && (type !== "string" || (value as string).length <= 64))
      properties[name] = value as string | number | boolean;
  }
  const groupId = await hmac(secret, `tenant:${input.tenantId}`);
  return {
    type: "track",
    event,
    ...(input.userId
      ? { userId: await pseudonym(secret, input.tenantId, input.userId) }
      : { anonymousId: groupId }),
    properties,
    timestamp: input.timestamp,
    messageId: input.messageId,
    context: { groupId },
  };
}

export const SEGMENT_BATCH_URL = "https://api.segment.io/v1/batch";
/** Segment limits a batch to 500 KB and each message to 32 KB; 100 messages stay far below. */
export const MAX_BATCH = 100;

/**
 * Sends one batch (HTTP Basic auth, the write key as user). Retries 429 and 5xx up to
 * `attempts` times, waiting what `Retry-After` says (seconds), else 1 s doubling; a 4xx other
 * than 429 is final. Resolves true when Segment accepted the batch.
 */
export async function sendBatch(options: {
  fetch: typeof fetch;
  url?: string;
  writeKey: string;
  batch: SegmentTrack[];
  attempts?: number;
  sleep?: (ms: number) => Promise<void>;
}): Promise<boolean> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const body = JSON.stringify({ batch: options.batch, sentAt: new Date().toISOString() });
  const attempts = options.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    const response = await options.fetch(options.url ?? SEGMENT_BATCH_URL, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Basic ${btoa(`${options.writeKey}:`)}` },
      body,
      signal: AbortSignal.timeout(10_000),
    });
    await response.body?.cancel();
    if (response.ok) return true;
    const retryable = response.status === 429 || response.status >= 500;
    if (!retryable || attempt >= attempts) return false;
    const retryAfter = Number(response.headers.get("retry-after"));
    await sleep(
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter * 1000 : 1000 * 2 ** (attempt - 1),
    );
  }
}
