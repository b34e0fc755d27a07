// Outbound webhooks end to end: endpoints managed by API, a facility's status change
// delivered as a Standard Webhooks request that verifies with the `standardwebhooks` package,
// within 60 s; retries through a receiver outage delivering exactly once; secret rotation
// with overlap; replay and test-send; automatic disabling with an email to the owners; SSRF
// refusal in production; the plan gate; other tenants, scopes and hostile input.

import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { Webhook } from "standardwebhooks";
import { describe, expect, inject, it } from "vitest";
import { emitNotification } from "../../../notifications/emit";
import { cardFor, sfRestaurant } from "../../../test/fixtures";
import { call, expectProblem, newTenant } from "../../../test/helpers";
import { waitForMail } from "../../../test/mail";
import { addMember, asUser, mailApi, signUp } from "../../../test/sessions";
import { createApp } from "../../app";

interface Seen {
  headers: Record<string, string>;
  body: string;
  status: number;
}
interface Endpoint {
  id: string;
  url: string;
  events: string[];
  enabled: boolean;
  disabledReason: string | null;
  secret?: string;
}
interface DeliveryBody {
  id: string;
  eventType: string;
  status: string;
  attempts: number;
  attemptLog?: { ok: boolean; responseStatus: number | null }[];
}

const upstream = () => inject("upstreamUrl");
let receiverCount = 0;
/** A fresh receiver on the loopback upstream server: its URL and what it saw. */
function newReceiver() {
  const name = `r${Date.now()}-${++receiverCount}`;
  const url = `${upstream()}/receivers/${name}`;
  return {
    url,
    seen: async () => (await (await fetch(url)).json()) as Seen[],
    failNext: (failNext: number, status = 503) =>
      fetch(`${url}/control`, { method: "PUT", body: JSON.stringify({ failNext, status }) }),
  };
}

const tenantObject = (tenantId: string) => env.TENANT.get(env.TENANT.idFromName(tenantId));

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function createEndpoint(key: string, url: string, events = ["facility.status_changed"]) {
  const response = await call("/v1/webhooks", { method: "POST", key, json: { url, events } });
  expect(response.status).toBe(201);
  return (await response.json()) as Endpoint & { secret: string };
}

/** A facility created non-compliant (a new hire lacks a card), then fixed: one status change. */
async function driftFacility(key: string): Promise<{ id: string; changedAt: number }> {
  const created = await call("/v1/facilities", { method: "POST", key, json: sfRestaurant() });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const staff = sfRestaurant().staff as Record<string, unknown>[];
  const changedAt = Date.now();
  const patched = await call(`/v1/facilities/${id}`, {
    method: "PATCH",
    key,
    json: { staff: [staff[0], { ...staff[1], credentials: [cardFor("2026-09-10")] }] },
  });
  expect(patched.status).toBe(200);
  return { id, changedAt };
}

const verify = (secret: string, seen: Seen) => new Webhook(secret).verify(seen.body, seen.headers);

describe("webhook endpoints", () => {
  it("creates an endpoint with a secret shown once, reads, lists and deletes it", async () => {
    const { key } = await newTenant();
    const receiver = newReceiver();
    const created = await createEndpoint(key, receiver.url, ["facility.status_changed", "export.ready"]);
    expect(created).toMatchObject({
      id: expect.stringMatching(/^whk_/),
      url: receiver.url,
      events: ["facility.status_changed", "export.ready"],
      enabled: true,
    });
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    const got = (await (await call(`/v1/webhooks/${created.id}`, { key })).json()) as Endpoint;
    expect(got.secret).toBeUndefined();
    expect(got.id).toBe(created.id);
    const list = (await (await call("/v1/webhooks", { key })).json()) as { data: Endpoint[] };
    expect(list.data.map((e) => e.id)).toEqual([created.id]);
    expect(JSON.stringify(list)).not.toContain("whsec_");
    expect((await call(`/v1/webhooks/${created.id}`, { method: "DELETE", key })).status).toBe(204);
    await expectProblem(await call(`/v1/webhooks/${created.id}`, { key }), 404, "not_found");
    await expectProblem(
      await call(`/v1/webhooks/${created.id}`, { method: "DELETE", key }),
      404,
      "not_found",
    );
  });

  it("delivers facility.status_changed signed per Standard Webhooks, within 60 s, once", async () => {
    const { key } = await newTenant();
    const receiver = newReceiver();
    const endpoint = await createEndpoint(key, receiver.url);
    const { id: facilityId, changedAt } = await driftFacility(key);
    const seen = await until(receiver.seen, (s) => s.length > 0);
    const arrivedAfterMs = Date.now() - changedAt;
    expect(seen).toHaveLength(1);
    expect(arrivedAfterMs).toBeLessThan(60_000);
    const first = seen[0] as Seen;
    expect(first.headers["webhook-id"]).toMatch(/^dlv_/);
    expect(first.headers["content-type"]).toBe("application/json");
    const body = verify(endpoint.secret, first) as Record<string, unknown>;
    expect(body).toMatchObject({
      type: "facility.status_changed",
      timestamp: expect.any(String),
      data: { facilityId, previousStatus: "non_compliant", status: expect.any(String) },
    });
    const findings = (body.data as { findings: { ruleId: string; citation: string }[] }).findings;
    expect(findings.length).toBeGreaterThan(0);
    expect(findings[0]?.citation).toBeTruthy();
    // A tampered body or another secret does not verify.
    expect(() =>
      verify(endpoint.secret, { ...first, body: first.body.replace("non_compliant", "compliant") }),
    ).toThrow();
    expect(() => verify(`whsec_${btoa("x".repeat(24))}`, first)).toThrow();
    // Nothing more arrives, and the log says delivered on the first attempt. (Not firing the
    // alarm ahead here: that would also run the facility's next deadline, a change of its own.)
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await receiver.seen()).toHaveLength(1);
    const log = (await (await call(`/v1/webhooks/${endpoint.id}/deliveries`, { key })).json()) as {
      data: DeliveryBody[];
    };
    expect(log.data).toHaveLength(1);
    expect(log.data[0]).toMatchObject({
      eventType: "facility.status_changed",
      status: "delivered",
      attempts: 1,
    });
  });

  it("retries through a receiver outage with backoff and delivers exactly once", async () => {
    const { key, tenantId } = await newTenant();
    const receiver = newReceiver();
    await receiver.failNext(3, 503);
    const endpoint = await createEndpoint(key, receiver.url, ["rule_change.ahead"]);
    // No facility here: firing the alarm ahead of time runs only the deliveries.
    await emitNotification(env.TENANT, tenantId, {
      type: "rule_change.ahead",
      key: "rule-1",
      summary: "California's food handler rule changes on 2027-01-01",
      data: { jurisdiction: "ocd-division/country:us/state:ca", effective: "2027-01-01" },
    });
    const object = tenantObject(tenantId);
    await until(receiver.seen, (s) => s.length >= 1);
    // The next attempts are minutes apart: fire the alarm ahead of time (a controlled clock).
    for (let i = 0; i < 6 && !(await receiver.seen()).some((s) => s.status === 200); i++)
      await runDurableObjectAlarm(object);
    await runDurableObjectAlarm(object);
    const seen = await receiver.seen();
    expect(seen.map((s) => s.status)).toEqual([503, 503, 503, 200]);
    // Every attempt is the same message: one webhook-id, each signature valid.
    expect(new Set(seen.map((s) => s.headers["webhook-id"])).size).toBe(1);
    for (const attempt of seen) expect(verify(endpoint.secret, attempt)).toBeTruthy();
    const page = (await (await call(`/v1/webhooks/${endpoint.id}/deliveries`, { key })).json()) as {
      data: DeliveryBody[];
    };
    expect(page.data).toHaveLength(1);
    const delivery = page.data[0] as DeliveryBody;
    expect(delivery).toMatchObject({ status: "delivered", attempts: 4 });
    const detail = (await (
      await call(`/v1/webhooks/${endpoint.id}/deliveries/${delivery.id}`, { key })
    ).json()) as DeliveryBody;
    expect(detail.attemptLog?.map((a) => [a.ok, a.responseStatus])).toEqual([
      [false, 503],
      [false, 503],
      [false, 503],
      [true, 200],
    ]);
  });

  it("an event emitted twice with one key is delivered once (emitNotification)", async () => {
    const { key, tenantId } = await newTenant();
    const receiver = newReceiver();
    const endpoint = await createEndpoint(key, receiver.url, ["export.ready"]);
    const input = {
      type: "export.ready" as const,
      key: "exp_1",
      summary: "Your evidence export is ready",
      data: { exportId: "exp_1", url: "https://prep.test/exports/exp_1" },
    };
    const first = await emitNotification(env.TENANT, tenantId, input);
    const second = await emitNotification(env.TENANT, tenantId, input);
    // Two deliveries: the endpoint, and the announcement to owners and admins without settings.
    expect(first).toMatchObject({ deliveries: 2, duplicate: false });
    expect(second).toMatchObject({ eventId: first.eventId, deliveries: 0, duplicate: true });
    const seen = await until(receiver.seen, (s) => s.length > 0);
    await runDurableObjectAlarm(tenantObject(tenantId));
    expect(await receiver.seen()).toHaveLength(1);
    expect(verify(endpoint.secret, seen[0] as Seen)).toMatchObject({
      type: "export.ready",
      data: { exportId: "exp_1" },
    });
    await expect(
      emitNotification(env.TENANT, tenantId, { ...input, type: "not.a.type" as "export.ready" }),
    ).rejects.toThrow(/unknown notification event type/);
  });

  it("a rotated secret keeps verifying during the overlap, and stops after it", async () => {
    const { key } = await newTenant();
    const receiver = newReceiver();
    const endpoint = await createEndpoint(key, receiver.url);
    const rotated = await call(`/v1/webhooks/${endpoint.id}/secret/rotate`, {
      method: "POST",
      key,
      json: { overlapSeconds: 3600 },
    });
    expect(rotated.status).toBe(200);
    const { secret, previousSecretExpiresAt } = (await rotated.json()) as {
      secret: string;
      previousSecretExpiresAt: string;
    };
    expect(secret).toMatch(/^whsec_/);
    expect(secret).not.toBe(endpoint.secret);
    expect(Date.parse(previousSecretExpiresAt) - Date.now()).toBeGreaterThan(3_500_000);
    const tested = await call(`/v1/webhooks/${endpoint.id}/test`, { method: "POST", key });
    expect(tested.status).toBe(202);
    expect(await tested.json()).toMatchObject({ eventType: "webhook.test", status: "pending" });
    const [during] = await until(receiver.seen, (s) => s.length > 0);
    expect(verify(endpoint.secret, during as Seen)).toMatchObject({ type: "webhook.test" });
    expect(verify(secret, during as Seen)).toMatchObject({ type: "webhook.test" });
    // Rotating with no overlap (a leaked secret): only the newest signs from now on.
    const again = (await (
      await call(`/v1/webhooks/${endpoint.id}/secret/rotate`, {
        method: "POST",
        key,
        json: { overlapSeconds: 0 },
      })
    ).json()) as { secret: string };
    await call(`/v1/webhooks/${endpoint.id}/test`, { method: "POST", key });
    const after = (await until(receiver.seen, (s) => s.length > 1))[1] as Seen;
    expect(verify(again.secret, after)).toMatchObject({ type: "webhook.test" });
    expect(() => verify(secret, after)).toThrow();
    expect(() => verify(endpoint.secret, after)).toThrow();
  });

  it("replays a logged delivery with the same webhook-id", async () => {
    const { key } = await newTenant();
    const receiver = newReceiver();
    const endpoint = await createEndpoint(key, receiver.url);
    const test = (await (await call(`/v1/webhooks/${endpoint.id}/test`, { method: "POST", key })).json()) as {
      id: string;
    };
    await until(receiver.seen, (s) => s.length > 0);
    const replayed = await call(`/v1/webhooks/${endpoint.id}/deliveries/${test.id}/replay`, {
      method: "POST",
      key,
    });
    expect(replayed.status).toBe(202);
    const seen = await until(receiver.seen, (s) => s.length > 1);
    expect(seen).toHaveLength(2);
    expect(seen[1]?.headers["webhook-id"]).toBe(seen[0]?.headers["webhook-id"]);
    expect(seen[1]?.body).toBe(seen[0]?.body);
    await expectProblem(
      await call(`/v1/webhooks/${endpoint.id}/deliveries/dlv_01JD00000000000000000000AA/replay`, {
        method: "POST",
        key,
      }),
      404,
      "not_found",
    );
  });

  it("disables an endpoint that fails for its whole schedule and emails the owners", async () => {
    const owner = await signUp("Disabling Kitchens");
    const receiver = newReceiver();
    await receiver.failNext(1000, 500);
    const created = await asUser(owner, "/v1/webhooks", {
      method: "POST",
      json: { url: receiver.url, events: ["facility.status_changed"] },
    });
    expect(created.status).toBe(201);
    const endpoint = (await created.json()) as Endpoint;
    await asUser(owner, `/v1/webhooks/${endpoint.id}/test`, { method: "POST" });
    const object = tenantObject(owner.tenantId);
    await until(receiver.seen, (s) => s.length > 0);
    for (let i = 0; i < 12; i++) await runDurableObjectAlarm(object);
    const seen = await receiver.seen();
    expect(seen).toHaveLength(10); // the first attempt and nine retries over about three days
    const after = (await (await asUser(owner, `/v1/webhooks/${endpoint.id}`)).json()) as Endpoint;
    expect(after.enabled).toBe(false);
    expect(after.disabledReason).toMatch(/every delivery failed since/);
    const mail = await waitForMail(mailApi(), owner.email, { subject: "was disabled" });
    expect(mail.text).toContain(receiver.url);
    // A disabled endpoint refuses test-sends until enabled again.
    await expectProblem(
      await asUser(owner, `/v1/webhooks/${endpoint.id}/test`, { method: "POST" }),
      409,
      "webhook_disabled",
    );
    const enabled = await asUser(owner, `/v1/webhooks/${endpoint.id}`, {
      method: "PATCH",
      json: { enabled: true },
    });
    expect(await enabled.json()).toMatchObject({ enabled: true, disabledReason: null, failingSince: null });
  });
});

describe("webhook endpoint security", () => {
  it("refuses non-HTTPS and private, loopback and link-local addresses in production (SSRF)", async () => {
    const { key } = await newTenant();
    const app = createApp();
    const production = { ...env, PREP_ENV: "production" as const };
    const post = (url: string) =>
      app.fetch(
        new Request("https://prep.test/v1/webhooks", {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: JSON.stringify({ url, events: ["facility.status_changed"] }),
        }),
        production,
        {
          waitUntil: () => undefined,
          passThroughOnException: () => undefined,
          props: {},
        } as unknown as ExecutionContext,
      );
    for (const url of [
      "http://hooks.example.com/prep",
      "https://127.0.0.1/hook",
      "https://localhost/hook",
      "https://10.1.2.3/hook",
      "https://192.168.0.10/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/hook",
      "https://[::ffff:169.254.169.254]/hook",
      "https://[fd00::1]/hook",
      "https://2130706433/hook",
      "https://user:pw@hooks.example.com/",
    ]) {
      const body = await expectProblem(await post(url), 422, "validation_failed");
      expect((body.errors as { pointer: string }[])[0]?.pointer).toBe("/url");
    }
    // In development, a loopback receiver is fine (the other tests use one).
    expect(
      (
        await call("/v1/webhooks", {
          method: "POST",
          key,
          json: { url: newReceiver().url, events: ["export.ready"] },
        })
      ).status,
    ).toBe(201);
  });

  it("needs the webhooks feature in the plan", async () => {
    const { key } = await newTenant("Starter Co", undefined, { plan: "starter", states: ["CA"] });
    const refused = await call("/v1/webhooks", {
      method: "POST",
      key,
      json: { url: newReceiver().url, events: ["facility.status_changed"] },
    });
    await expectProblem(refused, 403, "feature_not_in_plan");
    // Reading and deleting stay possible (a downgraded tenant can clean up).
    expect((await call("/v1/webhooks", { key })).status).toBe(200);
  });

  it("hides another tenant's endpoints and deliveries (404) and refuses keys without the scope", async () => {
    const owner = await newTenant();
    const other = await newTenant("Other Co");
    const endpoint = await createEndpoint(owner.key, newReceiver().url);
    const test = (await (
      await call(`/v1/webhooks/${endpoint.id}/test`, { method: "POST", key: owner.key })
    ).json()) as { id: string };
    for (const [method, path] of [
      ["GET", `/v1/webhooks/${endpoint.id}`],
      ["PATCH", `/v1/webhooks/${endpoint.id}`],
      ["DELETE", `/v1/webhooks/${endpoint.id}`],
      ["POST", `/v1/webhooks/${endpoint.id}/secret/rotate`],
      ["POST", `/v1/webhooks/${endpoint.id}/test`],
      ["GET", `/v1/webhooks/${endpoint.id}/deliveries`],
      ["GET", `/v1/webhooks/${endpoint.id}/deliveries/${test.id}`],
      ["POST", `/v1/webhooks/${endpoint.id}/deliveries/${test.id}/replay`],
    ] as const) {
      const response = await call(path, {
        method,
        key: other.key,
        ...(method === "PATCH" ? { json: { url: "http://127.0.0.1:1/x" } } : {}),
      });
      await expectProblem(response, 404, "not_found");
    }
    expect((await call("/v1/webhooks", { key: other.key }).then((r) => r.json())) as unknown).toEqual({
      data: [],
    });
    const readOnly = await newTenant("Scoped Co", ["checks:read", "alerts:read"]);
    await expectProblem(await call("/v1/webhooks", { key: readOnly.key }), 403, "insufficient_scope");
    // The owner's endpoint is untouched.
    expect(await (await call(`/v1/webhooks/${endpoint.id}`, { key: owner.key })).json()).toMatchObject({
      url: endpoint.url,
      enabled: true,
    });
  });

  it("a manager may not manage webhooks; an owner may", async () => {
    const owner = await signUp("Manager Webhooks Co");
    expect((await asUser(owner, "/v1/webhooks")).status).toBe(200);
    const manager = await addMember(owner, "manager");
    await expectProblem(await asUser(manager, "/v1/webhooks"), 403, "insufficient_scope");
  });

  it("answers hostile input with 422 problems and stores nothing", async () => {
    const { key } = await newTenant();
    const cases: unknown[] = [
      {},
      { url: "not a url", events: ["facility.status_changed"] },
      { url: newReceiver().url, events: [] },
      { url: newReceiver().url, events: ["facility.exploded"] },
      { url: newReceiver().url, events: ["export.ready", "export.ready"] },
      { url: `http://127.0.0.1/${"x".repeat(3000)}`, events: ["export.ready"] },
      { url: "javascript:alert(1)", events: ["export.ready"] },
      { url: "ftp://127.0.0.1/x", events: ["export.ready"] },
      { url: "http://127.0.0.1/\u0000", events: ["export.ready"] },
      { url: newReceiver().url, events: "facility.status_changed" },
    ];
    for (const json of cases)
      await expectProblem(
        await call("/v1/webhooks", { method: "POST", key, json }),
        422,
        "validation_failed",
      );
    await expectProblem(await call("/v1/webhooks/not-an-id", { key }), 422, "validation_failed");
    await expectProblem(
      await call("/v1/webhooks/whk_01JD00000000000000000000AA/deliveries?limit=0", { key }),
      422,
      "validation_failed",
    );
    const endpoint = await createEndpoint(key, newReceiver().url);
    await expectProblem(
      await call(`/v1/webhooks/${endpoint.id}/secret/rotate`, {
        method: "POST",
        key,
        json: { overlapSeconds: 8 * 86_400 },
      }),
      422,
      "validation_failed",
    );
    const list = (await (await call("/v1/webhooks", { key })).json()) as { data: Endpoint[] };
    expect(list.data).toHaveLength(1);
  });
});
