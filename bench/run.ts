// `npm run bench`: every benchmark, one after the other (they would skew each other in
// parallel). Each prints its own figures and ratios; docs/performance.md records them.
import { spawnSync } from "node:child_process";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "..");
const BENCHMARKS = ["bench/engine.ts", "bench/http.ts", "bench/notify.ts"];

let failed = false;
for (const file of BENCHMARKS) {
  console.log(`\n== ${file}`);
  const run = spawnSync(resolve(ROOT, "node_modules/.bin/tsx"), [file], { cwd: ROOT, stdio: "inherit" });
  if (run.status !== 0) {
    console.error(`${file} failed (exit ${run.status ?? run.signal})`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
