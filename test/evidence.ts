/**
 * Evidence-export helpers for tests: run an export to the end (firing the tenant object's
 * alarm rather than waiting for it) and download every file of a ready export.
 */
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { call } from "./helpers";

export interface ExportView {
  id: string;
  status: "queued" | "running" | "ready" | "failed";
  error: string | null;
  progress: { locationsDone: number; locationsTotal: number };
  files: { name: string; contentType: string; size: number; sha256: string; url: string }[];
  manifestSha256: string | null;
}

/** Fires the tenant object's alarm until the export is ready or failed; returns its view. */
export async function runExport(
  tenantId: string,
  key: string,
  exportId: string,
  timeoutMs = 60_000,
): Promise<ExportView> {
  const stub = env.TENANT.get(env.TENANT.idFromName(tenantId));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await call(`/v1/exports/${exportId}`, { key });
    expect(response.status).toBe(200);
    const view = (await response.json()) as ExportView;
    if (view.status === "ready" || view.status === "failed") return view;
    if (Date.now() > deadline) throw new Error(`export ${exportId} still ${view.status}`);
    await runDurableObjectAlarm(stub);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every file of a ready export, by name, downloaded through the API with `key`. */
export async function downloadBundle(key: string, view: ExportView): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const file of view.files) {
    const response = await call(new URL(file.url).pathname, { key });
    expect(response.status, file.name).toBe(200);
    files.set(file.name, new Uint8Array(await response.arrayBuffer()));
  }
  return files;
}

/** Lets the tenant object's outbox deliver its checks to Postgres (export reads history there). */
export async function flushChecks(tenantId: string): Promise<void> {
  await runDurableObjectAlarm(env.TENANT.get(env.TENANT.idFromName(tenantId)));
}
