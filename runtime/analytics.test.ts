// Product analytics: nothing outside the tracking plan leaves (property-based: any event with
// any extra properties), user ids leave only as per-tenant pseudonyms, and the Segment batch
// client retries 429s after Retry-After and stops on a refusal.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { type EventName, pseudonym, scrub, sendBatch, TRACKING_PLAN } from "./analytics";

const SECRET = "test-analytics-secret";
const EVENTS = Object.keys(TRACKING_PLAN) as EventName[];

const value = fc.oneof(fc.string(), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.object());

describe("the PII allow-list", () => {
  it("lets no property outside the tracking plan leave, whatever an event carries", async () => {
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
          };
          const sent = await scrub(SECRET, {
            event,
            tenantId: "ten_A",
            userId,
            properties,
            timestamp: "2026-12-01T00:00:00Z",
            messageId: "m1",
          });
          expect(sent).not.toBeNull();
          const allowed = Object.keys(TRACKING_PLAN[event]);
          for (const key of Object.keys(sent?.properties ?? {})) expect(allowed).toContain(key);
          const text = JSON.stringify(sent);
          expect(text).not.toMatch(/example\.com|Zoë|203\.0\.113|Café/);
          expect(sent?.userId).toBe(await pseudonym(SECRET, "ten_A", userId));
          expect(Object.keys(sent ?? {}).sort()).toEqual(
            ["context", "event", "messageId", "properties", "timestamp", "type", "userId"].sort(),
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("drops events not in the plan and values of the wrong type", async () => {
    const base = { tenantId: "ten_A", timestamp: "2026-12-01T00:00:00Z", messageId: "m2" };
    expect(await scrub(SECRET, { ...base, event: "Password Reset", properties: {} })).toBeNull();
    expect(await scrub(SECRET, { ...base, event: "toString", properties: {} })).toBeNull();
    const sent = await scrub(SECRET, {
      ...base,
      event: "Check Run",
      properties: { state: "CA", findingCount: "3", status: { nested: "x" } },
    });
    expect(sent?.properties).toEqual({ state: "CA" });
  });

  it("pseudonymises a user differently per tenant, so ids cannot be joined across tenants", async () => {
    const a = await pseudonym(SECRET, "ten_A", "usr_1");
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(await pseudonym(SECRET, "ten_B", "usr_1")).not.toBe(a);
    expect(await pseudonym(SECRET, "ten_A", "usr_1")).toBe(a);
  });
});

describe("the Segment batch client", () => {
  const batch = [
    {
      type: "track" as const,
      event: "Check Run" as const,
      anonymousId: "g",
      properties: { state: "CA" },
      timestamp: "2026-12-01T00:00:00Z",
      messageId: "chk_1",
      context: { groupId: "g" },
    },
  ];

  it("posts the batch with the write key, waits Retry-After on 429, and resends the same messageIds", async () => {
    const seen: { auth: string | null; body: { batch: { messageId: string }[] } }[] = [];
    const answers = [
      new Response("{}", { status: 429, headers: { "retry-after": "3" } }),
      Response.json({ success: true }),
    ];
    const slept: number[] = [];
    const ok = await sendBatch({
      fetch: (async (_url: RequestInfo | URL, init?: RequestInit) => {
        seen.push({
          auth: new Headers(init?.headers).get("authorization"),
          body: JSON.parse(String(init?.body)),
        });
        return answers.shift() as Response;
      }) as typeof fetch,
      writeKey: "WRITEKEY",
      batch,
      sleep: async (ms) => void slept.push(ms),
    });
    expect(ok).toBe(true);
    expect(slept).toEqual([3000]);
    expect(seen).toHaveLength(2);
    expect(seen[0]?.auth).toBe(`Basic ${btoa("WRITEKEY:")}`);
    expect(seen.map((s) => s.body.batch[0]?.messageId)).toEqual(["chk_1", "chk_1"]);
  });

  it("gives up on a refusal (400) at once and after the last retry of a 5xx", async () => {
    let calls = 0;
    const answering = (status: number) =>
      (async () => {
        calls++;
        return new Response("{}", { status });
      }) as unknown as typeof fetch;
    expect(await sendBatch({ fetch: answering(400), writeKey: "k", batch, sleep: async () => {} })).toBe(
      false,
    );
    expect(calls).toBe(1);
    calls = 0;
    expect(
      await sendBatch({ fetch: answering(503), writeKey: "k", batch, attempts: 3, sleep: async () => {} }),
    ).toBe(false);
    expect(calls).toBe(3);
  });
});
