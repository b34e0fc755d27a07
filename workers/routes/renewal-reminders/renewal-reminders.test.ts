// Predictive renewal reminders across simulated time: a food handler card expiring in 60 days
// (lead time 14 days: start by E − 14) is tracked; as the tenant object's alarm moves through
// the reminder steps, the card's holder (a user) is emailed "start renewal by D to be covered
// before E", then — D passed, card not updated — the location's manager, then the owner; a
// retried step sends nothing twice; renewing the card (a new expiry) stops the cycle at once.
// GET /v1/renewal-reminders lists them (a manager: their locations only).

import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { TenantObject } from "../../../durable-objects/tenant-object";
import type { RenewalReminder } from "../../../notifications/contract";
import { reminderDueAt } from "../../../notifications/reminders";
import { sfRestaurant } from "../../../test/fixtures";
import { call, newTenant } from "../../../test/helpers";
import { mailFor, waitForMail } from "../../../test/mail";
import { addMember, asUser, mailApi, signUp, type TestSession } from "../../../test/sessions";

const tenantObject = (tenantId: string) => env.TENANT.get(env.TENANT.idFromName(tenantId));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const minusDays = (date: string, days: number) =>
  new Date(Date.parse(`${date}T00:00:00Z`) - days * 86_400_000).toISOString().slice(0, 10);

const CA = "ocd-division/country:us/state:ca";
const card = (expiresAt: string) => ({
  type: "food_handler_card",
  issuer: CA,
  issuedAt: "2024-01-10",
  expiresAt,
});

/** A San Francisco kitchen whose only renewal soon is `holderId`'s food handler card. */
function kitchen(holderId: string, cardExpires: string) {
  const base = sfRestaurant();
  const permit = (base.permits as Record<string, unknown>[])[0];
  const manager = (base.staff as Record<string, unknown>[])[0];
  return sfRestaurant({
    permits: [{ ...permit, expiresAt: inDays(340) }],
    staff: [
      manager,
      {
        id: holderId,
        name: "Bo",
        role: "food_employee",
        hiredAt: "2024-01-01",
        credentials: [card(cardExpires)],
      },
    ],
  });
}

async function subscribe(session: TestSession) {
  const saved = await asUser(session, "/v1/notifications/preferences", {
    method: "PUT",
    json: { channels: ["email"], events: ["renewal.reminder"] },
  });
  expect(saved.status).toBe(200);
}

async function reminders(session: TestSession): Promise<RenewalReminder[]> {
  const response = await asUser(session, "/v1/renewal-reminders");
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: RenewalReminder[] }).data;
}

const cardReminder = (list: RenewalReminder[], holderId: string) =>
  list.find((r) => r.ruleId === "CA-FHC" && r.subject?.id === holderId) as RenewalReminder;

/** Fires the object's alarm (ahead of time: it runs its earliest job) until `done` holds. */
async function alarmUntil(tenantId: string, done: () => Promise<boolean>, limit = 20) {
  for (let i = 0; i < limit; i++) {
    if (await done()) return;
    await runDurableObjectAlarm(tenantObject(tenantId));
  }
  expect(await done()).toBe(true);
}

const subjects = async (email: string, text: string) =>
  (await mailFor(mailApi(), email)).filter((m) => m.subject.includes(text)).map((m) => m.subject);

describe("renewal reminders", () => {
  it("escalate person → manager → owner across time, once per step, and stop when renewed", async () => {
    const owner = await signUp("Tracked Kitchens");
    const person = await addMember(owner, "viewer");
    const expires = inDays(60);
    const created = await asUser(owner, "/v1/facilities", {
      method: "POST",
      json: kitchen(person.userId, expires),
    });
    expect(created.status).toBe(201);
    const facilityId = ((await created.json()) as { id: string }).id;
    const manager = await addMember(owner, "manager", { facilityIds: [facilityId] });
    // Another location whose card lapses years from now, and its own manager.
    const elsewhere = await asUser(owner, "/v1/facilities", {
      method: "POST",
      json: { ...kitchen("s-9", inDays(900)), name: "Elsewhere Kitchen" },
    });
    expect(elsewhere.status).toBe(201);
    const otherManager = await addMember(owner, "manager", {
      facilityIds: [((await elsewhere.json()) as { id: string }).id],
    });
    for (const session of [owner, person, manager, otherManager]) await subscribe(session);

    // Tracked from the verdict: start by E − 14 days (the FDA layer's food handler card lead time).
    const startBy = minusDays(expires, 14);
    const tracked = cardReminder(await reminders(owner), person.userId);
    expect(tracked).toMatchObject({
      facilityId,
      title: expect.any(String),
      citation: expect.stringContaining("113948"),
      startBy,
      validThrough: expires,
      lastStep: null,
      nextStep: "person",
      nextReminderAt: new Date(reminderDueAt(1, startBy, null) as number).toISOString(),
    });
    const verdict = (await (await asUser(owner, `/v1/facilities/${facilityId}/verdict`)).json()) as {
      findings: { ruleId: string; subject: { id: string } | null; startBy: string | null }[];
    };
    expect(
      verdict.findings.find((f) => f.ruleId === "CA-FHC" && f.subject?.id === person.userId)?.startBy,
    ).toBe(startBy);

    // Step 1, 14 days before D: the card's holder is reminded, nobody else.
    const stepOf = async () => cardReminder(await reminders(owner), person.userId).lastStep;
    await alarmUntil(owner.tenantId, async () => (await stepOf()) === "person");
    const first = await waitForMail(mailApi(), person.email, { subject: "Start renewal by" });
    expect(first.subject).toContain(`Start renewal by ${startBy} to be covered before ${expires}`);
    expect(first.text).toContain("Mission Street Kitchen");
    expect(first.text).toContain("113948");

    // A retried step (the same due time, again) raises nothing new — even if the row had not
    // recorded the step (rewound here by hand), the event's key (cycle + step) is stored once.
    const firstAt = reminderDueAt(1, startBy, null) as number;
    await runInDurableObject(tenantObject(owner.tenantId), async (instance: TenantObject, state) => {
      const retry = instance as unknown as { sendRenewalReminders(at: number): Promise<void> };
      await retry.sendRenewalReminders(firstAt);
      state.storage.sql.exec(
        "UPDATE renewal_reminders SET step = 0, last_sent_ms = NULL, next_due_ms = ? WHERE facility_id = ?",
        firstAt,
        facilityId,
      );
      await retry.sendRenewalReminders(firstAt);
    });
    await runDurableObjectAlarm(tenantObject(owner.tenantId));

    // Step 2, the day after D: the card was not renewed, so the location's manager hears of it.
    await alarmUntil(owner.tenantId, async () => (await stepOf()) === "manager");
    const second = await waitForMail(mailApi(), manager.email, { subject: "Renewal not started" });
    expect(second.subject).toContain("escalated to the location's manager");
    // Still exactly one email to the holder: neither the retry nor step 2 went to them.
    await sleep(300);
    expect(await subjects(person.email, "Start renewal by")).toHaveLength(1);
    expect(await subjects(person.email, "Renewal not started")).toHaveLength(0);
    expect(await subjects(owner.email, "Renewal not started")).toHaveLength(0);
    // A manager of another location never hears of this one.
    expect(await subjects(otherManager.email, "Start renewal by")).toEqual([]);
    expect(await subjects(otherManager.email, "Renewal not started")).toEqual([]);

    // The card is renewed (a new expiry): the cycle stops at once.
    const renewedUntil = inDays(1000);
    const base = kitchen(person.userId, renewedUntil);
    const patched = await asUser(owner, `/v1/facilities/${facilityId}`, {
      method: "PATCH",
      json: { staff: base.staff },
    });
    expect(patched.status).toBe(200);
    const after = cardReminder(await reminders(owner), person.userId);
    expect(after).toMatchObject({ validThrough: renewedUntil, lastStep: null, nextStep: "person" });
    // Where step 3 (the owner) would have been due, and later: nothing for the old card.
    const ownerStepAt = reminderDueAt(3, startBy, reminderDueAt(2, startBy, firstAt)) as number;
    await runInDurableObject(tenantObject(owner.tenantId), async (instance: TenantObject) => {
      await (instance as unknown as { sendRenewalReminders(at: number): Promise<void> }).sendRenewalReminders(
        ownerStepAt,
      );
    });
    await runDurableObjectAlarm(tenantObject(owner.tenantId));
    await sleep(300);
    expect(await subjects(owner.email, "Renewal not started")).toHaveLength(0);
    expect(await subjects(manager.email, "Renewal not started")).toHaveLength(1);
  });

  it("reaches the owner when the location has no manager, and the holder is not a user", async () => {
    const owner = await signUp("Owner-Only Kitchens");
    await subscribe(owner);
    const expires = inDays(40);
    const created = await asUser(owner, "/v1/facilities", { method: "POST", json: kitchen("s-77", expires) });
    expect(created.status).toBe(201);
    const startBy = minusDays(expires, 14);
    const stepOf = async () => cardReminder(await reminders(owner), "s-77").lastStep;
    // Step 1 falls through person (not a user) and manager (none) to the owner …
    await alarmUntil(owner.tenantId, async () => (await stepOf()) === "person");
    await waitForMail(mailApi(), owner.email, { subject: `Start renewal by ${startBy}` });
    // … and the owner step comes one step per interval, not at once.
    await alarmUntil(owner.tenantId, async () => (await stepOf()) === "owner");
    await waitForMail(mailApi(), owner.email, { subject: "escalated to the owner" });
    expect(cardReminder(await reminders(owner), "s-77")).toMatchObject({
      nextStep: null,
      nextReminderAt: null,
    });
  });

  it("lists a manager's locations only; an API key with facilities:read sees all; no key is 401", async () => {
    const owner = await signUp("Listing Kitchens");
    const mine = (
      (await (
        await asUser(owner, "/v1/facilities", { method: "POST", json: kitchen("a-1", inDays(90)) })
      ).json()) as {
        id: string;
      }
    ).id;
    const theirs = (
      (await (
        await asUser(owner, "/v1/facilities", { method: "POST", json: kitchen("b-1", inDays(90)) })
      ).json()) as {
        id: string;
      }
    ).id;
    const manager = await addMember(owner, "manager", { facilityIds: [mine] });
    const all = await reminders(owner);
    expect(new Set(all.map((r) => r.facilityId))).toEqual(new Set([mine, theirs]));
    const visible = await reminders(manager);
    expect(visible.length).toBeGreaterThan(0);
    expect(visible.every((r) => r.facilityId === mine)).toBe(true);
    // Soonest start-by date first.
    const dates = all.map((r) => r.startBy);
    expect(dates).toEqual([...dates].sort());
    expect((await call("/v1/renewal-reminders")).status).toBe(401);
    const { key } = await newTenant();
    const other = await call("/v1/renewal-reminders", { key });
    expect(other.status).toBe(200);
    expect(((await other.json()) as { data: unknown[] }).data).toEqual([]);
  });
});
