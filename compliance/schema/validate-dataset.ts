// validateDataset: schema validation plus the semantic checks a reviewer would otherwise do by
// hand. The nightly data pipeline reuses it before publishing a new dataset version.
import * as v from "valibot";
import { toDay } from "../dates";
import { type Problem, toProblems } from "./common";
import { type Dataset, DatasetSchema, type RequirementOf } from "./dataset";

export type ValidateDatasetResult = { ok: true; dataset: Dataset } | { ok: false; problems: Problem[] };

function within(id: string, root: string): boolean {
  return id === root || id.startsWith(`${root}/`);
}

/** The state division containing `id` (OCD places sit under the state, not under their county). */
function stateOf(id: string): string {
  const m = /^ocd-division\/country:us\/state:[a-z]{2}/.exec(id);
  return m ? m[0] : id;
}

/**
 * Grade bands, best first: higher_is_better bands each give a minScore, strictly decreasing;
 * lower_is_better bands each give a maxScore, strictly increasing, except that the last band may
 * omit it (no upper bound). Mixing the two bounds would make the band order ambiguous.
 */
function checkBands(
  req: RequirementOf<"inspection_grade">,
  at: string,
  add: (pointer: string, message: string) => void,
): void {
  const lower = req.scoring === "lower_is_better";
  const bound = lower ? "maxScore" : "minScore";
  const other = lower ? "minScore" : "maxScore";
  req.bands.forEach((band, k) => {
    if (band[other] !== undefined)
      add(`${at}/${k}/${other}`, `must be absent when scoring is ${req.scoring ?? "higher_is_better"}`);
    const value = band[bound];
    if (value === undefined) {
      if (!lower || k < req.bands.length - 1)
        add(`${at}/${k}/${bound}`, `is required (only the last lower_is_better band may omit maxScore)`);
      return;
    }
    const prev = req.bands[k - 1]?.[bound];
    if (prev !== undefined && (lower ? value <= prev : value >= prev)) {
      add(
        `${at}/${k}/${bound}`,
        `bands must be ordered from the best score: ${lower ? "lowest maxScore up" : "highest minScore down"}`,
      );
    }
  });
}

export function validateDataset(json: unknown): ValidateDatasetResult {
  const parsed = v.safeParse(DatasetSchema, json);
  if (!parsed.success) return { ok: false, problems: toProblems(parsed.issues) };
  const ds = parsed.output;
  const problems: Problem[] = [];
  const add = (pointer: string, message: string) => problems.push({ pointer, message });

  if (!/not legal advice/i.test(ds.disclaimer))
    add("/disclaimer", 'must state that the dataset is "not legal advice"');
  if (ds.parent !== undefined && (ds.parent === ds.jurisdiction || !within(ds.jurisdiction, ds.parent))) {
    add("/parent", `must be a broader division containing ${ds.jurisdiction}`);
  }

  const windows = new Map<string, { from: number; to: number; index: number }[]>();
  ds.rules.forEach((rule, i) => {
    const at = `/rules/${i}`;
    const from = toDay(rule.effectiveFrom);
    const to = rule.effectiveTo === undefined ? Number.POSITIVE_INFINITY : toDay(rule.effectiveTo);
    if (from >= to) add(`${at}/effectiveTo`, `must be after effectiveFrom (${rule.effectiveFrom})`);

    // The same id may appear twice only as successive versions (disjoint effective windows).
    const seen = windows.get(rule.id) ?? [];
    for (const other of seen) {
      if (from < other.to && other.from < to) {
        add(
          `${at}/id`,
          `duplicate rule id ${rule.id} (also /rules/${other.index}) with overlapping effective dates`,
        );
      }
    }
    seen.push({ from, to, index: i });
    windows.set(rule.id, seen);

    if (rule.replaces?.includes(rule.id)) add(`${at}/replaces`, "a rule cannot replace itself");
    const replacing =
      rule.composition === "override" || rule.composition === "floor" || rule.composition === "own_code";
    if (rule.replaces && !replacing) {
      add(`${at}/replaces`, 'only "override", "floor" or "own_code" rules replace parent rules');
    }
    if (ds.parent === undefined && replacing && rule.replaces) {
      add(`${at}/replaces`, "a dataset without a parent has nothing to replace");
    }
    rule.applicability?.excludedJurisdictions?.forEach((j, k) => {
      if (!within(j, stateOf(ds.jurisdiction))) {
        add(
          `${at}/applicability/excludedJurisdictions/${k}`,
          `must lie within the dataset's state ${stateOf(ds.jurisdiction)}`,
        );
      }
    });

    const req = rule.requirement;
    if (
      req.kind === "temperature" &&
      req.coldMaxF === undefined &&
      req.hotMinF === undefined &&
      !req.allowances?.some((a) => a.coldMaxF !== undefined || a.hotMinF !== undefined)
    ) {
      add(
        `${at}/requirement`,
        "a temperature requirement needs coldMaxF, hotMinF or an allowance with a limit",
      );
    }
    if (req.kind === "inspection_grade") checkBands(req, `${at}/requirement/bands`, add);
    if (req.kind === "preemption") {
      req.exceptJurisdictions?.forEach((j, k) => {
        if (!within(j, ds.jurisdiction) || j === ds.jurisdiction) {
          add(`${at}/requirement/exceptJurisdictions/${k}`, `must be a division inside ${ds.jurisdiction}`);
        }
      });
    }
  });

  const leadTypes = new Map<string, number>();
  ds.leadTimes?.forEach((lead, i) => {
    const key = `${lead.kind}:${lead.type}`;
    const other = leadTypes.get(key);
    if (other !== undefined)
      add(
        `/leadTimes/${i}/type`,
        `duplicate lead time for ${lead.kind} ${lead.type} (also /leadTimes/${other})`,
      );
    else leadTypes.set(key, i);
  });

  return problems.length > 0 ? { ok: false, problems } : { ok: true, dataset: ds };
}
