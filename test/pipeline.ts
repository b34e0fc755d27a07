/**
 * Helpers for the data pipeline tests: synthetic datasets, the local upstream server
 * (test/upstream-server.ts), platform admins and a job context wired to this Worker's
 * Durable Objects.
 *
 * Dataset tables are global and shared by every test file running in parallel, so these tests
 * never touch the bundled jurisdictions: they use synthetic datasets — under a state no
 * gazetteer knows (`state:zz`) when no facility needs to resolve there, or for a real
 * California county that no other test and no bundled dataset uses (Alpine, Modoc) when drift
 * must reach a stored facility. A nonce in each dataset keeps versions distinct across runs on
 * a reused database.
 */
import { env } from "cloudflare:workers";
import { inject } from "vitest";
import type { Dataset, Rule } from "../compliance";
import { configureSource, storeDatasetVersion } from "../db/datasets";
import { createPlatformAdmin } from "../db/platform-admins";
import type { JobContext } from "../pipeline/context";
import { workerJobContext } from "../workers/job-context";
import { workerDb } from "./helpers";

export const upstreamUrl = () => inject("upstreamUrl");
export const nonce = () => crypto.randomUUID().slice(0, 8);

/** Sets how the upstream answers for `name` (see test/upstream-server.ts). */
export async function serve(
  name: string,
  config: { status?: number; body?: string; etag?: string; delayMs?: number },
) {
  const response = await fetch(`${upstreamUrl()}/control/${name}`, {
    method: "PUT",
    body: JSON.stringify(config),
  });
  if (response.status !== 204) throw new Error(`upstream control failed: ${response.status}`);
}

export const sourceUrl = (name: string) => `${upstreamUrl()}/datasets/${name}.json`;

export function informational(id: string, extra: Partial<Rule> = {}): Rule {
  return {
    id,
    title: `${id} notice`,
    citation: `Test Code § ${id}`,
    severity: "minor",
    verified: true,
    effectiveFrom: "2020-01-01",
    topic: id.toLowerCase().replaceAll("-", "_"),
    composition: "additive",
    requirement: { kind: "informational", reason: "Not in the payload.", action: "Keep records." },
    ...extra,
  } as Rule;
}

export function dataset(jurisdiction: string, rules: Rule[], tag: string, version = "2026.1.0"): Dataset {
  return {
    jurisdiction,
    name: `Synthetic ${tag}`,
    version,
    source: { publisher: `Prep tests ${tag}`, retrievedAt: "2026-01-01" },
    disclaimer: "Not legal advice. Synthetic test data.",
    ...(jurisdiction.includes("/state:ca/") ? { parent: "ocd-division/country:us/state:ca" } : {}),
    rules,
  };
}

/** Stores and activates `content` and points its source at the upstream server's `name`. */
export async function install(content: Dataset, name: string, trusted = true) {
  const handle = workerDb();
  try {
    const stored = await storeDatasetVersion(handle.db, content, {
      source: "test",
      approvedBy: "test",
      activate: true,
    });
    await configureSource(handle.db, content.jurisdiction, { sourceUrl: sourceUrl(name), trusted });
    return stored.versionId;
  } finally {
    await handle.close();
  }
}

/** A job context on this Worker's database and Durable Objects, with a short fetch timeout. */
export async function withJobContext<T>(
  work: (ctx: JobContext) => Promise<T>,
  overrides: Partial<JobContext> = {},
): Promise<T> {
  const handle = workerDb();
  try {
    return await work({
      ...workerJobContext(env, handle.db),
      fetchTimeoutMs: 500,
      log: () => {},
      ...overrides,
    });
  } finally {
    await handle.close();
  }
}

export async function newAdmin(): Promise<{ adminId: string; key: string }> {
  const handle = workerDb();
  try {
    const admin = await createPlatformAdmin(handle.db, `ops-${nonce()}@prep.test`, "test");
    return { adminId: admin.adminId, key: admin.key };
  } finally {
    await handle.close();
  }
}
