// The dashboards as code: valid Grafana dashboard JSON that every panel can render — a
// current schema version, a query per panel, data sources chosen by template variable (never
// a hard-coded uid), no tenant ids baked in, and Analytics Engine queries that use only the
// metric kinds and the dataset variable runtime/metrics.ts writes.
import { describe, expect, it } from "vitest";
import { METRIC_KINDS } from "../runtime/metrics";
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
