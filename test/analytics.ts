/**
 * Test helpers for product analytics: drain one tenant's queued events through the
 * production destinations (the loopback Segment and Amplitude, test/analytics-server.ts),
 * read what they kept and every request that carried the tenant, and switch them down or up.
 */
import { env } from "cloudflare:workers";
import { expect, inject } from "vitest";
import type { AmplitudeEvent } from "../runtime/amplitude";
import { type SegmentTrack, tenantPseudonym } from "../runtime/analytics";
import {
  type AnalyticsSetup,
  analyticsSetup,
  type DrainReport,
  drainAnalytics,
} from "../runtime/analytics-outbox";
import { workerDb } from "./helpers";

const fake = () => inject("analyticsUrl");
export const hmacKey = () => env.ANALYTICS_HMAC_KEY as string;
export const DAY_MS = 86_400_000;

export async function drain(options: {
  tenantIds: string[];
  at?: Date;
  setup?: AnalyticsSetup;
}): Promise<DrainReport> {
  const handle = workerDb();
  try {
    return await drainAnalytics({
      db: handle.db,
      setup: options.setup ?? (analyticsSetup(env, fetch) as AnalyticsSetup),
      tenantIds: options.tenantIds,
      ...(options.at ? { at: options.at } : {}),
    });
  } finally {
    await handle.close();
  }
}

export interface Received {
  segment: SegmentTrack[];
  amplitude: AmplitudeEvent[];
}
export async function received(tenantId: string): Promise<Received> {
  const groupId = await tenantPseudonym(hmacKey(), tenantId);
  return (await (await fetch(`${fake()}/__fake/received?groupId=${groupId}`)).json()) as Received;
}
export interface Sent {
  api: "segment" | "amplitude";
  status: number;
  ids: string[];
  raw: string;
}
export async function requestsFor(tenantId: string): Promise<Sent[]> {
  const groupId = await tenantPseudonym(hmacKey(), tenantId);
  return (await (await fetch(`${fake()}/__fake/requests?groupId=${groupId}`)).json()) as Sent[];
}
export async function setMode(
  api: "segment" | "amplitude",
  mode: "up" | "down" | "ack_lost",
  retryAfter?: number,
) {
  const response = await fetch(`${fake()}/__fake/mode`, {
    method: "POST",
    body: JSON.stringify({ api, mode, ...(retryAfter ? { retryAfter } : {}) }),
  });
  expect(response.status).toBe(200);
}

/** Drains this tenant's events until `done` says what arrived is complete (requests queue some after their response). */
export async function drainUntil(tenantId: string, done: (got: Received) => boolean): Promise<Received> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    await drain({ tenantIds: [tenantId] });
    const got = await received(tenantId);
    if (done(got)) return got;
    if (Date.now() > deadline) throw new Error(`events did not arrive: ${JSON.stringify(got)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
const names = (got: Received) => new Set(got.segment.map((m) => m.event));
export const has = (got: Received, events: string[]) =>
  events.every((e) => names(got).has(e as SegmentTrack["event"])) &&
  events.every((e) => got.amplitude.some((a) => a.event_type === e));
