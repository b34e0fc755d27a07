/**
 * The Worker of bench/http-worker.ts (Prep's real app and tenant object, plus the bench's
 * baseline routes) bundled with esbuild and run by Miniflare on a direct socket, with
 * wrangler.toml's bindings and `vars` on top. Shared by bench/http.ts and bench/notify.ts.
 */
import { execFileSync } from "node:child_process";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

const ROOT = resolve(import.meta.dirname, "..");

export interface Workerd {
  url: string;
  pid: number;
  /** The bundle workerd runs (profiles map its lines back to modules). */
  bundle: string;
  /** workerd's V8 inspector, when started with `inspect` (bench/profile.ts). */
  inspectorUrl?: string;
  stop(): Promise<void>;
}

/** A TCP port nobody listens on right now. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  const { port } = server.address() as { port: number };
  await new Promise((closed) => server.close(closed));
  return port;
}

export async function startWorkerd(
  state: string,
  vars: Record<string, string>,
  inspect = false,
): Promise<Workerd> {
  const bundleDir = join(state, "bundle");
  const inspectorPort = inspect ? await freePort() : undefined;
  await build({
    entryPoints: [resolve(ROOT, "bench/http-worker.ts")],
    outfile: join(bundleDir, "worker.js"),
    bundle: true,
    format: "esm",
    platform: "neutral",
    target: "es2024",
    conditions: ["workerd", "worker", "browser"],
    mainFields: ["module", "main"],
    external: ["node:*", "cloudflare:*"],
    // The evidence PDF's fonts (wrangler.toml bundles them as Data modules). The bench never
    // renders a PDF; bundled as bytes, the Worker builds as it does for wrangler.
    loader: { ".ttf": "binary" },
    logLevel: "error",
  });
  const { workerOptions } = unstable_getMiniflareWorkerOptions(resolve(ROOT, "wrangler.toml"), "");
  const miniflare = new Miniflare(
    convertV4MiniflareOptions({
      ...workerOptions,
      // One pre-bundled module; no static app, no cron.
      assets: undefined,
      cronTriggers: [],
      modulesRules: undefined,
      name: "prep-bench",
      modules: true,
      modulesRoot: bundleDir,
      scriptPath: join(bundleDir, "worker.js"),
      bindings: {
        ...(workerOptions.bindings as Record<string, string>),
        // In production a metric point is an Analytics Engine write (an in-memory append); the
        // local sink's log line per request would be a cost production never pays, so benches
        // keep only its in-isolate totals, as the tests do.
        METRICS_LOG: "errors",
        ...vars,
      },
      durableObjectsPersist: join(state, "durable-objects"),
      unsafeDirectSockets: [{ host: "127.0.0.1", port: 0 }],
      ...(inspectorPort ? { inspectorPort } : {}),
    } as Parameters<typeof convertV4MiniflareOptions>[0]),
  );
  const url = (await miniflare.unsafeGetDirectURL("prep-bench")).href.replace(/\/$/, "");
  // Miniflare runs workerd as this process's only workerd child.
  const pid = Number(
    execFileSync("pgrep", ["-P", String(process.pid), "workerd"], { encoding: "utf8" }).trim(),
  );
  return {
    url,
    pid,
    bundle: join(bundleDir, "worker.js"),
    ...(inspectorPort ? { inspectorUrl: `http://127.0.0.1:${inspectorPort}` } : {}),
    stop: () => miniflare.dispose(),
  };
}
