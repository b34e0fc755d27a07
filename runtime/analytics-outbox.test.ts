// Product analytics end to end, through the real Worker: routes and the tenant object queue
// events in Postgres (analytics_outbox), the drain sends them to the loopback Segment and
// Amplitude (test/analytics-server.ts) through the production clients. Only plan properties
// and pseudonyms leave; an outage of both destinations loses nothing and every retry carries
// the same messageId / insert_id, kept once; a refused event becomes a dead letter and the
// others flow; without keys, events are logged.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { openDatabase } from "../db/client";
import {
  DAY_MS,
  drain,
  drainUntil,
  has,
  hmacKey,
  type Received,
  received,
  requestsFor,
  setMode,
} from "../test/analytics";
import { cardFor, sfRestaurant } from "../test/fixtures";
import { call, newTenant, workerDb } from "../test/helpers";
import { asUser, signUp, uniqueEmail } from "../test/sessions";
import { messageIdFor, pseudonym, type SegmentTrack, TRACKING_PLAN, tenantPseudonym } from "./analytics";
import { type AnalyticsSetup, analyticsSetup, requeueDeadAnalytics } from "./analytics-outbox";

/** The owner connection (superuser): reads the outbox as the operator would. */
async function outboxRows(tenantId: string) {
  const owner = openDatabase({ databaseUrl: env.OWNER_DATABASE_URL ?? "", wsProxy: env.DB_WS_PROXY });
  try {
    const result = await owner.db.execute(sql`
      SELECT message_id, event, attempts, next_attempt_at, leased_until, dead_at, last_error
      FROM analytics_outbox WHERE tenant_id = ${tenantId} ORDER BY message_id`);
    return result.rows as {
      message_id: string;
      event: string;
      attempts: number;
      next_attempt_at: string;
      leased_until: string | null;
      dead_at: string | null;
      last_error: string | null;
    }[];
  } finally {
    await owner.close();
  }
}

/** Queues rows straight in Postgres, due only tomorrow: no other test's drain sends them first. */
async function queueNotYetDue(tenantId: string, rows: { id: string; event: string; properties: object }[]) {
  const owner = openDatabase({ databaseUrl: env.OWNER_DATABASE_URL ?? "", wsProxy: env.DB_WS_PROXY });
  try {
    for (const row of rows)
      await owner.db.execute(sql`
        INSERT INTO analytics_outbox (message_id, tenant_id, event, user_id, properties, occurred_at, next_attempt_at)
        VALUES (${row.id}, ${tenantId}, ${row.event}, 'usr_raw_id', ${JSON.stringify(row.properties)}::jsonb, now(), now() + interval '1 day')`);
  } finally {
    await owner.close();
  }
}

/** Every property that arrived is in the plan for its event. */
function onlyPlanProperties(got: Received) {
  for (const m of got.segment)
    for (const key of Object.keys(m.properties)) expect(Object.keys(TRACKING_PLAN[m.event])).toContain(key);
  for (const a of got.amplitude)
    for (const key of Object.keys(a.event_properties))
      expect(Object.keys(TRACKING_PLAN[a.event_type as SegmentTrack["event"]])).toContain(key);
}

afterEach(async () => {
  vi.restoreAllMocks();
  await setMode("segment", "up");
  await setMode("amplitude", "up");
});

describe("product events from the real routes", () => {
  it("sign-up, a location, a check and a plan change leave with only plan properties and pseudonyms", async () => {
    const email = uniqueEmail("zoe");
    const owner = await signUp("Zoë's Café Co", email);
    const created = await asUser(owner, "/v1/facilities", { method: "POST", json: sfRestaurant() });
    expect(created.status).toBe(201);
    const { id: facilityId } = (await created.json()) as { id: string };
    const checked = await asUser(owner, `/v1/facilities/${facilityId}/checks`, { method: "POST", json: {} });
    expect(checked.status).toBe(200);
    const { id: checkId } = (await checked.json()) as { id: string };
    // The tenant object queues `Check Run` when its outbox delivers the check to Postgres.
    await runDurableObjectAlarm(env.TENANT.get(env.TENANT.idFromName(owner.tenantId)));
    const planned = await asUser(owner, "/v1/billing/plan", {
      method: "PUT",
      json: { plan: "growth", states: ["CA", "TX", "FL", "NY"] },
    });
    expect(planned.status).toBe(200);

    const all = ["Signed Up", "Location Added", "Check Run", "Plan Changed", "Add-on Bought"];
    const got = await drainUntil(owner.tenantId, (g) => has(g, all));
    onlyPlanProperties(got);
    const byEvent = Object.fromEntries(got.segment.map((m) => [m.event, m]));
    const user = await pseudonym(hmacKey(), owner.tenantId, owner.userId);
    expect(byEvent["Signed Up"]).toMatchObject({
      userId: user,
      properties: { plan: "starter", source: "web_signup" },
      messageId: await messageIdFor(hmacKey(), `Signed Up:${owner.tenantId}`),
      context: { groupId: await tenantPseudonym(hmacKey(), owner.tenantId) },
    });
    expect(byEvent["Location Added"]?.properties).toEqual({
      state: "CA",
      facilityType: "restaurant",
      locationCount: 1,
    });
    expect(byEvent["Check Run"]).toMatchObject({
      messageId: await messageIdFor(hmacKey(), checkId),
      properties: {
        state: "CA",
        via: "facility",
        status: expect.any(String),
        findingCount: expect.any(Number),
      },
    });
    expect(byEvent["Plan Changed"]?.properties).toEqual({ fromPlan: "trial", toPlan: "growth" });
    // Growth includes three states: the fourth is an add-on.
    expect(got.segment.filter((m) => m.event === "Add-on Bought").map((m) => m.properties)).toEqual([
      { addOn: "state", state: "NY" },
    ]);
    expect(got.amplitude.map((a) => a.insert_id).sort()).toEqual(got.segment.map((m) => m.messageId).sort());
    expect(got.amplitude.find((a) => a.event_type === "Signed Up")?.user_id).toBe(user);

    // Nothing the tenant typed, and no raw id, is in any request that left.
    const raw = (await requestsFor(owner.tenantId)).map((r) => r.raw).join("\n");
    for (const secret of [
      email,
      "Zoë",
      "Café",
      "Mission Street",
      "2000 Mission",
      "Ana",
      owner.tenantId,
      owner.userId,
    ])
      expect(raw).not.toContain(secret);
  });

  it("a check through the API key and an alert's acknowledgement", async () => {
    const { tenantId, key } = await newTenant("Ack Analytics Co");
    const created = await call("/v1/facilities", { method: "POST", key, json: sfRestaurant() });
    const { id } = (await created.json()) as { id: string };
    const staff = sfRestaurant().staff as Record<string, unknown>[];
    const patched = await call(`/v1/facilities/${id}`, {
      method: "PATCH",
      key,
      json: { staff: [staff[0], { ...staff[1], credentials: [cardFor("2026-09-10")] }] },
    });
    expect(patched.status).toBe(200);
    const alerts = (await (await call("/v1/alerts", { key })).json()) as {
      data: { id: string; status: string }[];
    };
    const alert = alerts.data[0];
    expect(alert).toBeDefined();
    expect((await call(`/v1/alerts/${alert?.id}/ack`, { method: "POST", key })).status).toBe(200);
    const checked = await call("/v1/checks", { method: "POST", key, json: { facility: sfRestaurant() } });
    expect(checked.status).toBe(200);
    await runDurableObjectAlarm(env.TENANT.get(env.TENANT.idFromName(tenantId)));

    const got = await drainUntil(tenantId, (g) => has(g, ["Alert Acknowledged", "Check Run"]));
    onlyPlanProperties(got);
    const ack = got.segment.find((m) => m.event === "Alert Acknowledged");
    expect(ack).toMatchObject({
      messageId: await messageIdFor(hmacKey(), `Alert Acknowledged:${alert?.id}`),
      properties: { status: alert?.status, ageHours: 0 },
    });
    // An API key is no person: the tenant's pseudonym stands in (anonymousId, device_id).
    const check = got.segment.find((m) => m.event === "Check Run" && m.properties.via === "api");
    expect(check?.userId).toBeUndefined();
    expect(check?.anonymousId).toBe(await tenantPseudonym(hmacKey(), tenantId));
  });
});

describe("the outbox", () => {
  it("loses nothing while both destinations are down, honours their waits, and a retry is kept once", async () => {
    const { tenantId, key } = await newTenant("Outage Analytics Co");
    await setMode("segment", "down", 1);
    await setMode("amplitude", "down"); // 429 throttled, no Retry-After: Amplitude asks for 30 s
    const created = await call("/v1/facilities", { method: "POST", key, json: sfRestaurant() });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const rowKey = `Location Added:${id}`;
    const messageId = await messageIdFor(hmacKey(), rowKey);

    // The request's own drain, or ours, tries and fails; the row stays, due after the longer wait.
    const tried = Date.now();
    const deadline = tried + 15_000;
    let row = (await outboxRows(tenantId))[0];
    while (!(row && row.attempts >= 1 && row.leased_until === null)) {
      if (Date.now() > deadline) throw new Error(`never tried: ${JSON.stringify(row)}`);
      await drain({ tenantIds: [tenantId] });
      row = (await outboxRows(tenantId))[0];
    }
    expect(row).toMatchObject({ message_id: rowKey, dead_at: null });
    const wait = Date.parse(String(row.next_attempt_at)) - tried;
    expect(wait).toBeGreaterThan(20_000);
    expect(wait).toBeLessThan(45_000);
    expect(await received(tenantId)).toEqual({ segment: [], amplitude: [] });
    // Not due yet: a drain now sends nothing.
    expect(await drain({ tenantIds: [tenantId] })).toEqual({ delivered: 0, retried: 0, deadLettered: 0 });

    // Amplitude is back; Segment takes the batch but its answer is lost (503): all resent later.
    await setMode("amplitude", "up");
    await setMode("segment", "ack_lost");
    expect(await drain({ tenantIds: [tenantId], at: new Date(Date.now() + 60_000) })).toMatchObject({
      retried: 1,
    });
    await setMode("segment", "up");
    expect(await drain({ tenantIds: [tenantId], at: new Date(Date.now() + DAY_MS) })).toMatchObject({
      delivered: 1,
    });
    expect(await outboxRows(tenantId)).toEqual([]);
    const sentBefore = (await requestsFor(tenantId)).length;
    await drain({ tenantIds: [tenantId], at: new Date(Date.now() + DAY_MS) });
    expect((await requestsFor(tenantId)).length).toBe(sentBefore);

    const requests = await requestsFor(tenantId);
    // Every attempt carried the same ids; each destination kept the event once.
    for (const r of requests) expect(r.ids).toContain(messageId);
    expect(new Set(requests.map((r) => `${r.api} ${r.status}`))).toEqual(
      new Set(["segment 503", "amplitude 429", "amplitude 200", "segment 200"]),
    );
    expect(requests.filter((r) => r.api === "amplitude" && r.status === 200).length).toBeGreaterThanOrEqual(
      2,
    );
    const got = await received(tenantId);
    expect(got.segment.map((m) => m.messageId)).toEqual([messageId]);
    expect(got.amplitude.map((a) => a.insert_id)).toEqual([messageId]);
  });

  it("dead-letters an event a destination refuses, delivers the rest, and requeues the dead letter", async () => {
    const { tenantId } = await newTenant("Dead Letter Analytics Co");
    await queueNotYetDue(tenantId, [
      { id: `dl-good-${tenantId}`, event: "Location Added", properties: { state: "CA" } },
      { id: `dl-bad-${tenantId}`, event: "Location Added", properties: { state: "TX" } },
    ]);
    const sent: string[][] = [];
    const refusing: AnalyticsSetup = {
      hmacKey: hmacKey(),
      destinations: [
        {
          name: "stub",
          maxBatch: 100,
          async deliver(batch) {
            sent.push(batch.map((m) => m.messageId));
            const bad = batch.filter((m) => m.properties.state === "TX").map((m) => m.messageId);
            return bad.length
              ? { kind: "refused", messageIds: bad, reason: "invalid field" }
              : { kind: "accepted" };
          },
        },
      ],
    };
    const report = await drain({
      tenantIds: [tenantId],
      at: new Date(Date.now() + 2 * DAY_MS),
      setup: refusing,
    });
    expect(report).toEqual({ delivered: 1, retried: 0, deadLettered: 1 });
    // The refused one went first with the good one, then the good one alone.
    expect(sent.at(-1)).toEqual([await messageIdFor(hmacKey(), `dl-good-${tenantId}`)]);
    const rows = await outboxRows(tenantId);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ message_id: `dl-bad-${tenantId}`, last_error: "stub: invalid field" });
    expect(rows[0]?.dead_at).not.toBeNull();
    // Dead letters are never claimed again until requeued.
    expect(
      await drain({ tenantIds: [tenantId], at: new Date(Date.now() + 3 * DAY_MS), setup: refusing }),
    ).toEqual({
      delivered: 0,
      retried: 0,
      deadLettered: 0,
    });
    const handle = workerDb();
    try {
      expect(await requeueDeadAnalytics(handle.db, "Location Added")).toBeGreaterThanOrEqual(1);
    } finally {
      await handle.close();
    }
    expect((await outboxRows(tenantId))[0]?.dead_at ?? null).toBeNull();
  });

  it("without keys, logs each event locally with only plan properties (what would have left)", async () => {
    const { tenantId } = await newTenant("Local Log Analytics Co");
    // A row with more than the plan (as if written by hand): the drain's scrub still cuts it.
    await queueNotYetDue(tenantId, [
      { id: `log-${tenantId}`, event: "Check Run", properties: { state: "CA", email: "zoe@example.com" } },
    ]);
    const setup = analyticsSetup({}, fetch);
    expect(setup).not.toHaveProperty("error");
    const lines: string[] = [];
    vi.spyOn(console, "log").mockImplementation((line: unknown) => void lines.push(String(line)));
    const report = await drain({
      tenantIds: [tenantId],
      at: new Date(Date.now() + 2 * DAY_MS),
      setup: setup as AnalyticsSetup,
    });
    vi.restoreAllMocks();
    expect(report.delivered).toBe(1);
    const logged = lines.map((l) => JSON.parse(l)).filter((l) => l.message === "analytics event");
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({
      destination: "log",
      event: "Check Run",
      messageId: await messageIdFor((setup as AnalyticsSetup).hmacKey, `log-${tenantId}`),
      properties: { state: "CA" },
    });
    expect(JSON.stringify(logged[0])).not.toMatch(/example\.com|usr_raw_id|ten_/);
  });

  it("refuses a destination without a pseudonymisation key rather than send ids under a known one", () => {
    expect(analyticsSetup({ SEGMENT_WRITE_KEY: "k" }, fetch)).toHaveProperty("error");
    expect(analyticsSetup({ AMPLITUDE_API_KEY: "k", ANALYTICS_HMAC_KEY: "short" }, fetch)).toHaveProperty(
      "error",
    );
  });
});
