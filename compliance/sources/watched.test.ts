import { describe, expect, it } from "vitest";
import { bundledDatasets } from "../datasets";
import { parseWatchedSources, watchedSources } from "./index";

describe("the watched sources list", () => {
  it("names only bundled datasets and rule ids that exist in them", () => {
    for (const source of watchedSources) {
      const datasets = source.datasets.map((id) => bundledDatasets.find((d) => d.jurisdiction === id));
      expect(datasets.every(Boolean), `${source.id}: ${source.datasets.join(", ")}`).toBe(true);
      const ruleIds = new Set(datasets.flatMap((d) => d?.rules.map((r) => r.id) ?? []));
      for (const rule of source.rules) expect(ruleIds.has(rule), `${source.id} cites ${rule}`).toBe(true);
    }
  });

  it("watches every kind, at the hosts each kind's API lives on", () => {
    const hosts = {
      ecfr: "www.ecfr.gov",
      federal_register: "www.federalregister.gov",
      legistar: "webapi.legistar.com",
    };
    for (const source of watchedSources) {
      const expected = hosts[source.kind as keyof typeof hosts];
      if (expected) expect(new URL(source.url).host, source.id).toBe(expected);
    }
    expect(new Set(watchedSources.map((s) => s.kind))).toEqual(
      new Set(["ecfr", "federal_register", "legistar", "html"]),
    );
  });

  it("refuses a broken list", () => {
    const good = {
      id: "a",
      kind: "html",
      title: "A",
      url: "https://example.gov/",
      datasets: ["x"],
      rules: [],
    };
    expect(() => parseWatchedSources({ sources: [good, good] })).toThrow(/duplicate/);
    expect(() => parseWatchedSources({ sources: [{ ...good, url: "http://example.gov/" }] })).toThrow(
      /https/,
    );
    expect(() => parseWatchedSources({ sources: [{ ...good, kind: "rss" }] })).toThrow(/kind/);
    expect(() => parseWatchedSources({ sources: [{ ...good, datasets: [] }] })).toThrow(/datasets/);
  });
});
