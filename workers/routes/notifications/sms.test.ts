// The SMS channel (issue 18 item 3, ADR 0021): a phone number is verified by a texted code
// (hashed, expiring, attempt- and rate-limited); an event is texted once through the
// production Twilio client to the loopback Twilio (test/twilio-server.ts), also across a
// Twilio outage and 429s, while permanent errors stop at once; Twilio's status callbacks and
// inbound STOP/START are accepted only with a valid X-Twilio-Signature; a number that texted
// STOP gets nothing until START; quiet hours in the location's time zone hold texts (urgent
// ones break through when the user allows it).

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, inject, it } from "vitest";
import type { TenantObject } from "../../../durable-objects/tenant-object";
import { emitNotification } from "../../../notifications/emit";
import { twilioSignature, verifyTwilioSignature } from "../../../notifications/twilio";
import { sfRestaurant } from "../../../test/fixtures";
import { BASE, call, expectProblem, newTenant } from "../../../test/helpers";
import { asUser, signUp, type TestSession } from "../../../test/sessions";
import { textsTo, twilioControl, uniquePhone, verificationCode, waitForText } from "../../../test/sms";

const twilio = () => inject("twilioUrl");
const tenantObject = (tenantId: string) => env.TENANT.get(env.TENANT.idFromName(tenantId));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type PhoneView = {
  phone: string | null;
  pendingPhone: string | null;
  recentDeliveries: {
    id: string;
    eventType: string;
    status: string;
    providerStatus: string | null;
    lastError: string | null;
  }[];
};

async function phoneOf(session: TestSession): Promise<PhoneView> {
  const response = await asUser(session, "/v1/notifications/phone");
  expect(response.status).toBe(200);
  return (await response.json()) as PhoneView;
}

/** Signs up, verifies a fresh number and turns SMS on for `events`, without quiet hours. */
async function smsUser(name: string, prefs: Record<string, unknown> = {}) {
  const session = await signUp(name);
  const phone = uniquePhone();
  expect((await asUser(session, "/v1/notifications/phone", { method: "POST", json: { phone } })).status).toBe(
    202,
  );
  const code = await verificationCode(twilio(), phone);
  const verified = await asUser(session, "/v1/notifications/phone/verify", {
    method: "POST",
    json: { code },
  });
  expect(verified.status).toBe(200);
  const saved = await asUser(session, "/v1/notifications/preferences", {
    method: "PUT",
    json: { channels: ["sms"], events: ["export.ready", "finding.failing"], quietHours: null, ...prefs },
  });
  expect(saved.status).toBe(200);
  return { session, phone };
}

const exportReady = (key: string, facilityId?: string) => ({
  type: "export.ready" as const,
  key,
  summary: `Evidence export ${key} is ready`,
  data: { exportId: key },
  ...(facilityId ? { facilityId } : {}),
});

/**
 * Runs the object's alarm until `settled` holds. The alarm an emit arms may already be running
 * (then there is none to run, and what it does lands a moment later): so poll, never assume.
 */
async function alarmUntil(object: DurableObjectStub, settled: () => Promise<boolean>) {
  for (let i = 0; i < 50 && !(await settled()); i++) {
    await runDurableObjectAlarm(object);
    await sleep(100);
  }
}

/** The user's latest SMS delivery once it has been tried. */
async function triedDelivery(session: TestSession) {
  let latest: PhoneView["recentDeliveries"][number] | undefined;
  await alarmUntil(tenantObject(session.tenantId), async () => {
    latest = (await phoneOf(session)).recentDeliveries[0];
    return latest !== undefined && (latest.status !== "pending" || latest.lastError !== null);
  });
  return latest;
}

/** Emits `key`, lets the object's alarm run, and answers the user's latest SMS delivery. */
async function emitAndSettle(session: TestSession, key: string) {
  await emitNotification(env.TENANT, session.tenantId, exportReady(key));
  return triedDelivery(session);
}

/** A signed Twilio request to Prep, the signature computed by the loopback Twilio (node:crypto). */
async function twilioPost(path: string, params: Record<string, string>, signature?: string) {
  const url = `${BASE}${path}`;
  const signed =
    signature ?? (await twilioControl<{ signature: string }>(twilio(), "sign", { url, params })).signature;
  return call(path, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "x-twilio-signature": signed },
    body: new URLSearchParams(params).toString(),
  });
}

const hhmm = (date: Date, timeZone: string) =>
  new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone }).format(
    date,
  );

describe("verifying a phone number", () => {
  it("texts a 6-digit code, keeps only its hash, and verifies the number with it", async () => {
    const owner = await signUp("Phone Verify Co");
    const phone = uniquePhone();
    const started = await asUser(owner, "/v1/notifications/phone", { method: "POST", json: { phone } });
    expect(started.status).toBe(202);
    expect(await started.json()).toMatchObject({ phone: null, pendingPhone: phone });
    const text = await waitForText(twilio(), phone, { including: "verification code" });
    expect(text.from).toBe("+15005550006");
    const code = /\d{6}/.exec(text.body)?.[0] as string;
    // Stored as an HMAC, never as the code.
    const stored = await runInDurableObject(tenantObject(owner.tenantId), (_: TenantObject, state) =>
      state.storage.sql.exec<{ code_hash: string }>("SELECT code_hash FROM sms_phones").one(),
    );
    expect(stored.code_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.code_hash).not.toContain(code);

    const wrong = code === "000000" ? "111111" : "000000";
    const refused = await expectProblem(
      await asUser(owner, "/v1/notifications/phone/verify", { method: "POST", json: { code: wrong } }),
      422,
      "wrong_code",
    );
    expect(refused.attemptsLeft).toBe(4);
    const verified = await asUser(owner, "/v1/notifications/phone/verify", {
      method: "POST",
      json: { code },
    });
    expect(verified.status).toBe(200);
    expect(await verified.json()).toMatchObject({ phone, pendingPhone: null });
    expect(await phoneOf(owner)).toMatchObject({ phone });
    // A used code is spent.
    await expectProblem(
      await asUser(owner, "/v1/notifications/phone/verify", { method: "POST", json: { code } }),
      409,
      "no_pending_code",
    );
    // Removing forgets the number.
    expect((await asUser(owner, "/v1/notifications/phone", { method: "DELETE" })).status).toBe(204);
    expect(await phoneOf(owner)).toMatchObject({ phone: null, pendingPhone: null });
    // Both are in the audit log, with only the number's last two digits.
    const audit = (await (await asUser(owner, "/v1/audit-log")).json()) as {
      data: { action: string; target: string; detail: Record<string, unknown> }[];
    };
    const entries = audit.data.filter((e) => e.action.startsWith("phone."));
    expect(entries.map((e) => e.action).sort()).toEqual(["phone.removed", "phone.verified"]);
    expect(entries[0]).toMatchObject({ target: owner.userId, detail: { phoneEndsWith: phone.slice(-2) } });
    expect(JSON.stringify(entries)).not.toContain(phone);
  });

  it("limits guesses, expires codes and rate-limits sends", async () => {
    const owner = await signUp("Phone Limits Co");
    const phone = uniquePhone();
    await asUser(owner, "/v1/notifications/phone", { method: "POST", json: { phone } });
    const code = await verificationCode(twilio(), phone);
    // A second code within 30 s: 429 with Retry-After.
    const again = await asUser(owner, "/v1/notifications/phone", { method: "POST", json: { phone } });
    await expectProblem(again, 429, "too_many_codes");
    expect(Number(again.headers.get("retry-after"))).toBeGreaterThan(0);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 4; i++)
      await expectProblem(
        await asUser(owner, "/v1/notifications/phone/verify", { method: "POST", json: { code: wrong } }),
        422,
        "wrong_code",
      );
    await expectProblem(
      await asUser(owner, "/v1/notifications/phone/verify", { method: "POST", json: { code: wrong } }),
      409,
      "too_many_attempts",
    );
    // After five wrong guesses even the right code is refused.
    await expectProblem(
      await asUser(owner, "/v1/notifications/phone/verify", { method: "POST", json: { code } }),
      409,
      "too_many_attempts",
    );
    expect(await phoneOf(owner)).toMatchObject({ phone: null });
    // An expired code is refused (the clock moved past its expiry).
    await runInDurableObject(tenantObject(owner.tenantId), (_: TenantObject, state) => {
      state.storage.sql.exec(
        "UPDATE sms_phones SET code_attempts = 0, code_expires_ms = ?, last_sent_ms = NULL",
        Date.now() - 1,
      );
    });
    await expectProblem(
      await asUser(owner, "/v1/notifications/phone/verify", { method: "POST", json: { code } }),
      409,
      "code_expired",
    );
  });

  it("refuses bad numbers and codes with 422, API keys with 403, and no credentials with 401", async () => {
    const owner = await signUp("Phone Hostile Co");
    for (const json of [
      { phone: "4155550123" },
      { phone: "+0123456789" },
      { phone: "+1 415 555 0123" },
      { phone: "+1".padEnd(40, "5") },
      { phone: 14155550123 },
      { phone: "+14155550123", extra: true },
      {},
    ])
      await expectProblem(
        await asUser(owner, "/v1/notifications/phone", { method: "POST", json }),
        422,
        "validation_failed",
      );
    for (const json of [{ code: "12345" }, { code: "abcdef" }, { code: 123456 }, {}])
      await expectProblem(
        await asUser(owner, "/v1/notifications/phone/verify", { method: "POST", json }),
        422,
        "validation_failed",
      );
    // Twilio's own verdict on a number it cannot text (21211 here: the loopback agrees with E.164
    // but a test asks it to refuse) is a 422 at /phone.
    await twilioControl(twilio(), "fail", { count: 1, status: 400, code: 21211 });
    const refused = await expectProblem(
      await asUser(owner, "/v1/notifications/phone", { method: "POST", json: { phone: uniquePhone() } }),
      422,
      "phone_not_textable",
    );
    expect(refused.errors).toEqual([{ pointer: "/phone", detail: "cannot receive SMS" }]);
    const { key } = await newTenant();
    await expectProblem(await call("/v1/notifications/phone", { key }), 403, "user_session_required");
    await expectProblem(
      await call("/v1/notifications/phone", { method: "POST", key, json: { phone: uniquePhone() } }),
      403,
      "user_session_required",
    );
    await expectProblem(await call("/v1/notifications/phone", { method: "DELETE" }), 401, "unauthorized");
  });
});

describe("the SMS channel", () => {
  it("texts an event once, with a link, through an outage and a 429, and logs Twilio's SID", async () => {
    const { session, phone } = await smsUser("SMS Outage Co");
    const object = tenantObject(session.tenantId);
    await twilioControl(twilio(), "outage", { on: true });
    try {
      await emitNotification(env.TENANT, session.tenantId, exportReady("exp_sms_outage"));
      await triedDelivery(session);
    } finally {
      await twilioControl(twilio(), "outage", { on: false });
    }
    let log = (await phoneOf(session)).recentDeliveries;
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ status: "pending", eventType: "export.ready" });
    expect(log[0]?.lastError).toContain("Twilio 503 (20503)");
    expect(await textsTo(twilio(), phone)).toHaveLength(1); // only the verification code
    // Twilio then says "too many requests" once (20429): retried too.
    await twilioControl(twilio(), "fail", { count: 1, status: 429, code: 20429 });
    for (let i = 0; i < 4; i++) await runDurableObjectAlarm(object);
    const text = await waitForText(twilio(), phone, { including: "exp_sms_outage" });
    expect(text.body).toMatch(
      /^Prep: Evidence export exp_sms_outage is ready https:\/\/prep\.test\/ Reply STOP/,
    );
    // Emitting the same occurrence again, and more alarms, send nothing more.
    expect(
      (await emitNotification(env.TENANT, session.tenantId, exportReady("exp_sms_outage"))).duplicate,
    ).toBe(true);
    for (let i = 0; i < 2; i++) await runDurableObjectAlarm(object);
    await sleep(300);
    expect((await textsTo(twilio(), phone)).filter((t) => t.body.includes("exp_sms_outage"))).toHaveLength(1);
    log = (await phoneOf(session)).recentDeliveries;
    expect(log[0]).toMatchObject({ status: "delivered" });
    const delivery = await runInDurableObject(object, (_: TenantObject, state) => ({
      ...state.storage.sql
        .exec<{ id: string; provider_id: string }>(
          "SELECT id, provider_id FROM deliveries WHERE channel = 'sms'",
        )
        .one(),
      attempts: state.storage.sql
        .exec<{ ok: number; error: string | null }>(
          "SELECT ok, error FROM delivery_attempts ORDER BY attempt",
        )
        .toArray(),
    }));
    // Failed attempts (the outage, then the 429), then exactly one success, the last.
    expect(delivery.attempts.at(-1)?.ok).toBe(1);
    expect(delivery.attempts.filter((a) => a.ok === 1)).toHaveLength(1);
    expect(delivery.attempts.some((a) => a.error?.includes("20429"))).toBe(true);
    expect(delivery.provider_id).toBe(text.sid);
    expect(text.statusCallback).toBe(
      `https://prep.test/v1/notifications/sms/status?tenant=${session.tenantId}&delivery=${log[0]?.id}`,
    );
  });

  it("fails at once on a permanent Twilio error (21211), without retrying", async () => {
    const { session, phone } = await smsUser("SMS Permanent Co");
    await twilioControl(twilio(), "fail", { count: 1, status: 400, code: 21211 });
    const delivery = await emitAndSettle(session, "exp_sms_permanent");
    expect(delivery).toMatchObject({ status: "failed" });
    expect(delivery?.lastError).toContain("21211");
    expect(await textsTo(twilio(), phone)).toHaveLength(1);
  });

  it("records Twilio's signed status callbacks and refuses unsigned or tampered ones", async () => {
    const { session, phone } = await smsUser("SMS Status Co");
    // Measured: an emitted event to the text accepted by Twilio (the alarm fires at once).
    const emittedAt = Date.now();
    await emitNotification(env.TENANT, session.tenantId, exportReady("exp_sms_status"));
    const text = await waitForText(twilio(), phone, { including: "exp_sms_status" });
    const latencyMs = Date.now() - emittedAt;
    console.info(`SMS: emit to Twilio's acceptance in ${latencyMs} ms`);
    expect(latencyMs).toBeLessThan(5_000);
    const url = new URL(text.statusCallback as string);
    const path = url.pathname + url.search;
    const params = { MessageSid: text.sid, MessageStatus: "delivered", To: phone, AccountSid: "AC0" };
    // Unsigned, wrongly signed, signed for another URL: 403 problems; nothing recorded.
    await expectProblem(await twilioPost(path, params, ""), 403, "twilio_signature_invalid");
    await expectProblem(
      await twilioPost(path, params, "bm90IGEgc2lnbmF0dXJl"),
      403,
      "twilio_signature_invalid",
    );
    const forOther = (
      await twilioControl<{ signature: string }>(twilio(), "sign", {
        url: `${BASE}${path.replace("delivery=", "delivery=x")}`,
        params,
      })
    ).signature;
    await expectProblem(await twilioPost(path, params, forOther), 403, "twilio_signature_invalid");
    await expectProblem(
      await twilioPost(
        path,
        { ...params, MessageStatus: "failed" },
        (await twilioControl<{ signature: string }>(twilio(), "sign", { url: `${BASE}${path}`, params }))
          .signature,
      ),
      403,
      "twilio_signature_invalid",
    );
    expect((await phoneOf(session)).recentDeliveries[0]?.providerStatus).toBeNull();
    // Signed by Twilio: recorded on the delivery.
    expect((await twilioPost(path, { ...params, MessageStatus: "sent" })).status).toBe(204);
    expect((await twilioPost(path, params)).status).toBe(204);
    expect((await phoneOf(session)).recentDeliveries[0]).toMatchObject({
      status: "delivered",
      providerStatus: "delivered",
    });
    // The carrier gave up later: the delivery is failed with Twilio's error code.
    expect(
      (await twilioPost(path, { ...params, MessageStatus: "undelivered", ErrorCode: "30003" })).status,
    ).toBe(204);
    expect((await phoneOf(session)).recentDeliveries[0]).toMatchObject({
      status: "failed",
      providerStatus: "undelivered",
      lastError: "Twilio reported undelivered (error 30003)",
    });
    // Not form-encoded: 415.
    await expectProblem(
      await call(path, { method: "POST", json: params, headers: { "x-twilio-signature": "x" } }),
      415,
      "unsupported_media_type",
    );
  });

  it("honours STOP (and its synonyms) per number until START", async () => {
    const { session, phone } = await smsUser("SMS Stop Co");
    const inbound = (body: string, from = phone) =>
      twilioPost("/v1/notifications/sms/inbound", {
        AccountSid: "AC0",
        Body: body,
        From: from,
        MessageSid: `SM${crypto.randomUUID().replaceAll("-", "")}`,
        To: "+15005550006",
      });
    const stop = await inbound(" stop ");
    expect(stop.status).toBe(200);
    expect(stop.headers.get("content-type")).toContain("text/xml");
    expect(await stop.text()).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
    expect(await emitAndSettle(session, "exp_after_stop")).toMatchObject({ status: "skipped" });
    expect((await textsTo(twilio(), phone)).some((t) => t.body.includes("exp_after_stop"))).toBe(false);
    // A stopped number cannot be verified again either, until START.
    await expectProblem(
      await asUser(session, "/v1/notifications/phone", { method: "POST", json: { phone } }),
      409,
      "phone_opted_out",
    );
    // Anything else texted changes nothing; an unsigned STOP is refused.
    expect((await inbound("hello")).status).toBe(200);
    expect((await inbound("START")).status).toBe(200);
    await emitNotification(env.TENANT, session.tenantId, exportReady("exp_after_start"));
    await waitForText(twilio(), phone, { including: "exp_after_start" });
    for (const word of ["UNSUBSCRIBE", "cancel", "End", "QUIT", "STOPALL"]) {
      expect((await inbound(word)).status).toBe(200);
      expect(await emitAndSettle(session, `exp_after_${word}`)).toMatchObject({ status: "skipped" });
      expect((await textsTo(twilio(), phone)).some((t) => t.body.includes(`exp_after_${word}`))).toBe(false);
      expect((await inbound(word === "QUIT" ? "unstop" : word === "End" ? "yes" : "start")).status).toBe(200);
    }
    await expectProblem(
      await call("/v1/notifications/sms/inbound", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ Body: "STOP", From: phone }).toString(),
      }),
      403,
      "twilio_signature_invalid",
    );
  });

  it("records Twilio's own opt-out (21610) as STOP", async () => {
    const { session, phone } = await smsUser("SMS 21610 Co");
    await twilioControl(twilio(), "stopped", { phone, stopped: true });
    const delivery = await emitAndSettle(session, "exp_21610");
    expect(delivery).toMatchObject({ status: "failed" });
    expect(delivery?.lastError).toContain("21610");
    await expectProblem(
      await asUser(session, "/v1/notifications/phone", { method: "POST", json: { phone } }),
      409,
      "phone_opted_out",
    );
    await twilioControl(twilio(), "stopped", { phone, stopped: false });
  });

  it("holds texts in quiet hours of the location's time zone; urgent ones break through when allowed", async () => {
    const now = new Date();
    const zone = "America/Los_Angeles"; // the CA fixture's zone; the user's own is UTC
    const quietHours = {
      from: hhmm(new Date(now.getTime() - 3_600_000), zone),
      to: hhmm(new Date(now.getTime() + 3_600_000), zone),
    };
    const { session, phone } = await smsUser("SMS Quiet Co", {
      quietHours,
      timeZone: "UTC",
      urgentBreaksQuietHours: true,
    });
    const created = await asUser(session, "/v1/facilities", {
      method: "POST",
      json: sfRestaurant({ name: "Quiet Kitchen" }),
    });
    expect(created.status).toBe(201);
    const facilityId = ((await created.json()) as { id: string }).id;
    const object = tenantObject(session.tenantId);

    await emitNotification(env.TENANT, session.tenantId, exportReady("exp_quiet", facilityId));
    await emitNotification(env.TENANT, session.tenantId, {
      type: "finding.failing",
      key: "urgent-quiet",
      summary: "Walk-in cooler log is now failing",
      data: { findings: [] },
      facilityId,
    });
    // The urgent one comes at once; the other waits for 08:00-ish local (the end of quiet hours).
    await waitForText(twilio(), phone, { including: "Walk-in cooler" });
    await sleep(300);
    expect((await textsTo(twilio(), phone)).some((t) => t.body.includes("exp_quiet"))).toBe(false);
    const held = (await phoneOf(session)).recentDeliveries.find((d) => d.eventType === "export.ready");
    expect(held).toMatchObject({ status: "pending" });
    const due = await runInDurableObject(object, (_: TenantObject, state) =>
      state.storage.sql
        .exec<{ due_ms: number; attempts: number }>(
          "SELECT d.due_ms, d.attempts FROM deliveries d JOIN notification_events e ON e.id = d.event_id WHERE e.key = 'exp_quiet' AND d.channel = 'sms'",
        )
        .one(),
    );
    expect(due.attempts).toBe(0);
    expect(hhmm(new Date(due.due_ms), zone)).toBe(quietHours.to);
    // An event without a location follows the user's zone (UTC), where it is not quiet now
    // (unless UTC's clock happens to sit in the same hours: then it waits too).
    const utcQuiet = inWindow(hhmm(now, "UTC"), quietHours);
    await emitNotification(env.TENANT, session.tenantId, exportReady("exp_no_location"));
    if (!utcQuiet) await waitForText(twilio(), phone, { including: "exp_no_location" });
    // When quiet hours end (the alarm fires at their end), the held text goes. The alarm may
    // still be busy with the text above (then there is none to run yet): try until it runs.
    await alarmUntil(object, async () =>
      (await textsTo(twilio(), phone)).some((t) => t.body.includes("exp_quiet")),
    );
    await waitForText(twilio(), phone, { including: "exp_quiet" });

    // Without the override, an urgent event waits too.
    const saved = await asUser(session, "/v1/notifications/preferences", {
      method: "PUT",
      json: { urgentBreaksQuietHours: false },
    });
    expect(saved.status).toBe(200);
    await emitNotification(env.TENANT, session.tenantId, {
      type: "finding.failing",
      key: "urgent-quiet-2",
      summary: "Hot-holding log is now failing",
      data: { findings: [] },
      facilityId,
    });
    await sleep(500);
    expect((await textsTo(twilio(), phone)).some((t) => t.body.includes("Hot-holding"))).toBe(false);
  });

  it("refuses hostile quiet hours with 422", async () => {
    const owner = await signUp("Quiet Hostile Co");
    for (const quietHours of [
      { from: "25:00", to: "08:00" },
      { from: "21:00", to: "21:00" },
      { from: "9pm", to: "8am" },
      { from: "21:00" },
      { from: "21:00", to: "08:00", extra: 1 },
      "21:00-08:00",
    ])
      await expectProblem(
        await asUser(owner, "/v1/notifications/preferences", { method: "PUT", json: { quietHours } }),
        422,
        "validation_failed",
      );
    const defaults = await (await asUser(owner, "/v1/notifications/preferences")).json();
    expect(defaults).toMatchObject({
      quietHours: { from: "21:00", to: "08:00" },
      urgentBreaksQuietHours: false,
      channelTypes: ["email", "sms"],
    });
  });
});

function inWindow(time: string, window: { from: string; to: string }): boolean {
  return window.from < window.to
    ? time >= window.from && time < window.to
    : time >= window.from || time < window.to;
}

describe("X-Twilio-Signature", () => {
  it("matches Twilio's documented example and rejects any change", async () => {
    // Twilio's documented example (https://www.twilio.com/docs/usage/security; the same
    // values in TwilioDevEd/api-snippets security/signature_validation): token 12345.
    const url = "https://mycompany.com/myapp.php?foo=1&bar=2";
    const params: [string, string][] = [
      ["To", "+18005551212"],
      ["CallSid", "CA1234567890ABCDE"],
      ["Caller", "+14158675309"],
      ["Digits", "1234"],
      ["From", "+14158675309"],
    ];
    const signature = await twilioSignature("12345", url, params);
    expect(signature).toBe("RSOYDt4T1cUTdK1PDd93/VVr8B8=");
    // The loopback Twilio's node:crypto implementation agrees on its own token.
    const independent = (
      await twilioControl<{ signature: string }>(twilio(), "sign", {
        url,
        params: Object.fromEntries(params),
      })
    ).signature;
    expect(await twilioSignature("loopback-twilio-auth-token-0001", url, params)).toBe(independent);
    expect(await verifyTwilioSignature("12345", url, params, signature)).toBe(true);
    expect(await verifyTwilioSignature("12346", url, params, signature)).toBe(false);
    expect(await verifyTwilioSignature("12345", `${url}&x=1`, params, signature)).toBe(false);
    expect(await verifyTwilioSignature("12345", url, [...params, ["Body", "STOP"]], signature)).toBe(false);
    expect(await verifyTwilioSignature("12345", url, params, null)).toBe(false);
  });
});
