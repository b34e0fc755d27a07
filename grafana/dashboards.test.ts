// The dashboards as code: valid Grafana dashboard JSON that every panel can render — a
// current schema version, a query per panel, data sources chosen by template variable (never
// a hard-coded uid), no tenant ids baked in, and Analytics Engine queries that use only the
// metric kinds and the dataset variable runtime/metrics.ts writes.
import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { PLAN_IDS, PLANS, STATE_ADD_ON } from "../billing/catalog";
import { openDatabase } from "../db/client";
import { METRIC_KINDS } from "../runtime/metrics";
import { newTenant } from "../test/helpers";
import business from "./dashboards/business.json";
import complianceOps from "./dashboards/compliance_ops.json";

interface Target {
  datasource?: { type?: string; uid?: string };
  query?: string;
  rawSql?: string;
}
interface Panel {
  id: number;
  title: string;
  type: string;
  datasource?: { type?: string; uid?: string };
  gridPos?: { x: number; y: number; w: number; h: number };
  targets?: Target[];
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: { name: string; type: string }[] };
}

const DASHBOARDS: [string, Dashboard, number][] = [
  ["compliance_ops.json", complianceOps as unknown as Dashboard, 6],
  ["business.json", business as unknown as Dashboard, 3],
];
const sqlOf = (t: Target) => t.query ?? t.rawSql ?? "";

describe.each(DASHBOARDS)("grafana/dashboards/%s", (_name, dashboard, minPanels) => {
  it("is a current Grafana dashboard with a uid, a title and enough panels", () => {
    expect(dashboard.schemaVersion).toBeGreaterThanOrEqual(36);
    expect(dashboard.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    expect(dashboard.title).not.toBe("");
    expect(dashboard.panels.length).toBeGreaterThanOrEqual(minPanels);
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("gives every panel a place and a query", () => {
    for (const panel of dashboard.panels) {
      expect(panel.gridPos, panel.title).toBeDefined();
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(sqlOf(target).trim(), panel.title).not.toBe("");
    }
  });

  it("chooses data sources by template variable, never by a hard-coded uid", () => {
    const variables = new Set(
      dashboard.templating.list.filter((v) => v.type === "datasource").map((v) => v.name),
    );
    for (const panel of dashboard.panels) {
      for (const source of [panel.datasource, ...(panel.targets ?? []).map((t) => t.datasource)]) {
        const variable = /^\$\{(\w+)\}$/.exec(source?.uid ?? "")?.[1];
        expect(variable && variables.has(variable), `${panel.title}: ${source?.uid}`).toBe(true);
      }
    }
  });

  it("bakes in no tenant id, email or key", () => {
    const text = JSON.stringify(dashboard);
    expect(text).not.toMatch(/\bten_[0-9A-Z]{6,}/);
    expect(text).not.toMatch(/[\w.+-]+@[\w-]+\.[\w.]+/);
    expect(text).not.toMatch(/prep_(live|test|admin)_/);
  });

  it("asks Analytics Engine only for the metric kinds the Worker writes, through the dataset variable", () => {
    for (const panel of dashboard.panels) {
      for (const target of panel.targets ?? []) {
        if (target.datasource?.type !== "vertamedia-clickhouse-datasource") continue;
        const sql = sqlOf(target);
        expect(sql, panel.title).toMatch(/FROM \$dataset\b/);
        for (const [, kind] of sql.matchAll(/blob1 = '([^']+)'/g)) expect(METRIC_KINDS).toContain(kind);
      }
    }
  });
});

describe("grafana/dashboards/business.json against the billing tables", () => {
  const panels = (business as unknown as Dashboard).panels;
  const queryOf = (title: string) => sqlOf(panels.find((p) => p.title === title)?.targets?.[0] ?? {});

  it("prices plans and add-ons as billing/catalog.ts does (no placeholder list prices)", () => {
    for (const title of ["MRR", "ARPU", "State add-on attachment"]) {
      const text = queryOf(title);
      const plans = Object.fromEntries(
        [...text.matchAll(/\('(\w+)', ([\d.]+), (\d+|NULL)\)/g)].map((m) => [m[1], [Number(m[2]), m[3]]]),
      );
      expect(plans, title).toEqual(
        Object.fromEntries(
          PLAN_IDS.map((id) => {
            const included = PLANS[id].includedStates;
            return [id, [PLANS[id].monthlyCents / 100, included === "all" ? "NULL" : String(included)]];
          }),
        ),
      );
      expect(Number(/add_on \(usd\) AS \([\s\S]*?VALUES \(([\d.]+)\)/.exec(text)?.[1]), title).toBe(
        STATE_ADD_ON.monthlyCents / 100,
      );
      expect(text, title).toMatch(/FROM prep_billing_accounts\(\)/);
    }
  });

  it("runs every query on the real schema, and MRR is the catalog applied to every paying account", async () => {
    // At least one paying tenant with an add-on, whichever files ran before this one.
    await newTenant("MRR Panel Co", undefined, { plan: "growth", states: ["CA", "TX", "NY", "FL"] });
    const owner = openDatabase({ databaseUrl: env.OWNER_DATABASE_URL ?? "", wsProxy: env.DB_WS_PROXY });
    try {
      // One snapshot: other test files change tenants' plans meanwhile.
      await owner.db.transaction(
        async (tx) => {
          for (const panel of panels)
            for (const target of panel.targets ?? []) {
              const text = sqlOf(target).replace(
                /\$__timeFilter\((\w+)\)/g,
                "$1 >= now() - interval '30 days'",
              );
              await tx.execute(sql.raw(text));
            }
          const accounts = (
            await tx.execute(sql`SELECT plan, billing_status, states FROM prep_billing_accounts()`)
          ).rows as { plan: keyof typeof PLANS; billing_status: string; states: string[] }[];
          let cents = 0;
          for (const a of accounts) {
            if (a.billing_status !== "active" && a.billing_status !== "past_due") continue;
            const included = PLANS[a.plan].includedStates;
            const addOns = included === "all" ? 0 : Math.max(a.states.length - included, 0);
            cents += PLANS[a.plan].monthlyCents + addOns * STATE_ADD_ON.monthlyCents;
          }
          const mrr = (await tx.execute(sql.raw(queryOf("MRR")))).rows[0] as { mrr: string | number };
          expect(Number(mrr.mrr)).toBeCloseTo(cents / 100, 2);
          expect(cents).toBeGreaterThan(0);
        },
        { isolationLevel: "repeatable read", accessMode: "read only" },
      );
    } finally {
      await owner.close();
    }
  });
});
