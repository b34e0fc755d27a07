/**
 * Product analytics: the tracking plan as code (docs/tracking-plan.md is its table), the PII
 * scrubber every event passes on its way out, and the two destinations' wire formats —
 * Segment's HTTP Tracking API (`/v1/batch`) here, Amplitude's HTTP V2 API in amplitude.ts.
 * The durable queue in front of them, and the drain that calls them, is analytics-outbox.ts.
 *
 * Scrubbing is by allow-list: an event not in the plan is dropped, a property not listed for
 * its event (or of another type, or a string over 64 characters) is dropped, and the only
 * identifiers that leave are the user id and the tenant HMAC'd with a key derived per tenant
 * (so ids cannot be joined across tenants or reversed). Names, emails and IP addresses are
 * never in the plan. `messageId` is an HMAC of a key stable per occurrence (no raw id leaves),
 * so a resent batch is deduplicated.
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
  "Export Shared": { locations: "number", expiresInDays: "number" },
  "Alert Acknowledged": { status: "string", ageHours: "number" },
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
  /** Stable per occurrence (e.g. the check id); leaves only as `messageIdFor` of it. */
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

/**
 * Imported HMAC keys by key material, so a drain of thousands of events imports each tenant's
 * key once: resolved CryptoKeys (plain values, no I/O), never a pending promise shared between
 * requests. Bounded: cleared when full.
 */
const importedKeys = new Map<string, CryptoKey>();
const MAX_IMPORTED_KEYS = 2_000;

async function hmac(key: string, message: string): Promise<string> {
  let k = importedKeys.get(key);
  if (!k) {
    k = await crypto.subtle.importKey("raw", encoder.encode(key), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    if (importedKeys.size >= MAX_IMPORTED_KEYS) importedKeys.clear();
    importedKeys.set(key, k);
  }
  return hex(await crypto.subtle.sign("HMAC", k, encoder.encode(message)));
}

/** The tenant's pseudonym (Segment's `context.groupId`, Amplitude's `groups.tenant`). */
export const tenantPseudonym = (secret: string, tenantId: string): Promise<string> =>
  hmac(secret, `tenant:${tenantId}`);

/**
 * What leaves as `messageId` / `insert_id`: an HMAC of the occurrence's key (which names
 * Prep's own ids: a check, a facility, a tenant), stable across every retry, so the
 * destinations still deduplicate, but joinable to nothing in Prep.
 */
export const messageIdFor = (secret: string, key: string): Promise<string> => hmac(secret, `message:${key}`);

/** The per-tenant pseudonym of a user: HMAC(HMAC(secret, tenant), user). */
export async function pseudonym(secret: string, tenantId: string, userId: string): Promise<string> {
  return hmac(await tenantPseudonym(secret, tenantId), `user:${userId}`);
}

export const isPlanned = (event: string): event is EventName => Object.hasOwn(TRACKING_PLAN, event);

/**
 * The properties the plan lists for `event`, with the listed type (strings at most 64
 * characters); everything else is dropped. Applied when an event is queued and again when it
 * leaves, so neither the outbox nor a destination ever holds anything else.
 */
export function planProperties(
  event: EventName,
  properties: Record<string, unknown>,
): Record<string, string | number | boolean> {
  const allowed: Record<string, PropertyType> = TRACKING_PLAN[event];
  const kept: Record<string, string | number | boolean> = {};
  for (const [name, type] of Object.entries(allowed)) {
    const value = properties[name];
    if (typeof value !== type) continue;
    if (type === "string" && (value as string).length > 64) continue;
    if (type === "number" && !Number.isFinite(value)) continue;
    kept[name] = value as string | number | boolean;
  }
  return kept;
}

/**
 * What may leave for one event, or null when the event is not in the plan. Only listed
 * properties with the listed type survive; the tenant is pseudonymised too (groupId).
 */
export async function scrub(secret: string, input: ProductEvent): Promise<SegmentTrack | null> {
  if (!isPlanned(input.event)) return null;
  const event = input.event;
  const properties = planProperties(event, input.properties);
  const groupId = await tenantPseudonym(secret, input.tenantId);
  return {
    type: "track",
    event,
    ...(input.userId ? { userId: await hmac(groupId, `user:${input.userId}`) } : { anonymousId: groupId }),
    properties,
    timestamp: input.timestamp,
    messageId: await messageIdFor(secret, input.messageId),
    context: { groupId },
  };
}

// ---- Destinations ----

/** What a destination said about a batch, message by message where it says so. */
export type DeliveryOutcome =
  /** Every message was accepted. */
  | { kind: "accepted" }
  /** Nothing was taken; send the same messages again, not before `retryAfterMs` when given. */
  | { kind: "retry"; retryAfterMs: number | null; reason: string }
  /** These messages are refused for good (the rest of the batch was not taken either). */
  | { kind: "refused"; messageIds: readonly string[]; reason: string }
  /** The request was too large: send the messages in smaller batches. */
  | { kind: "too_large"; reason: string };

/** Where scrubbed events go: one request per call, no retries of its own (the outbox retries). */
export interface Destination {
  name: string;
  /** Messages per request. */
  maxBatch: number;
  deliver(batch: readonly SegmentTrack[]): Promise<DeliveryOutcome>;
}

/** Seconds in a `Retry-After` header (the HTTP-date form too), as milliseconds; null when absent. */
export function retryAfterMs(header: string | null, nowMs = Date.now()): number | null {
  if (!header) return null;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return seconds >= 0 ? seconds * 1000 : null;
  const at = Date.parse(header);
  return Number.isNaN(at) ? null : Math.max(0, at - nowMs);
}

/** A request that never got an answer (network, timeout): worth retrying. */
export async function postJson(
  fetcher: typeof fetch,
  url: string,
  headers: Record<string, string>,
  body: unknown,
): Promise<Response | { kind: "retry"; retryAfterMs: null; reason: string }> {
  try {
    return await fetcher(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    return { kind: "retry", retryAfterMs: null, reason: `no answer: ${(error as Error).message}` };
  }
}

export const SEGMENT_BATCH_URL = "https://api.segment.io/v1/batch";
/** Segment limits a batch to 500 KB and each message to 32 KB; 100 small messages stay far below. */
export const SEGMENT_MAX_BATCH = 100;

/**
 * Segment's HTTP Tracking API, `/v1/batch` (HTTP Basic auth, the write key as user). 2xx:
 * accepted; 429 and 5xx: retry, after `Retry-After` when given; 413 or a 400 (too large, or
 * not JSON): Segment says nothing per message, so the outbox splits the batch until a
 * refused message is alone; 401/403: the key is wrong — retried, never dead-lettered (the
 * events are fine; the configuration is not).
 */
export function segmentDestination(options: {
  fetch: typeof fetch;
  writeKey: string;
  url?: string | undefined;
}): Destination {
  const authorization = `Basic ${btoa(`${options.writeKey}:`)}`;
  return {
    name: "segment",
    maxBatch: SEGMENT_MAX_BATCH,
    async deliver(batch) {
      const response = await postJson(
        options.fetch,
        options.url || SEGMENT_BATCH_URL,
        { authorization },
        { batch, sentAt: new Date().toISOString() },
      );
      if (!(response instanceof Response)) return response;
      const text = await response.text().catch(() => "");
      if (response.ok) return { kind: "accepted" };
      const reason = `Segment answered ${response.status}: ${text.slice(0, 300)}`;
      if (
        response.status === 429 ||
        response.status >= 500 ||
        response.status === 401 ||
        response.status === 403
      )
        return { kind: "retry", retryAfterMs: retryAfterMs(response.headers.get("retry-after")), reason };
      if (response.status === 413) return { kind: "too_large", reason };
      return { kind: "refused", messageIds: batch.map((m) => m.messageId), reason };
    },
  };
}
