// Scheduled evidence exports: the closed month/quarter is computed in UTC; the hourly job
// queues one export per closed period for a tenant with a schedule (never twice), the tenant
// object builds it, and the next run emails the owner once that it is ready.
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { runExport } from "../test/evidence";
import { sfRestaurant } from "../test/fixtures";
import { call, workerDb } from "../test/helpers";
import { mailFor, waitForMail } from "../test/mail";
import { asUser, mailApi, signUp, uniqueEmail } from "../test/sessions";
import { workerJobContext } from "../workers/job-context";
import { closedPeriod, runScheduledExports } from "./evidence-schedule";

describe("closedPeriod", () => {
  it.each([
    ["monthly", "2026-12-01T07:00:00Z", "2026-11-01", "2026-11-30"],
    ["monthly", "2026-01-15T00:00:00Z", "2025-12-01", "2025-12-31"],
    ["monthly", "2024-03-01T00:00:00Z", "2024-02-01", "2024-02-29"],
    ["quarterly", "2026-12-01T07:00:00Z", "2026-07-01", "2026-09-30"],
    ["quarterly", "2026-01-01T00:00:00Z", "2025-10-01", "2025-12-31"],
    ["quarterly", "2026-04-30T23:59:59Z", "2026-01-01", "2026-03-31"],
  ] as const)("%s at %s is %s – %s", (cadence, now, from, to) => {
    expect(closedPeriod(cadence, new Date(now))).toEqual({ from, to });
  });
});

describe("the hourly job", () => {
  it("queues one export of the closed month, builds it and emails the owner once when ready", async () => {
    const email = uniqueEmail("evidence");
    const owner = await signUp("Scheduled Kitchens", email);
    const facility = await asUser(owner, "/v1/facilities", { method: "POST", json: sfRestaurant() });
    expect(facility.status).toBe(201);
    const put = await asUser(owner, "/v1/exports/schedule", { method: "PUT", json: { cadence: "monthly" } });
    expect(put.status).toBe(200);

    const handle = workerDb();
    try {
      const ctx = workerJobContext(env, handle.db);
      const first = await runScheduledExports(ctx);
      expect(first.queued).toBeGreaterThanOrEqual(1);
      const list = (await (await asUser(owner, "/v1/exports")).json()) as {
        data: { id: string; trigger: string; from: string; to: string }[];
      };
      expect(list.data).toHaveLength(1);
      expect(list.data[0]).toMatchObject({ trigger: "scheduled", ...closedPeriod("monthly", new Date()) });

      // A second run in the same period queues nothing more.
      await runScheduledExports(ctx);
      expect(((await (await asUser(owner, "/v1/exports")).json()) as { data: unknown[] }).data).toHaveLength(
        1,
      );

      const key = await asUser(owner, "/v1/keys", {
        method: "POST",
        json: { name: "reader", scopes: ["exports:read"] },
      });
      const readKey = ((await key.json()) as { key: string }).key;
      const ready = await runExport(owner.tenantId, readKey, (list.data[0] as { id: string }).id);
      expect(ready.status).toBe("ready");

      await runScheduledExports(ctx);
      const mail = await waitForMail(mailApi(), email, { subject: "evidence export" });
      expect(mail.text).toContain("/evidence");
      await runScheduledExports(ctx);
      expect(
        (await mailFor(mailApi(), email)).filter((m) => m.subject.includes("evidence export")),
      ).toHaveLength(1);
    } finally {
      await handle.close();
    }
    expect((await call("/v1/exports/schedule", { method: "GET" })).status).toBe(401);
  }, 120_000);
});
