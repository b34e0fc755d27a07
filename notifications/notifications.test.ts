// The pure parts of notifications: where a webhook may go (SSRF) with a controlled resolver,
// drift → events, retry schedules spanning about three days, unsubscribe tokens.
import { describe, expect, it } from "vitest";
import { eventsFromDrift } from "./events";
import { nextAttemptAt, RETRY_DELAYS_MS } from "./schedule";
import { readUnsubscribeToken, unsubscribeToken } from "./unsubscribe";
import { checkWebhookUrl, privateRange } from "./url-safety";

describe("webhook URL safety", () => {
  const resolveTo = (addresses: string[]) => async () => addresses;

  it("names every non-public range, including v4 inside v6", () => {
    for (const [address, range] of [
      ["127.0.0.1", "loopback"],
      ["10.0.0.1", "private"],
      ["172.31.255.255", "private"],
      ["192.168.1.1", "private"],
      ["169.254.169.254", "link-local"],
      ["100.64.0.1", "shared (CGNAT)"],
      ["0.0.0.0", "unspecified"],
      ["224.0.0.1", "multicast or reserved"],
      ["::1", "loopback"],
      ["::", "unspecified"],
      ["fe80::1", "link-local"],
      ["fd12:3456::1", "private (unique local)"],
      ["::ffff:10.0.0.1", "private"],
      ["::ffff:7f00:1", "loopback"],
      ["64:ff9b::a9fe:a9fe", "link-local"],
    ] as const)
      expect(privateRange(address), address).toBe(range);
    for (const address of ["8.8.8.8", "172.32.0.1", "2606:4700:4700::1111", "not-an-ip"])
      expect(privateRange(address), address).toBeNull();
  });

  it("in production refuses names that resolve to private addresses, and unresolvable ones", async () => {
    expect(
      await checkWebhookUrl("https://hooks.example.com/x", "production", resolveTo(["93.184.216.34"])),
    ).toMatchObject({ ok: true });
    expect(
      await checkWebhookUrl(
        "https://rebind.example.com/x",
        "production",
        resolveTo(["93.184.216.34", "10.0.0.7"]),
      ),
    ).toEqual({ ok: false, reason: "resolves to a private address (10.0.0.7)" });
    expect(
      await checkWebhookUrl("https://metadata.example.com/", "production", resolveTo(["fd00::1"])),
    ).toMatchObject({
      ok: false,
    });
    expect(await checkWebhookUrl("https://nowhere.example.com/", "production", resolveTo([]))).toEqual({
      ok: false,
      reason: "does not resolve to an address",
    });
    expect(
      await checkWebhookUrl("https://down.example.com/", "production", async () => {
        throw new Error("SERVFAIL");
      }),
    ).toEqual({ ok: false, reason: "could not be resolved (SERVFAIL)" });
    expect(
      await checkWebhookUrl("https://printer.local/", "production", resolveTo(["8.8.8.8"])),
    ).toMatchObject({ ok: false });
    expect(await checkWebhookUrl("http://hooks.example.com/", "staging", resolveTo(["8.8.8.8"]))).toEqual({
      ok: false,
      reason: "must use https",
    });
  });

  it("in development allows plain HTTP and loopback, not other private ranges", async () => {
    expect(await checkWebhookUrl("http://127.0.0.1:9000/hook", "development")).toMatchObject({ ok: true });
    expect(await checkWebhookUrl("http://localhost:9000/hook", "development")).toMatchObject({ ok: true });
    expect(await checkWebhookUrl("http://[::1]:9000/hook", "development")).toMatchObject({ ok: true });
    expect(await checkWebhookUrl("http://10.0.0.1/hook", "development")).toMatchObject({ ok: false });
    expect(await checkWebhookUrl("ftp://127.0.0.1/hook", "development")).toMatchObject({ ok: false });
  });
});

describe("retry schedules", () => {
  it("retries webhooks for about three days, then gives up", () => {
    const total = RETRY_DELAYS_MS.webhook.reduce((a, b) => a + b, 0);
    expect(total / 3_600_000).toBeGreaterThan(60);
    expect(total / 3_600_000).toBeLessThan(80);
    expect(nextAttemptAt("webhook", 1, 0, () => 0.5)).toBe(5_000);
    expect(nextAttemptAt("webhook", RETRY_DELAYS_MS.webhook.length + 1, 0)).toBeNull();
    // Jitter stays within ±10%.
    expect(nextAttemptAt("email", 2, 0, () => 0)).toBe(27_000);
    expect(nextAttemptAt("email", 2, 0, () => 1)).toBe(33_000);
  });
});

describe("drift → notification events", () => {
  const drift = {
    id: "alr_01JD0000000000000000000001",
    facilityId: "fac_1",
    facilityName: "Mission Street Kitchen",
    cause: "deadline",
    detectedAt: "2026-12-01T00:00:00.000Z",
    previousStatus: "compliant",
    status: "non_compliant",
    changes: [
      { ruleId: "R1", citation: "§1", subject: { kind: "staff", id: "s-1" }, from: "warn", to: "fail" },
      { ruleId: "R2", citation: "§2", subject: null, from: "pass", to: "warn" },
      { ruleId: "R3", citation: "§3", subject: null, from: "fail", to: "pass" },
    ],
  };

  it("raises a status change and, at a deadline, passed and approaching deadlines with titles and due dates", () => {
    const events = eventsFromDrift(drift, (ruleId) => ({ title: `Title ${ruleId}`, dueBy: "2026-12-15" }));
    expect(events.map((e) => e.type)).toEqual([
      "facility.status_changed",
      "deadline.passed",
      "deadline.approaching",
    ]);
    expect(events[0]?.data).toMatchObject({
      facilityId: "fac_1",
      previousStatus: "compliant",
      status: "non_compliant",
    });
    expect(events[1]?.summary).toBe("Mission Street Kitchen: Title R1 — deadline passed");
    expect(events[2]?.summary).toBe("Mission Street Kitchen: Title R2 — deadline approaching (2026-12-15)");
    // Deterministic ids: raising one drift twice stores its events once.
    expect(eventsFromDrift(drift, () => null).map((e) => e.id)).toEqual(events.map((e) => e.id));
  });

  it("calls a finding that starts failing outside a deadline finding.failing", () => {
    const events = eventsFromDrift(
      { ...drift, cause: "updated", previousStatus: "non_compliant" },
      () => null,
    );
    expect(events.map((e) => e.type)).toEqual(["finding.failing"]);
  });
});

describe("unsubscribe tokens", () => {
  it("round-trips, and refuses another secret's or a tampered token", async () => {
    const token = await unsubscribeToken("secret-a", { tenantId: "ten_1", userId: "usr_1" });
    expect(await readUnsubscribeToken("secret-a", token)).toEqual({ tenantId: "ten_1", userId: "usr_1" });
    expect(await readUnsubscribeToken("secret-b", token)).toBeNull();
    const [payload, mac] = token.split(".") as [string, string];
    const forged = `${btoa(JSON.stringify({ t: "ten_1", u: "usr_2" })).replace(/=+$/, "")}.${mac}`;
    expect(await readUnsubscribeToken("secret-a", forged)).toBeNull();
    expect(await readUnsubscribeToken("secret-a", `${payload}.${mac}.x`)).toBeNull();
    expect(await readUnsubscribeToken("secret-a", "%%%.%%%")).toBeNull();
  });
});
