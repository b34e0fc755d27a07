// Alerts: a facility whose verdict changes raises one; listing with filters and cursors,
// acknowledgement, the live WebSocket stream, and tenant isolation of all three.
import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { cardFor, sfRestaurant } from "../../../test/fixtures";
import { BASE, call, newTenant } from "../../../test/helpers";

interface AlertBody {
  id: string;
  facilityId: string;
  cause: string;
  previousStatus: string;
  status: string;
  changes: {
    ruleId: string;
    citation: string;
    subject: { kind: string; id: string } | null;
    from: string | null;
    to: string | null;
  }[];
  acknowledgedAt: string | null;
  acknowledgedBy: string | null;
}
interface AlertPage {
  data: AlertBody[];
  nextCursor: string | null;
}

const trainedStaff = () => {
  const staff = sfRestaurant().staff as Record<string, unknown>[];
  return [staff[0], { ...staff[1], credentials: [cardFor("2026-09-10")] }];
};

/** Creates the fixture facility (non-compliant: a new hire lacks a card), then fixes it: one alert. */
async function facilityThatDrifts(key: string): Promise<string> {
  const created = await call("/v1/facilities", { method: "POST", key, json: sfRestaurant() });
  expect(created.status).toBe(201);
  const { id } = (await created.json()) as { id: string };
  const patched = await call(`/v1/facilities/${id}`, {
    method: "PATCH",
    key,
    json: { staff: trainedStaff() },
  });
  expect(patched.status).toBe(200);
  return id;
}

const listAlerts = async (key: string, query = "") => {
  const response = await call(`/v1/alerts${query}`, { key });
  expect(response.status).toBe(200);
  return (await response.json()) as AlertPage;
};

/** Opens the alert stream; `messages` fills as alerts arrive. */
async function openStream(init: { key?: string; protocols?: string[]; query?: string }) {
  const headers = new Headers({ upgrade: "websocket" });
  if (init.key) headers.set("authorization", `Bearer ${init.key}`);
  if (init.protocols) headers.set("sec-websocket-protocol", init.protocols.join(", "));
  const response = await exports.default.fetch(
    new Request(`${BASE}/v1/alerts/stream${init.query ?? ""}`, { headers }),
  );
  const socket = response.webSocket;
  const messages: { type: string; alert: AlertBody }[] = [];
  socket?.accept();
  socket?.addEventListener("message", (event) => messages.push(JSON.parse(event.data as string)));
  return { response, socket, messages };
}

const until = async (condition: () => boolean, timeoutMs = 5_000) => {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe("alerts", () => {
  it("raises an alert listing what changed when a facility's verdict changes", async () => {
    const { key } = await newTenant();
    const facilityId = await facilityThatDrifts(key);
    const { data, nextCursor } = await listAlerts(key);
    expect(nextCursor).toBeNull();
    expect(data).toHaveLength(1);
    const [alert] = data;
    expect(alert).toMatchObject({
      facilityId,
      cause: "updated",
      previousStatus: "non_compliant",
      acknowledgedAt: null,
    });
    expect(alert?.status).not.toBe("non_compliant");
    expect(alert?.changes).toContainEqual(
      expect.objectContaining({
        subject: { kind: "staff", id: "s-1" },
        from: "fail",
        citation: expect.stringMatching(/\S/),
      }),
    );
  });

  it("filters by facility, status and acknowledgement, pages with a cursor, and acknowledges once", async () => {
    const { key, keyId } = await newTenant();
    const first = await facilityThatDrifts(key);
    const second = await facilityThatDrifts(key);

    const page1 = await listAlerts(key, "?limit=1");
    expect(page1.data.map((a) => a.facilityId)).toEqual([second]);
    const page2 = await listAlerts(key, `?limit=1&cursor=${page1.nextCursor}`);
    expect(page2.data.map((a) => a.facilityId)).toEqual([first]);
    expect(page2.nextCursor).toBeNull();
    expect((await listAlerts(key, `?facilityId=${first}`)).data.map((a) => a.facilityId)).toEqual([first]);
    expect((await listAlerts(key, "?status=non_compliant")).data).toHaveLength(0);

    const alertId = page2.data[0]?.id as string;
    const ack = await call(`/v1/alerts/${alertId}/ack`, { method: "POST", key });
    expect(ack.status).toBe(200);
    const acked = (await ack.json()) as AlertBody;
    expect(acked).toMatchObject({ id: alertId, acknowledgedBy: keyId });
    expect(Date.parse(acked.acknowledgedAt as string)).toBeGreaterThan(Date.now() - 60_000);
    const again = (await (
      await call(`/v1/alerts/${alertId}/ack`, { method: "POST", key })
    ).json()) as AlertBody;
    expect(again.acknowledgedAt).toBe(acked.acknowledgedAt);
    expect((await listAlerts(key, "?acknowledged=true")).data.map((a) => a.id)).toEqual([alertId]);
    expect((await listAlerts(key, "?acknowledged=false")).data.map((a) => a.facilityId)).toEqual([second]);

    const bad = await call("/v1/alerts?limit=0&status=fine&acknowledged=maybe", { key });
    expect(bad.status).toBe(422);
    const pointers = ((await bad.json()) as { errors: { pointer: string }[] }).errors
      .map((e) => e.pointer)
      .sort();
    expect(pointers).toEqual(["/query/acknowledged", "/query/limit", "/query/status"]);
  });

  it("never shows or acknowledges another tenant's alerts (404)", async () => {
    const a = await newTenant("A");
    const b = await newTenant("B");
    await facilityThatDrifts(a.key);
    const [alert] = (await listAlerts(a.key)).data;
    expect((await listAlerts(b.key)).data).toHaveLength(0);
    const stolen = await call(`/v1/alerts/${alert?.id}/ack`, { method: "POST", key: b.key });
    expect(stolen.status).toBe(404);
    expect(await stolen.json()).toMatchObject({ code: "not_found" });
    expect((await listAlerts(a.key)).data[0]?.acknowledgedAt).toBeNull();
    expect(
      (await call("/v1/alerts/alr_01JD0000000000000000000000/ack", { method: "POST", key: a.key })).status,
    ).toBe(404);
  });

  it("requires a key (401) and the alerts:read / alerts:write scopes (403)", async () => {
    expect((await call("/v1/alerts")).status).toBe(401);
    expect((await call("/v1/alerts/stream", { headers: { upgrade: "websocket" } })).status).toBe(401);
    const readOnly = await newTenant("Read only", ["alerts:read"]);
    const ack = await call("/v1/alerts/alr_01JD0000000000000000000000/ack", {
      method: "POST",
      key: readOnly.key,
    });
    expect(ack.status).toBe(403);
    expect(await ack.json()).toMatchObject({ requiredScope: "alerts:write" });
    const noAlerts = await newTenant("No alerts", ["checks:write"]);
    expect((await call("/v1/alerts", { key: noAlerts.key })).status).toBe(403);
    expect((await openStream({ key: noAlerts.key })).response.status).toBe(403);
  });
});

describe("the alert stream", () => {
  it("answers 426 to a request that is not a WebSocket upgrade", async () => {
    const { key } = await newTenant();
    const response = await call("/v1/alerts/stream", { key });
    expect(response.status).toBe(426);
    expect(await response.json()).toMatchObject({ code: "upgrade_required" });
  });

  it("pushes each drift event to the tenant's connected clients, and only to them", async () => {
    const a = await newTenant("A");
    const b = await newTenant("B");
    const header = await openStream({ key: a.key });
    const browser = await openStream({ protocols: ["prep.alerts.v1", `bearer.${a.key}`] });
    const query = await openStream({ query: `?access_token=${a.key}` });
    const other = await openStream({ key: b.key });
    expect(header.response.status).toBe(101);
    expect(browser.response.status).toBe(101);
    expect(browser.response.headers.get("sec-websocket-protocol")).toBe("prep.alerts.v1");
    expect(query.response.status).toBe(101);

    const facilityId = await facilityThatDrifts(a.key);
    await until(() => header.messages.length > 0 && browser.messages.length > 0 && query.messages.length > 0);
    const [listed] = (await listAlerts(a.key)).data;
    for (const stream of [header, browser, query]) {
      expect(stream.messages).toEqual([{ type: "alert", alert: listed }]);
      expect(stream.messages[0]?.alert.facilityId).toBe(facilityId);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(other.messages).toHaveLength(0);

    const revokedLike = await openStream({ protocols: ["prep.alerts.v1", "bearer.prep_test_notarealkey"] });
    expect(revokedLike.response.status).toBe(401);
    for (const stream of [header, browser, query, other]) stream.socket?.close(1000, "done");
  });
});
