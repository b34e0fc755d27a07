// Notification preferences and the email channel: a user who chose email gets a drift as an
// HTML + text email (location, finding, citation, link, RFC 8058 one-click unsubscribe
// headers) through the one mail delivery; one click stops it; a mail outage delays but
// neither loses nor doubles an email; digests gather events into one email at the chosen
// hour; managers hear only about their locations; sessions only; hostile input is a 422.

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { NotificationSenders } from "../../../durable-objects/notification-delivery";
import type { TenantObject } from "../../../durable-objects/tenant-object";
import { emitNotification } from "../../../notifications/emit";
import { cardFor, sfRestaurant } from "../../../test/fixtures";
import { call, expectProblem, newTenant } from "../../../test/helpers";
import { mailFor, waitForMail } from "../../../test/mail";
import { addMember, asUser, mailApi, signUp, type TestSession } from "../../../test/sessions";

const tenantObject = (tenantId: string) => env.TENANT.get(env.TENANT.idFromName(tenantId));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function setPreferences(session: TestSession, json: Record<string, unknown>) {
  const response = await asUser(session, "/v1/notifications/preferences", { method: "PUT", json });
  expect(response.status).toBe(200);
  return (await response.json()) as Record<string, unknown>;
}

async function createFacility(session: TestSession, name: string): Promise<string> {
  const created = await asUser(session, "/v1/facilities", {
    method: "POST",
    json: sfRestaurant({ name }),
  });
  expect(created.status).toBe(201);
  return ((await created.json()) as { id: string }).id;
}

/** Fixes the fixture's untrained new hire: the facility becomes compliant (a status change). */
async function fixFacility(session: TestSession, id: string) {
  const staff = sfRestaurant().staff as Record<string, unknown>[];
  const patched = await asUser(session, `/v1/facilities/${id}`, {
    method: "PATCH",
    json: { staff: [staff[0], { ...staff[1], credentials: [cardFor("2026-09-10")] }] },
  });
  expect(patched.status).toBe(200);
}

const exportReady = (key: string) => ({
  type: "export.ready" as const,
  key,
  summary: `Evidence export ${key} is ready`,
  data: { exportId: key },
});

describe("notification preferences", () => {
  it("starts from defaults that send nothing, and keeps what is saved", async () => {
    const owner = await signUp("Prefs Kitchens");
    const initial = (await (await asUser(owner, "/v1/notifications/preferences")).json()) as Record<
      string,
      unknown
    >;
    expect(initial).toMatchObject({ channels: [], delivery: "immediate", facilityIds: null });
    expect(initial.eventTypes).toContain("facility.status_changed");
    const saved = await setPreferences(owner, {
      channels: ["email"],
      events: ["facility.status_changed", "export.ready"],
      delivery: "digest",
      digestHour: 7,
      timeZone: "America/Chicago",
    });
    expect(saved).toMatchObject({ channels: ["email"], digestHour: 7, timeZone: "America/Chicago" });
    // Fields left out keep their value.
    expect(await setPreferences(owner, { delivery: "immediate" })).toMatchObject({
      channels: ["email"],
      events: ["facility.status_changed", "export.ready"],
      delivery: "immediate",
      timeZone: "America/Chicago",
    });
  });

  it("belongs to a signed-in user: an API key gets 403, no credentials 401", async () => {
    const { key } = await newTenant();
    await expectProblem(await call("/v1/notifications/preferences", { key }), 403, "user_session_required");
    await expectProblem(
      await call("/v1/notifications/preferences", { method: "PUT", key, json: { channels: [] } }),
      403,
      "user_session_required",
    );
    await expectProblem(await call("/v1/notifications/preferences"), 401, "unauthorized");
  });

  it("refuses hostile preferences with 422 and keeps the stored ones", async () => {
    const owner = await signUp("Hostile Prefs Co");
    await setPreferences(owner, { channels: ["email"] });
    for (const json of [
      { channels: ["sms", "pigeon"] },
      { events: ["facility.exploded"] },
      { events: ["export.ready", "export.ready"] },
      { digestHour: 24 },
      { digestHour: 7.5 },
      { timeZone: "Mars/Olympus_Mons" },
      { timeZone: "x".repeat(100) },
      { facilityIds: ["not-a-facility"] },
      { delivery: "hourly" },
      { urgentImmediately: "yes" },
    ]) {
      await expectProblem(
        await asUser(owner, "/v1/notifications/preferences", { method: "PUT", json }),
        422,
        "validation_failed",
      );
    }
    const stored = await (await asUser(owner, "/v1/notifications/preferences")).json();
    expect(stored).toMatchObject({ channels: ["email"], digestHour: 8, timeZone: "UTC" });
  });

  it("lets a manager choose only among their own locations", async () => {
    const owner = await signUp("Manager Prefs Co");
    const mine = await createFacility(owner, "Mine");
    const theirs = await createFacility(owner, "Not Mine");
    const manager = await addMember(owner, "manager", { facilityIds: [mine] });
    const refused = await expectProblem(
      await asUser(manager, "/v1/notifications/preferences", {
        method: "PUT",
        json: { facilityIds: [mine, theirs] },
      }),
      422,
      "validation_failed",
    );
    expect(refused.errors).toEqual([
      { pointer: "/facilityIds/1", detail: `${theirs} is not one of your locations` },
    ]);
    expect(await setPreferences(manager, { facilityIds: [mine] })).toMatchObject({ facilityIds: [mine] });
  });
});

describe("the email channel", () => {
  it("emails a drift with its finding, citation and link, and one click unsubscribes", async () => {
    const owner = await signUp("Email Kitchens");
    await setPreferences(owner, { channels: ["email"], events: ["facility.status_changed"] });
    const facilityId = await createFacility(owner, "Mission Street Kitchen");
    await fixFacility(owner, facilityId);
    const mail = await waitForMail(mailApi(), owner.email, { subject: "Mission Street Kitchen is now" });
    expect(mail.subject).toContain("(was non-compliant)");
    expect(mail.text).toContain("Location: Mission Street Kitchen");
    expect(mail.text).toMatch(/Cal\. Health & Safety Code|§|Code/);
    // Links point where the user saved their preferences (APP_ORIGIN is unset in tests).
    expect(mail.text).toContain(`https://prep.test/locations/${facilityId}`);
    expect(mail.html).toContain("<ul>");
    // The raw message, as a mail client sees its headers.
    const source = await (await fetch(`${mailApi()}/api/email/${mail.id}/source`)).text();
    expect(source).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click\r?$/m);
    const url = /^List-Unsubscribe: <(https?:\/\/[^>]+)>\r?$/m.exec(source)?.[1] as string;
    expect(url).toContain("https://prep.test/v1/notifications/unsubscribe?token=");
    const path = new URL(url).pathname + new URL(url).search;

    // GET shows a page and changes nothing (link scanners follow GETs).
    const page = await call(path);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('method="post"');
    expect(await (await asUser(owner, "/v1/notifications/preferences")).json()).toMatchObject({
      channels: ["email"],
    });
    // The mail client's one click: a POST with the RFC 8058 body, no session.
    const clicked = await call(path, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(clicked.status).toBe(200);
    expect(await clicked.json()).toEqual({ unsubscribed: true });
    expect(await (await asUser(owner, "/v1/notifications/preferences")).json()).toMatchObject({
      channels: [],
    });
    const before = (await mailFor(mailApi(), owner.email)).length;
    await emitNotification(env.TENANT, owner.tenantId, {
      type: "facility.status_changed",
      key: "after-unsubscribe",
      summary: "Mission Street Kitchen changed again",
      data: {},
      facilityId,
    });
    await sleep(500);
    expect((await mailFor(mailApi(), owner.email)).length).toBe(before);
  });

  it("announces an export or rule change to owners and admins without settings of their own, never to others", async () => {
    const owner = await signUp("Announcement Kitchens");
    const admin = await addMember(owner, "admin");
    const quietAdmin = await addMember(owner, "admin");
    const manager = await addMember(owner, "manager");
    // An admin who chose their settings (no email) is no longer told by the defaults.
    await setPreferences(quietAdmin, { channels: [] });
    await emitNotification(env.TENANT, owner.tenantId, {
      type: "export.ready",
      key: "announced-once",
      summary: "Your evidence export for 2026-11-01 – 2026-11-30 (2 locations) is ready",
      data: { exportId: "exp_test", path: "/evidence" },
    });
    const mail = await waitForMail(mailApi(), admin.email, { subject: "evidence export" });
    expect(mail.text).toContain("https://prep.test/evidence");
    await waitForMail(mailApi(), owner.email, { subject: "evidence export" });
    await sleep(300);
    for (const other of [quietAdmin, manager])
      expect(
        (await mailFor(mailApi(), other.email)).filter((m) => m.subject.includes("evidence export")),
      ).toHaveLength(0);

    // Announcements carry one-click unsubscribe too: after it the owner hears no more of them.
    const source = await (await fetch(`${mailApi()}/api/email/${mail.id}/source`)).text();
    const url = new URL(/^List-Unsubscribe: <(https?:\/\/[^>]+)>\r?$/m.exec(source)?.[1] as string);
    const ownerMail = await waitForMail(mailApi(), owner.email, { subject: "evidence export" });
    const ownerSource = await (await fetch(`${mailApi()}/api/email/${ownerMail.id}/source`)).text();
    const ownerUrl = new URL(/^List-Unsubscribe: <(https?:\/\/[^>]+)>\r?$/m.exec(ownerSource)?.[1] as string);
    expect(ownerUrl.search).not.toBe(url.search);
    const clicked = await call(ownerUrl.pathname + ownerUrl.search, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "List-Unsubscribe=One-Click",
    });
    expect(clicked.status).toBe(200);
    await emitNotification(env.TENANT, owner.tenantId, {
      type: "rule_change.ahead",
      key: "after-owner-unsubscribed",
      summary: "A rule change on 2027-01-01 affects 1 of your locations",
      data: { path: "/rule-changes" },
    });
    await waitForMail(mailApi(), admin.email, { subject: "A rule change on 2027-01-01" });
    await sleep(300);
    expect(
      (await mailFor(mailApi(), owner.email)).filter((m) => m.subject.includes("rule change")),
    ).toHaveLength(0);
  });

  it("refuses a forged or malformed unsubscribe token (404) without saying who exists", async () => {
    const owner = await signUp("Forged Unsub Co");
    for (const token of [
      "",
      "abc",
      "e30.e30",
      `${btoa(JSON.stringify({ t: owner.tenantId, u: owner.userId }))}.AAAA`,
    ])
      await expectProblem(
        await call(`/v1/notifications/unsubscribe?token=${encodeURIComponent(token)}`, { method: "POST" }),
        404,
        "unsubscribe_link_invalid",
      );
    await expectProblem(
      await call(`/v1/notifications/unsubscribe?token=${"x".repeat(600)}`),
      422,
      "validation_failed",
    );
    await expectProblem(
      await call("/v1/notifications/unsubscribe", { method: "POST" }),
      422,
      "validation_failed",
    );
  });

  it("rides out a mail outage: retried with backoff, delivered once", async () => {
    const owner = await signUp("Mail Outage Co");
    await setPreferences(owner, { channels: ["email"], events: ["export.ready"] });
    const object = tenantObject(owner.tenantId);
    let failures = 2;
    await runInDurableObject(object, (instance: TenantObject) => {
      instance.wrapNotificationSenders = (senders: NotificationSenders) => ({
        ...senders,
        email: async (input) => {
          if (failures > 0) {
            failures--;
            return { outcome: "failed", error: "SMTP 421 service not available" };
          }
          return senders.email(input);
        },
      });
    });
    await emitNotification(env.TENANT, owner.tenantId, exportReady("exp_outage"));
    await sleep(300);
    expect(await mailFor(mailApi(), owner.email)).toHaveLength(1); // only the sign-up confirmation
    for (let i = 0; i < 4; i++) await runDurableObjectAlarm(object);
    await waitForMail(mailApi(), owner.email, { subject: "exp_outage" });
    await sleep(300);
    const matching = (await mailFor(mailApi(), owner.email)).filter((m) => m.subject.includes("exp_outage"));
    expect(matching).toHaveLength(1);
    expect(failures).toBe(0);
  });

  it("gathers digest events into one email at the chosen hour; urgent ones come at once", async () => {
    const owner = await signUp("Digest Co");
    await setPreferences(owner, {
      channels: ["email"],
      events: ["export.ready", "finding.failing"],
      delivery: "digest",
      digestHour: 6,
      timeZone: "Pacific/Auckland",
      urgentImmediately: true,
    });
    await emitNotification(env.TENANT, owner.tenantId, exportReady("exp_d1"));
    await emitNotification(env.TENANT, owner.tenantId, exportReady("exp_d2"));
    await emitNotification(env.TENANT, owner.tenantId, {
      type: "finding.failing",
      key: "urgent-1",
      summary: "Walk-in cooler log is now failing",
      data: { findings: [] },
    });
    await waitForMail(mailApi(), owner.email, { subject: "Walk-in cooler" });
    expect((await mailFor(mailApi(), owner.email)).filter((m) => m.subject.includes("digest"))).toHaveLength(
      0,
    );
    // The digest hour comes (the alarm fired ahead of time).
    await runDurableObjectAlarm(tenantObject(owner.tenantId));
    const digest = await waitForMail(mailApi(), owner.email, { subject: "Prep digest: 2 updates" });
    expect(digest.text).toContain("exp_d1");
    expect(digest.text).toContain("exp_d2");
  });

  it("times a digest about a location by the location's zone, and one without by the user's", async () => {
    const owner = await signUp("Digest Zone Co");
    const facilityId = await createFacility(owner, "Zone Kitchen"); // San Francisco
    await setPreferences(owner, {
      channels: ["email"],
      events: ["export.ready"],
      delivery: "digest",
      digestHour: 6,
      timeZone: "Pacific/Auckland",
    });
    await emitNotification(env.TENANT, owner.tenantId, { ...exportReady("exp_zone_sf"), facilityId });
    await emitNotification(env.TENANT, owner.tenantId, exportReady("exp_zone_none"));
    const due = await runInDurableObject(tenantObject(owner.tenantId), (_: TenantObject, state) =>
      state.storage.sql
        .exec<{ key: string; due_ms: number }>(
          `SELECT e.key, d.due_ms FROM deliveries d JOIN notification_events e ON e.id = d.event_id
           WHERE d.target = ? AND d.digest = 1`,
          owner.userId,
        )
        .toArray(),
    );
    const localHour = (key: string, timeZone: string) => {
      const row = due.find((d) => d.key === key);
      if (!row) throw new Error(`no digest delivery for ${key}`);
      return new Intl.DateTimeFormat("en-US", { hour: "numeric", hourCycle: "h23", timeZone }).format(
        row.due_ms,
      );
    };
    expect(Number(localHour("exp_zone_sf", "America/Los_Angeles"))).toBe(6);
    expect(Number(localHour("exp_zone_none", "Pacific/Auckland"))).toBe(6);
  });

  it("tells a manager only about their locations", async () => {
    const owner = await signUp("Manager Mail Co");
    const mine = await createFacility(owner, "Manager Mine Kitchen");
    const other = await createFacility(owner, "Someone Else's Kitchen");
    const manager = await addMember(owner, "manager", { facilityIds: [mine] });
    await setPreferences(manager, { channels: ["email"], events: ["facility.status_changed"] });
    await fixFacility(owner, other);
    await fixFacility(owner, mine);
    await waitForMail(mailApi(), manager.email, { subject: "Manager Mine Kitchen" });
    await sleep(500);
    const subjects = (await mailFor(mailApi(), manager.email)).map((m) => m.subject);
    expect(subjects.some((s) => s.includes("Someone Else"))).toBe(false);
  });
});
