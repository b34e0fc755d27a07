// The engine benchmarks measure their own script bundled the way `wrangler deploy` bundles the
// Worker (esbuild, one module, function names kept: wrangler's `keep_names` defaults to true), not
// as tsx runs it: tsx loads each file as its own ES module, so every call into `compliance/`
// crosses a module binding, and the timings measured that loader rather than the code a Worker
// runs (docs/performance.md, "Fifth sitting"). json-rules-engine stays an external package, loaded
// from node_modules as published (its bundle needs `require("vm")`).
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";

/** Inside the repository, so that the bundle's external imports resolve from node_modules. */
const CACHE = resolve(import.meta.dirname, "../node_modules/.cache");

/** Bundles `entry` into a temporary directory, hands the bundle's path to `use`, then removes it. */
export async function withBundle<T>(entry: string, use: (bundle: string) => T | Promise<T>): Promise<T> {
  mkdirSync(CACHE, { recursive: true });
  const dir = mkdtempSync(join(CACHE, "prep-bench-"));
  try {
    const bundle = join(dir, "bench.mjs");
    // Imported here so that the bundle itself carries no bundler.
    const { build } = await import("esbuild");
    await build({
      entryPoints: [entry],
      bundle: true,
      keepNames: true,
      external: ["esbuild", "json-rules-engine"],
      platform: "node",
      format: "esm",
      outfile: bundle,
      logLevel: "warning",
    });
    return await use(bundle);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
