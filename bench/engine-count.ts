// Instructions per verdict, counted rather than timed: wall-clock rates on a shared machine move
// more between runs than a change of a few percent (docs/performance.md, "The slip since
// 2026-11-26, profiled"). The engine evaluates `bench/facilities.ts`'s 1,000 facilities against
// CA + SF for 30 and for 90 passes under cachegrind; (count₉₀ − count₃₀) ÷ 60,000 cancels
// start-up, compilation of the datasets and warm-up.
//
//   npx tsx bench/engine-count.ts            both counts and the result (needs valgrind)
//   npx tsx bench/engine-count.ts --digest   a hash of every verdict's JSON: equal before and
//                                            after an engine change ⇔ no verdict changed
//
// The driver is bundled as the Worker is (bench/bundle.ts) and run with `node --single-threaded`,
// so that V8's compilers and GC run on the counted thread instead of helper threads.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { fromDay } from "../compliance/dates";
import { bundledLayersFor, compileDataset, evaluate } from "../compliance/index";
import { withBundle } from "./bundle";
import { AS, ASOF, CA, CHAIN, FACILITIES, generateFacilities, SF } from "./facilities";

const SHORT = 30;
const LONG = 90;

/** The measured work: `passes` × every facility. Returns a number so nothing is optimised away. */
function run(passes: number): number {
  const facilities = generateFacilities();
  const layers = bundledLayersFor([CA, SF]).map(compileDataset);
  let findings = 0;
  for (let p = 0; p < passes; p++) {
    for (const f of facilities)
      findings += evaluate(f, layers, ASOF, { jurisdictions: CHAIN }).findings.length;
  }
  return findings;
}

/**
 * SHA-256 of every verdict's JSON, on the bench's asOf and on dates around it (expiries fall due,
 * grace periods end), so a change that alters any finding, message or date changes the digest.
 */
function digest(): string {
  const facilities = generateFacilities();
  const layers = bundledLayersFor([CA, SF]).map(compileDataset);
  const hash = createHash("sha256");
  for (const offset of [-400, -30, 0, 29, 365]) {
    const asOf = fromDay(AS + offset);
    for (const f of facilities)
      hash.update(JSON.stringify(evaluate(f, layers, asOf, { jurisdictions: CHAIN })));
  }
  return hash.digest("hex");
}

/** Instructions cachegrind counts for the bundled driver running `passes` passes. */
function countInstructions(bundle: string, passes: number): number {
  const out = spawnSync(
    "valgrind",
    [
      "--tool=cachegrind",
      "--cache-sim=no",
      "--cachegrind-out-file=/dev/null",
      process.execPath,
      "--single-threaded",
      bundle,
      "--passes",
      String(passes),
    ],
    { encoding: "utf8" },
  );
  const refs = /I\s+refs:\s+([\d,]+)/.exec(out.stderr ?? "");
  if (out.status !== 0 || !refs?.[1]) throw new Error(`cachegrind failed: ${out.error ?? out.stderr}`);
  return Number(refs[1].replaceAll(",", ""));
}

async function main(): Promise<void> {
  const passes = process.argv.indexOf("--passes");
  if (passes >= 0) {
    console.log(run(Number(process.argv[passes + 1])));
    return;
  }
  if (process.argv.includes("--digest")) {
    console.log(digest());
    return;
  }
  await withBundle(import.meta.filename, (bundle) => {
    const short = countInstructions(bundle, SHORT);
    const long = countInstructions(bundle, LONG);
    const perVerdict = (long - short) / ((LONG - SHORT) * FACILITIES);
    console.log(
      `${SHORT} passes: ${short.toLocaleString("en-US")} instructions · ${LONG} passes: ${long.toLocaleString("en-US")}`,
    );
    console.log(`instructions per verdict: ${(perVerdict / 1000).toFixed(2)}k (Node ${process.version})`);
  });
}

await main();
