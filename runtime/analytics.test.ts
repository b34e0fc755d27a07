// Product analytics: nothing outside the tracking plan leaves, in either destination's format
// (property-based: any event with any extra properties), user ids leave only as per-tenant
// pseudonyms, the plan in docs/tracking-plan.md is the plan in code, and the Segment and
// Amplitude clients read their APIs' answers right (against the loopback servers that speak
// them, test/analytics-server.ts).
import fc from "fast-check";
import { describe, expect, inject, it } from "vitest";
import trackingPlanDoc from "../docs/tracking-plan.md?raw";
import { amplitudeDestination, toAmplitude } from "./amplitude";
import {
  type EventName,
  messageIdFor,
  planProperties,
  pseudonym,
  retryAfterMs,
  type SegmentTrack,
  scrub,
  segmentDestination,
  TRACKING_PLAN,
} from "./analytics";

const SECRET = "test-analytics-secret";
const EVENTS = Object.keys(TRACKING_PLAN) as EventName[];
const PII = /example\.com|Zoë|203\.0\.113|Café|ten_A/;

const value = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.object());

describe("the PII allow-list", () => {
  it("lets no property outside the tracking plan leave, in Segment's or Amplitude's format, whatever an event carries", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...EVENTS),
        fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), value),
        fc.string({ minLength: 1 }),
        async (event, extra, userId) => {
          const properties = {
            ...extra,
            email: "zoe@example.com",
            name: "Zoë Æbelø",
            ip: "203.0.113.7",
            facilityName: "Café Niño",
            tenantId: "ten_A",
          };
          // What the outbox stores (the allow-list at enqueue) is already only the plan's.
          const stored = planProperties(event, properties);
          const allowed = Object.keys(TRACKING_PLAN[event]);
          for (const key of Object.keys(stored)) expect(allowed).toContain(key);
          const sent = await scrub(SECRET, {
            event,
            tenantId: "ten_A",
            userId,
            properties,
            timestamp: "2026-12-01T00:00:00Z",
            messageId: "m1",
          });
          expect(sent).not.toBeNull();
          for (const key of Object.keys(sent?.properties ?? {})) expect(allowed).toContain(key);
          expect(JSON.stringify(sent)).not.toMatch(PII);
          expect(sent?.userId).toBe(await pseudonym(SECRET, "ten_A", userId));
          expect(Object.keys(sent ?? {}).sort()).toEqual(
            ["context", "event", "messageId", "properties", "timestamp", "type", "userId"].sort(),
          );
          const amplitude = toAmplitude(sent as SegmentTrack);
          expect(Object.keys(amplitude).sort()).toEqual(
            ["event_properties", "event_type", "groups", "insert_id", "time", "user_id"].sort(),
          );
          expect(amplitude.event_properties).toEqual(sent?.properties);
          expect(JSON.stringify(amplitude)).not.toMatch(PII);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("drops events not in the plan, values of the wrong type and non-finite numbers", async () => {
    const base = { tenantId: "ten_A", timestamp: "2026-12-01T00:00:00Z", messageId: "m2" };
    expect(await scrub(SECRET, { ...base, event: "Password Reset", properties: {} })).toBeNull();
    expect(await scrub(SECRET, { ...base, event: "toString", properties: {} })).toBeNull();
    const sent = await scrub(SECRET, {
      ...base,
      event: "Check Run",
      properties: { state: "CA", findingCount: "3", status: { nested: "x" } },
    });
    expect(sent?.properties).toEqual({ state: "CA" });
    expect(planProperties("Location Added", { locationCount: Number.NaN, state: "x".repeat(65) })).toEqual(
      {},
    );
  });

  it("an API-key event (no user) leaves with the tenant's pseudonym as Segment's anonymousId and Amplitude's device_id", async () => {
    const sent = (await scrub(SECRET, {
      event: "Check Run",
      tenantId: "ten_A",
      properties: { state: "CA" },
      timestamp: "2026-12-01T00:00:00Z",
      messageId: "chk_1",
    })) as SegmentTrack;
    expect(sent.userId).toBeUndefined();
    expect(sent.anonymousId).toBe(sent.context.groupId);
    expect(toAmplitude(sent)).toMatchObject({
      device_id: sent.context.groupId,
      insert_id: await messageIdFor(SECRET, "chk_1"),
      time: 1796083200000,
    });
    // The occurrence's key (a Prep id) never leaves; its HMAC is stable, so retries dedupe.
    expect(sent.messageId).toMatch(/^[0-9a-f]{64}$/);
  });

  it("pseudonymises a user differently per tenant, so ids cannot be joined across tenants", async () => {
    const a = await pseudonym(SECRET, "ten_A", "usr_1");
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await pseudonym(SECRET, "ten_B", "usr_1")).not.toBe(a);
    expect(await pseudonym(SECRET, "ten_A", "usr_1")).toBe(a);
  });

  it("docs/tracking-plan.md lists exactly the plan's events and properties (values in parentheses aside)", () => {
    const rows = [...trackingPlanDoc.matchAll(/^\| `([^`]+)`\s*\|([^|]*)\|/gm)]
      .map(
        (m) =>
          [
            m[1] as string,
            [...(m[2] ?? "").replace(/\([^)]*\)/g, "").matchAll(/`(\w+)`/g)].map((p) => p[1]),
          ] as const,
      )
      .filter(([name]) => /^[A-Z]/.test(name));
    expect(Object.fromEntries(rows)).toEqual(
      Object.fromEntries(EVENTS.map((event) => [event, Object.keys(TRACKING_PLAN[event])])),
    );
  });
});

const message = (messageId: string, userId = "a".repeat(64)): SegmentTrack => ({
  type: "track",
  event: "Check Run",
  userId,
  properties: { state: "CA" },
  timestamp: "2026-12-01T00:00:00Z",
  messageId,
  context: { groupId: "g".repeat(64) },
});

/** A fetch answering every request with `response`, recording what was sent. */
function answering(response: () => Response) {
  const sent: { url: string; headers: Headers; body: Record<string, unknown> }[] = [];
  const fetcher = (async (url: RequestInfo | URL, init?: RequestInit) => {
    sent.push({
      url: String(url),
      headers: new Headers(init?.headers),
      body: JSON.parse(String(init?.body)),
    });
    return response();
  }) as typeof fetch;
  return { fetcher, sent };
}

describe("the Segment client (/v1/batch)", () => {
  it("posts the batch with the write key as Basic auth and reads 200 as accepted", async () => {
    const { fetcher, sent } = answering(() => Response.json({ success: true }));
    const segment = segmentDestination({ fetch: fetcher, writeKey: "WRITEKEY" });
    expect(await segment.deliver([message("chk_1")])).toEqual({ kind: "accepted" });
    expect(sent[0]?.url).toBe("https://api.segment.io/v1/batch");
    expect(sent[0]?.headers.get("authorization")).toBe(`Basic ${btoa("WRITEKEY:")}`);
    expect(sent[0]?.body).toMatchObject({ batch: [{ messageId: "chk_1" }] });
  });

  it("asks to wait Retry-After on 429 and 5xx, splits on 413, refuses a 400, and retries a wrong key", async () => {
    const outcome = (status: number, headers: Record<string, string> = {}) =>
      segmentDestination({
        fetch: answering(() => new Response("{}", { status, headers })).fetcher,
        writeKey: "k",
      }).deliver([message("m1"), message("m2")]);
    expect(await outcome(429, { "retry-after": "3" })).toMatchObject({ kind: "retry", retryAfterMs: 3000 });
    expect(await outcome(503)).toMatchObject({ kind: "retry", retryAfterMs: null });
    expect(await outcome(401)).toMatchObject({ kind: "retry" });
    expect(await outcome(413)).toMatchObject({ kind: "too_large" });
    expect(await outcome(400)).toMatchObject({ kind: "refused", messageIds: ["m1", "m2"] });
    const unreachable = segmentDestination({
      fetch: (async () => {
        throw new TypeError("connection refused");
      }) as unknown as typeof fetch,
      writeKey: "k",
    });
    expect(await unreachable.deliver([message("m1")])).toMatchObject({ kind: "retry", retryAfterMs: null });
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(retryAfterMs("2")).toBe(2000);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs("soon")).toBeNull();
    expect(retryAfterMs(null)).toBeNull();
  });

  it("is accepted by the loopback Segment, which keeps each messageId once", async () => {
    const segment = segmentDestination({ fetch, writeKey: "k", url: `${inject("analyticsUrl")}/v1/batch` });
    const id = `seg_${crypto.randomUUID()}`;
    const groupId = crypto.randomUUID().replaceAll("-", "");
    const one = { ...message(id), context: { groupId } };
    expect(await segment.deliver([one])).toEqual({ kind: "accepted" });
    expect(await segment.deliver([one])).toEqual({ kind: "accepted" });
    const kept = (await (
      await fetch(`${inject("analyticsUrl")}/__fake/received?groupId=${groupId}`)
    ).json()) as {
      segment: SegmentTrack[];
    };
    expect(kept.segment.map((m) => m.messageId)).toEqual([id]);
  });
});

describe("the Amplitude client (/2/httpapi)", () => {
  const url = () => `${inject("analyticsUrl")}/2/httpapi`;

  it("sends api_key and events with insert_id, and reads 200 as accepted", async () => {
    const { fetcher, sent } = answering(() =>
      Response.json({ code: 200, events_ingested: 1, payload_size_bytes: 300, server_upload_time: 1 }),
    );
    const amplitude = amplitudeDestination({ fetch: fetcher, apiKey: "AMPKEY" });
    expect(await amplitude.deliver([message("chk_1")])).toEqual({ kind: "accepted" });
    expect(sent[0]?.url).toBe("https://api2.amplitude.com/2/httpapi");
    expect(sent[0]?.body).toMatchObject({
      api_key: "AMPKEY",
      events: [{ event_type: "Check Run", insert_id: "chk_1", event_properties: { state: "CA" } }],
    });
  });

  it("refuses just the events a 400 names (events_with_invalid_fields), from the loopback Amplitude", async () => {
    const amplitude = amplitudeDestination({ fetch, apiKey: "k", url: url() });
    // A user id under 5 characters is invalid to Amplitude (Prep's are 64: this is a forged one).
    const outcome = await amplitude.deliver([message("ok_1"), message("bad_1", "abc"), message("ok_2")]);
    expect(outcome).toMatchObject({ kind: "refused", messageIds: ["bad_1"] });
    expect(await amplitude.deliver([message("ok_1"), message("ok_2")])).toEqual({ kind: "accepted" });
  });

  it("retries a 400 that names no event (missing_field api_key: the configuration, not the events)", async () => {
    const amplitude = amplitudeDestination({ fetch, apiKey: "", url: url() });
    expect(await amplitude.deliver([message("m1")])).toMatchObject({
      kind: "retry",
      reason: expect.stringContaining("missing_field api_key"),
    });
  });

  it("splits on 413 (over 2,000 events) and waits 30 s when throttled (429 without Retry-After)", async () => {
    const amplitude = amplitudeDestination({ fetch, apiKey: "k", url: url() });
    const many = Array.from({ length: 2001 }, (_, i) => message(`big_${i}`));
    expect(await amplitude.deliver(many)).toMatchObject({ kind: "too_large" });
    const throttled = amplitudeDestination({
      fetch: answering(() =>
        Response.json(
          {
            code: 429,
            error: "Too many requests for some devices and users",
            eps_threshold: 30,
            throttled_events: [0],
          },
          { status: 429 },
        ),
      ).fetcher,
      apiKey: "k",
    });
    expect(await throttled.deliver([message("m1")])).toMatchObject({ kind: "retry", retryAfterMs: 30_000 });
  });
});
