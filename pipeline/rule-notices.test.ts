// Advance notice of rule changes (pipeline/rule-notices.ts, durable-objects/rule-changes.ts):
// a version whose new rule starts on a later date, once active, gives each affected tenant a
// notice naming the locations it will break — over GET /v1/rule-changes and by email to the
// owner — once, even when announced again; other tenants hear nothing; today's verdicts do
// not change; and on the date, the tenant's object re-evaluates and raises the drift alert.
// Synthetic data under Sierra County (CA), which no bundled dataset and no other test uses.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Rule } from "../compliance/index";
import { call, newTenant } from "../test/helpers";
import { mailFor, waitForMail } from "../test/mail";
import { dataset, informational, install, nonce, serve, withJobContext } from "../test/pipeline";
import { addMember, asUser, mailApi, signUp } from "../test/sessions";
import { sweepDrift } from "./drift-sweep";
import { refreshDatasets } from "./refresh";
import { announceRuleChanges, rulesAhead } from "./rule-notices";

const SIERRA = "ocd-division/country:us/state:ca/county:sierra";
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

function diner(name: string, permits: { type: string; number: string }[] = []) {
  return {
    name,
    type: "restaurant",
    address: {
      line1: "208 Main St",
      city: "Downieville",
      county: "Sierra",
      state: "CA",
      postalCode: "95936",
    },
    openedAt: "2020-01-15",
    permits: permits.map((p) => ({ ...p, issuedAt: "2025-01-01" })),
    staff: [
      {
        id: "mgr-1",
        name: "Ana",
        role: "manager",
        hiredAt: "2019-06-01",
        credentials: [{ type: "food_protection_manager", issuedAt: "2025-03-01", expiresAt: "2030-03-01" }],
      },
    ],
  };
}

const commissaryRule = (effectiveFrom: string) =>
  ({
    ...informational("SIE-COMMISSARY"),
    title: "Commissary agreement",
    severity: "major",
    effectiveFrom,
    requirement: { kind: "permit", permitTypes: ["commissary_agreement"], validityYears: null },
  }) as Rule;

type Notice = {
  jurisdiction: string;
  ruleId: string;
  citation: string;
  effectiveFrom: string;
  summary: string;
  affected: { facilityId: string; facilityName: string; from: string; to: string; actions: string[] }[];
};

async function created(response: Response): Promise<string> {
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

describe("rule changes ahead", () => {
  it("tell each affected tenant which locations break, once, and drift follows on the date", async () => {
    const tag = nonce();
    const name = `sierra-${tag}`;
    const v1 = await install(dataset(SIERRA, [informational("SIE-INFO")], tag), name);
    // The tenants hear of v1 first (the sweep stores what they last heard of).
    await withJobContext((ctx) => sweepDrift(ctx, { jurisdictions: [SIERRA], reason: "test setup" }));

    const owner = await signUp("Sierra Diner Co");
    const broken = await created(
      await asUser(owner, "/v1/facilities", { method: "POST", json: diner("Downieville Diner") }),
    );
    const fine = await created(
      await asUser(owner, "/v1/facilities", {
        method: "POST",
        json: diner("Downieville Annex", [{ type: "commissary_agreement", number: "CA-1" }]),
      }),
    );
    const other = await newTenant();
    await created(
      await call("/v1/facilities", {
        method: "POST",
        key: other.key,
        json: diner("Covered Elsewhere", [{ type: "commissary_agreement", number: "CA-2" }]),
      }),
    );
    const outside = await newTenant();
    await created(
      await call("/v1/facilities", {
        method: "POST",
        key: outside.key,
        json: {
          ...diner("Sacramento Spot"),
          address: { line1: "1 J St", city: "Sacramento", state: "CA", postalCode: "95814" },
        },
      }),
    );

    const effective = inDays(10);
    const v2 = dataset(SIERRA, [informational("SIE-INFO"), commissaryRule(effective)], tag, "2026.2.0");
    await serve(name, { body: JSON.stringify(v2), etag: `"${tag}-2"` });
    const report = await withJobContext((ctx) =>
      refreshDatasets(ctx, { trigger: "admin", startedBy: "test", jurisdictions: [SIERRA] }),
    );
    expect(report.datasets[0]?.outcome).toBe("created");
    expect(report.propagation?.notices).toBe(1);

    // The owner sees the notice over the API (the app reads the same route).
    const listed = await asUser(owner, "/v1/rule-changes");
    expect(listed.status).toBe(200);
    const { data } = (await listed.json()) as { data: Notice[] };
    expect(data).toHaveLength(1);
    expect(data[0]).toMatchObject({
      jurisdiction: SIERRA,
      ruleId: "SIE-COMMISSARY",
      citation: "Test Code § SIE-COMMISSARY",
      effectiveFrom: effective,
      summary: `Commissary agreement applies from ${effective}.`,
    });
    expect(data[0]?.affected.map((a) => a.facilityId)).toEqual([broken]);
    expect(data[0]?.affected[0]).toMatchObject({ facilityName: "Downieville Diner", to: "non_compliant" });
    expect(data[0]?.affected[0]?.actions.join(" ")).toMatch(/commissary/i);
    // Tenants whose locations it does not break, or that have none there, hear nothing.
    for (const tenant of [other, outside]) {
      const response = await call("/v1/rule-changes", { key: tenant.key });
      expect(await response.json()).toEqual({ data: [] });
    }
    // A manager sees only their own locations' notices.
    const manager = await addMember(owner, "manager", { facilityIds: [fine] });
    expect(await (await asUser(manager, "/v1/rule-changes")).json()).toEqual({ data: [] });

    // The owner is emailed once; announcing again (a retried sweep) creates and sends nothing.
    const mail = await waitForMail(mailApi(), owner.email, { subject: "rule change" });
    expect(mail.subject).toContain(effective);
    expect(mail.text).toContain("Downieville Diner");
    const again = await withJobContext(async (ctx) => {
      const announcements = await rulesAhead(
        ctx,
        [
          {
            state: {
              jurisdiction: SIERRA,
              version: "2026.2.0",
              activeVersionId: report.datasets[0]?.versionId ?? null,
              lastRefreshedAt: null,
              propagatedFingerprint: v1,
            },
          },
        ],
        new Map(),
        inDays(0),
      );
      expect(announcements).toHaveLength(1);
      return announceRuleChanges(ctx, owner.tenantId, announcements[0] as (typeof announcements)[number]);
    });
    expect(again).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(
      (await mailFor(mailApi(), owner.email)).filter((m) => m.subject.includes("rule change")),
    ).toHaveLength(1);

    // Until the date, today's verdict is untouched by the coming rule.
    const today = (await (await asUser(owner, `/v1/facilities/${broken}/verdict`)).json()) as {
      findings: { ruleId: string; status: string }[];
    };
    expect(today.findings.find((f) => f.ruleId === "SIE-COMMISSARY")?.status ?? "not yet").not.toBe("fail");

    // On the date the object's alarm re-evaluates (the rule's start is a reevaluateAt date)
    // and drift raises the alert, as for any rule change. The alarm takes its scheduled time
    // as "now", so firing it ahead moves the object through its due dates to the effective one.
    const stub = env.TENANT.get(env.TENANT.idFromName(owner.tenantId));
    type Alert = { cause: string; changes: { ruleId: string; to: string | null }[] };
    let alert: Alert | undefined;
    for (let fired = 0; fired < 10 && !alert; fired++) {
      await runDurableObjectAlarm(stub);
      const alerts = (await (await asUser(owner, "/v1/alerts")).json()) as {
        data: Alert[];
      };
      alert = alerts.data.find((a) =>
        a.changes.some((c) => c.ruleId === "SIE-COMMISSARY" && c.to === "fail"),
      );
    }
    expect(alert?.cause).toBe("deadline");
  });

  it("withdraws a notice when a later version drops the coming rule before its date", async () => {
    const tag = nonce();
    const name = `sierra-withdraw-${tag}`;
    // Enough rules that dropping one stays under the refresh's 20% limit.
    const base = ["SIE-INFO", "SIE-A", "SIE-B", "SIE-C", "SIE-D"].map((id) => informational(id));
    await install(dataset(SIERRA, base, tag), name);
    await withJobContext((ctx) => sweepDrift(ctx, { jurisdictions: [SIERRA], reason: "test setup" }));
    const { key } = await newTenant();
    await created(await call("/v1/facilities", { method: "POST", key, json: diner("Sierra City Cafe") }));
    const refresh = () =>
      withJobContext((ctx) =>
        refreshDatasets(ctx, { trigger: "admin", startedBy: "test", jurisdictions: [SIERRA] }),
      );

    const ahead = dataset(SIERRA, [...base, commissaryRule(inDays(20))], tag, "2026.2.0");
    await serve(name, { body: JSON.stringify(ahead), etag: `"${tag}-2"` });
    expect((await refresh()).datasets[0]?.outcome).toBe("created");
    const listed = async () =>
      ((await (await call("/v1/rule-changes", { key })).json()) as { data: Notice[] }).data;
    expect((await listed()).map((n) => n.ruleId)).toEqual(["SIE-COMMISSARY"]);

    // v3 changes something else and drops the commissary rule: the notice goes.
    const dropped = dataset(
      SIERRA,
      [informational("SIE-INFO", { title: "Sierra notice, reworded" }), ...base.slice(1)],
      tag,
      "2026.3.0",
    );
    await serve(name, { body: JSON.stringify(dropped), etag: `"${tag}-3"` });
    expect((await refresh()).datasets[0]?.outcome).toBe("created");
    expect(await listed()).toEqual([]);
  });
});
