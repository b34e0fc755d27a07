/**
 * Helpers for the source watchers' tests: control what the loopback official sources
 * (test/regulator-server.ts) answer, read what they were asked, and make watched sources and
 * synthetic datasets of this run (a nonce in every id, so a reused database never mixes runs).
 */
import { inject } from "vitest";
import type { Rule, WatchedSource } from "../compliance";
import { recordRefreshSuccess, storeDatasetVersion } from "../db/datasets";
import { type WatchersConfig, watchSources } from "../pipeline/watchers";
import { workerDb } from "./helpers";
import { dataset, informational, withJobContext } from "./pipeline";

export const regulatorUrl = () => inject("regulatorUrl");

/** The watchers' configuration in tests: every official URL goes to the loopback server. */
export const mirror = (extra: Partial<Extract<WatchersConfig, { mode: "mirror" }>> = {}): WatchersConfig => ({
  mode: "mirror",
  origin: regulatorUrl(),
  ...extra,
});

/** The loopback path an official URL is served at (`/<host><path>?<query>`). */
export const mirroredPath = (url: string) => {
  const u = new URL(url);
  return `/${u.host}${u.pathname}${u.search}`;
};

export async function regulate(
  url: string,
  control: {
    items?: Record<string, unknown>[];
    html?: string;
    throttle?: { count: number; retryAfter: string };
    fail?: { count: number; status: number };
  },
): Promise<void> {
  const response = await fetch(`${regulatorUrl()}/control`, {
    method: "PUT",
    body: JSON.stringify({ path: mirroredPath(url), ...control }),
  });
  if (response.status !== 204) throw new Error(`regulator control failed: ${response.status}`);
}

export async function requestsTo(url: string): Promise<{ url: string; headers: Record<string, string> }[]> {
  const response = await fetch(`${regulatorUrl()}/requests?path=${encodeURIComponent(mirroredPath(url))}`);
  return (await response.json()) as { url: string; headers: Record<string, string> }[];
}

/** An eCFR section version as the versioner API lists it. */
export const ecfrVersion = (identifier: string, name: string, amendmentDate: string) => ({
  date: amendmentDate,
  amendment_date: amendmentDate,
  issue_date: amendmentDate,
  identifier,
  name,
  part: identifier.split(".")[0],
  substantive: true,
  removed: false,
  subpart: "A",
  title: "21",
  type: "section",
});

/** A Legistar matter with the fields the Web API returns. */
export const legistarMatter = (id: number, file: string, title: string, status: string) => ({
  MatterId: id,
  MatterGuid: crypto.randomUUID().toUpperCase(),
  MatterLastModifiedUtc: "2026-11-20T15:04:05.123",
  MatterRowVersion: "AAAAAAGx4kE=",
  MatterFile: file,
  MatterName: title.slice(0, 40),
  MatterTitle: title,
  MatterTypeId: 2,
  MatterTypeName: "Introduction",
  MatterStatusId: 35,
  MatterStatusName: status,
  MatterBodyId: 5,
  MatterBodyName: "Committee on Health",
  MatterIntroDate: "2026-10-01T00:00:00",
  MatterAgendaDate: null,
  MatterPassedDate: null,
  MatterEnactmentDate: null,
  MatterEnactmentNumber: null,
  MatterRequester: null,
  MatterNotes: null,
  MatterVersion: "*",
  MatterText1: null,
  MatterRestrictViewViaWeb: false,
});

/** A Federal Register document as the documents search returns it. */
export const federalRegisterDocument = (
  documentNumber: string,
  date: string,
  title: string,
  abstract: string,
) => ({
  title,
  type: "Notice",
  abstract,
  document_number: documentNumber,
  html_url: `https://www.federalregister.gov/documents/${date.replaceAll("-", "/")}/${documentNumber}/x`,
  pdf_url: `https://www.govinfo.gov/content/pkg/FR-${date}/pdf/${documentNumber}.pdf`,
  public_inspection_pdf_url: null,
  publication_date: date,
  agencies: [
    {
      raw_name: "DEPARTMENT OF HEALTH AND HUMAN SERVICES",
      name: "Food and Drug Administration",
      id: 199,
      slug: "food-and-drug-administration",
    },
  ],
  excerpts: null,
});

export function watched(
  tag: string,
  kind: WatchedSource["kind"],
  url: string,
  datasets: string[],
  rules: string[] = ["ZZ-INFO"],
): WatchedSource {
  return {
    id: `test-${kind.replace("_", "-")}-${tag}`,
    kind,
    title: `Test ${kind} ${tag}`,
    url,
    datasets,
    rules,
  };
}

/** A synthetic dataset of this run under state:zz, active and refreshed now. */
export async function freshDataset(name: string, tag: string, rules: Rule[] = [informational("ZZ-INFO")]) {
  const jurisdiction = `ocd-division/country:us/state:zz/place:${name}_${tag}`;
  const handle = workerDb();
  try {
    const stored = await storeDatasetVersion(handle.db, dataset(jurisdiction, rules, tag), {
      source: "test",
      approvedBy: "test",
      activate: true,
    });
    await recordRefreshSuccess(handle.db, jurisdiction, null);
    return { jurisdiction, versionId: stored.versionId };
  } finally {
    await handle.close();
  }
}

/**
 * An open review item of this run: a synthetic dataset, an agency page citing it watched once,
 * its text changed, watched again half a day later.
 */
export async function openReviewItem(): Promise<{
  reviewId: string;
  jurisdiction: string;
  versionId: string;
}> {
  const tag = crypto.randomUUID().slice(0, 8);
  const { jurisdiction, versionId } = await freshDataset("review", tag);
  const url = `https://health.example.gov/review-${tag}.html`;
  const source = watched(tag, "html", url, [jurisdiction]);
  const run = (hours: number) =>
    withJobContext((ctx) => watchSources(ctx, { sources: [source], config: mirror() }), {
      now: () => new Date(Date.now() + hours * 3_600_000),
    });
  await regulate(url, { html: "<p>Hot holding at 135 °F or above.</p>" });
  await run(0);
  await regulate(url, { html: "<p>Hot holding at 140 °F or above.</p>" });
  const report = await run(13);
  const reviewId = report.checked[0]?.reviewId;
  if (!reviewId) throw new Error(`no review item opened: ${JSON.stringify(report)}`);
  return { reviewId, jurisdiction, versionId };
}
