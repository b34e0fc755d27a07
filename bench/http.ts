// Benchmark (not a test): the check endpoint on workerd against baselines measured in the same
// run, as throughput ratios with p50/p99 latencies:
// - POST /v1/checks (metered) vs a bare Hono POST route echoing the same body;
// - a bare route answering a check's exact response text vs the echo: the share of the gap
//   that is the size of the answer, whatever computes it;
// - POST /v1/checks with metering (the TenantObject RPC: ledger, idempotency, counters,
//   outbox flushed to Postgres) vs the same endpoint with the RPC replaced by an echo, and
//   with an RPC to the real object that does nothing (the price of the call alone).
// - the metered path again with the outbox's flush held until each round ends ("held"): what
//   the flush, sharing the object's thread, adds to the metered path's tail.
// It prints first a headline: the four measures of the performance targets with met / not met.
// Real HTTP over loopback (autocannon) straight to workerd: the Worker is bundled with
// esbuild and run by Miniflare on a direct socket, so no entry or dev proxy sits in between.
// The bindings are wrangler.toml's. A bounded number of requests, alternating rounds, the
// median round reported. Absolute rates include a load generator (in its own thread) and
// PostgreSQL sharing the machine's cores; the ratios, measured in the same run, are the
// result. Each round also reports workerd's own CPU time per request (from /proc), which
// shows what a path costs whatever else competes for the cores.
//
// Run: npx tsx bench/http.ts   (DATABASE_URL=postgres://… to use a running PostgreSQL;
// else embedded PGlite). Knobs: BENCH_REQUESTS (per round, default 10000), BENCH_CONCURRENCY
// (default 32), BENCH_ROUNDS (default 3; the median round is reported), BENCH_STATE_DIR (where
// the tenant object's storage lives; default /dev/shm when present).
// Profile instead: BENCH_PROFILE=unmetered|rpc|metered|held|bare|verdict runs the warm-up and one
// round of that path under workerd's CPU profiler and prints where its time goes
// (bench/profile.ts); BENCH_PROFILE_INTERVAL_US sets the sampling interval (default 50).
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import autocannon from "autocannon";
import { sql } from "drizzle-orm";
import { type Database, withTenant } from "../db/client";
import { openNodeDatabase } from "../db/local/node-database";
import { startLocalDatabase } from "../db/local/stack";
import { createTenant } from "../db/tenants";
import { sfRestaurant } from "../test/fixtures";
import { printProfileSummary, profileWhile, saveProfile, summariseProfile } from "./profile";
import { startWorkerd, type Workerd } from "./workerd";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 10_000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = 300;
const PROFILE_PATH = process.env.BENCH_PROFILE as Path | undefined;
/** Where profiles are saved: the system's temporary folder (main() points TMPDIR elsewhere). */
const PROFILE_DIR = tmpdir();

interface RoundResult {
  perSecond: number;
  p50: number;
  p99: number;
  /** CPU time workerd spent per request (user + system): what the path costs, whatever else runs. */
  workerdCpuUs: number;
}

type Path = "bare" | "verdict" | "unmetered" | "rpc" | "metered" | "held";

const PATH_URLS: Record<Path, string> = {
  bare: "/v1/bench/echo",
  verdict: "/v1/bench/verdict",
  unmetered: "/v1/checks",
  rpc: "/v1/checks",
  metered: "/v1/checks",
  held: "/v1/checks",
};

/** Linux's USER_HZ: /proc reports CPU times in these ticks. */
const CLOCK_TICKS_PER_SECOND = 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat. */
function cpuSecondsOf(pid: number): number {
  // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

/**
 * One round of `requests` POSTs from CONCURRENCY connections, measured by autocannon.
 * `settle` waits for work the round left behind (the outbox's delivery to Postgres): it is
 * outside the round's time, but inside its CPU figure, and never spills into the next round.
 */
async function load(
  target: Workerd,
  key: string,
  path: Path,
  requests: number,
  settle: () => Promise<void> = async () => {},
): Promise<RoundResult> {
  const url = `${target.url}${PATH_URLS[path]}`;
  const headers = {
    authorization: `Bearer ${key}`,
    "content-type": "application/json",
    ...(path === "unmetered" || path === "rpc" ? { "x-bench-path": path } : {}),
  };
  const body = JSON.stringify({ facility: sfRestaurant() });
  const cpuBefore = cpuSecondsOf(target.pid);
  const result = await autocannon({
    url,
    method: "POST",
    connections: CONCURRENCY,
    amount: requests,
    // Its own thread: this process's main thread relays the object's Postgres traffic
    // (the local WebSocket bridge), which must not slow the load generator down.
    workers: 1,
    // autocannon ends a run at its next sample tick: at the default 1 s, every round would
    // last a whole number of seconds (10,000 requests in 1.3 s would count as 2 s).
    sampleInt: 10,
    headers,
    body,
  });
  if (result.non2xx > 0 || result.errors > 0 || result.timeouts > 0) {
    // autocannon keeps no bodies: send the same request once more so the failure says why.
    const sample = await fetch(url, { method: "POST", headers, body });
    throw new Error(
      `${path}: ${result.non2xx} non-2xx answers, ${result.errors} errors, ${result.timeouts} timeouts; the same request now answers ${sample.status}: ${(await sample.text()).slice(0, 500)}`,
    );
  }
  // The load generator's own clock, started once its thread is up: timing the call from here
  // would add the thread's start-up (~1 s), which flattens every ratio towards 1.
  const seconds = (result.finish.getTime() - result.start.getTime()) / 1000;
  await settle();
  return {
    perSecond: Math.round(result.requests.total / seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    workerdCpuUs: Math.round(((cpuSecondsOf(target.pid) - cpuBefore) * 1e6) / result.requests.total),
  };
}

/** Waits until Postgres holds `expected` checks of the tenant (the outbox has drained). */
async function waitForDelivery(db: Database, tenantId: string, expected: number): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const delivered = await withTenant(db, tenantId, async (tx) =>
      Number(((await tx.execute(sql`SELECT count(*) AS n FROM checks`)).rows[0] as { n: string }).n),
    );
    if (delivered >= expected) return;
    await new Promise((wait) => setTimeout(wait, 100));
  }
  throw new Error(`the outbox did not deliver ${expected} checks to Postgres within a minute`);
}

/** One of the performance targets (docs/performance.md): a measure of this run against its goal. */
interface Headline {
  measure: string;
  value: number;
  target: string;
  met: boolean;
}

/** The four measures the performance issue set, from the median rounds of this run. */
function headline(r: Record<Path, RoundResult>): Headline[] {
  const atLeast = (measure: string, value: number, goal: number): Headline => ({
    measure,
    value,
    target: `≥ ${goal}`,
    met: value >= goal,
  });
  const atMost = (measure: string, value: number, goal: number): Headline => ({
    measure,
    value,
    target: `≤ ${goal}`,
    met: value <= goal,
  });
  const round3 = (n: number) => Number(n.toFixed(3));
  return [
    atLeast(
      "unmetered check ÷ bare route answering the same bytes (throughput)",
      round3(r.unmetered.perSecond / r.verdict.perSecond),
      0.75,
    ),
    atLeast(
      "metered check ÷ unmetered check (throughput)",
      round3(r.metered.perSecond / r.unmetered.perSecond),
      0.5,
    ),
    atMost("metered p99 ÷ check-sized bare route p99", round3(r.metered.p99 / Math.max(r.verdict.p99, 1)), 3),
    atMost(
      "tenant object CPU per metered check, µs (metered − RPC-only)",
      r.metered.workerdCpuUs - r.rpc.workerdCpuUs,
      120,
    ),
  ];
}

function printHeadline(rows: Headline[]): void {
  const width = Math.max(...rows.map((row) => row.measure.length));
  console.log("\nHeadline (median rounds of this run):");
  for (const row of rows) {
    console.log(
      `  ${row.measure.padEnd(width)}  ${String(row.value).padStart(8)}  target ${row.target.padEnd(6)}  ${row.met ? "met" : "NOT MET"}`,
    );
  }
  console.log("");
}

/** The round with the median throughput (its latencies travel with it). */
const medianRound = (rounds: RoundResult[]) =>
  [...rounds].sort((a, b) => a.perSecond - b.perSecond)[Math.floor(rounds.length / 2)] as RoundResult;

async function main() {
  const database = await startLocalDatabase({ databaseUrl: process.env.DATABASE_URL });
  const ownerUrl = database.ownerUrl;
  const owner = await openNodeDatabase(ownerUrl);
  const { apiKey, tenantId } = await createTenant(owner.db, {
    name: "Bench Kitchen Co",
    mode: "test",
    actor: "bench",
    billing: { plan: "enterprise", states: [] },
  });

  // The tenant object's SQLite lives in memory where the machine has a tmpfs: the local
  // runtime syncs every commit to a file, and a virtual disk's fsync (not Prep's code) would
  // otherwise set the metered pace. BENCH_STATE_DIR chooses another place (e.g. a disk).
  const stateRoot = process.env.BENCH_STATE_DIR ?? (existsSync("/dev/shm") ? "/dev/shm" : tmpdir());
  const state = mkdtempSync(join(stateRoot, "prep-bench-http-"));
  // workerd's SQLite keeps its temporary files (statement journals) in TMPDIR: the same place.
  process.env.TMPDIR = state;
  const worker = await startWorkerd(
    state,
    {
      DATABASE_URL: database.workerUrl,
      DB_WS_PROXY: database.wsProxy,
    },
    PROFILE_PATH !== undefined,
  );
  const base = worker.url;
  try {
    const paths: Path[] = ["bare", "verdict", "unmetered", "rpc", "metered", "held"];
    let meteredSoFar = 0;
    const hold = (held: boolean) =>
      fetch(`${base}/v1/bench/hold`, { method: "POST", body: JSON.stringify({ tenantId, held }) });
    const run = async (path: Path, requests: number) => {
      if (path !== "metered" && path !== "held") return load(worker, apiKey.key, path, requests);
      meteredSoFar += requests;
      const expected = meteredSoFar;
      // "held": the same metered checks, the outbox's flush kept off the object's thread until
      // the round ends — what the flush adds to the metered tail.
      if (path === "held") await hold(true);
      return load(worker, apiKey.key, path, requests, async () => {
        if (path === "held") await hold(false);
        await waitForDelivery(owner.db, tenantId, expected);
      });
    };
    for (const path of paths) await run(path, WARMUP);
    if (PROFILE_PATH) {
      if (!paths.includes(PROFILE_PATH)) throw new Error(`BENCH_PROFILE must be one of ${paths.join(", ")}`);
      const interval = Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 50);
      const profile = await profileWhile(worker.inspectorUrl as string, interval, async () => {
        await run(PROFILE_PATH, REQUESTS);
      });
      const file = join(PROFILE_DIR, `prep-${PROFILE_PATH}-${Date.now()}.cpuprofile`);
      saveProfile(profile, file);
      // The bundle beside it: the profile's line numbers point into it.
      copyFileSync(worker.bundle, file.replace(/\.cpuprofile$/, ".worker.js"));
      printProfileSummary(PROFILE_PATH, summariseProfile(profile, worker.bundle, REQUESTS), file);
      return;
    }
    const rounds: Record<Path, RoundResult[]> = {
      bare: [],
      verdict: [],
      unmetered: [],
      rpc: [],
      metered: [],
      held: [],
    };
    // Alternate the paths so drift in the machine's state hits all alike.
    for (let round = 0; round < ROUNDS; round++) {
      for (const path of paths) rounds[path].push(await run(path, REQUESTS));
    }
    const [bare, verdict, unmetered, rpc, metered, held] = paths.map((path) => medianRound(rounds[path])) as [
      RoundResult,
      RoundResult,
      RoundResult,
      RoundResult,
      RoundResult,
      RoundResult,
    ];
    const medians: Record<Path, RoundResult> = { bare, verdict, unmetered, rpc, metered, held };
    const targets = headline(medians);
    printHeadline(targets);
    const usage = (await (
      await fetch(`${base}/v1/usage`, { headers: { authorization: `Bearer ${apiKey.key}` } })
    ).json()) as { total: number };
    // Only metered checks count: the warm-ups and every round of the metered and held paths.
    const expectedTotal = 2 * WARMUP + 2 * ROUNDS * REQUESTS;
    const ratio = (a: RoundResult, b: RoundResult) => Number((a.perSecond / b.perSecond).toFixed(3));
    const cpuRatio = (a: RoundResult, b: RoundResult) => Number((b.workerdCpuUs / a.workerdCpuUs).toFixed(3));
    console.log(
      JSON.stringify(
        {
          machine: `${cpus()[0]?.model ?? "unknown CPU"} ×${cpus().length}, Node ${process.version}, load ${loadavg()
            .map((l) => l.toFixed(1))
            .join(" ")}`,
          database: database.kind,
          tenantId,
          requestsPerRound: REQUESTS,
          rounds: ROUNDS,
          concurrency: CONCURRENCY,
          headline: targets,
          median: medians,
          ratios: {
            checksVsBareRoute: ratio(metered, bare),
            verdictSizedBareRouteVsBareRoute: ratio(verdict, bare),
            unmeteredChecksVsBareRoute: ratio(unmetered, bare),
            rpcOnlyChecksVsBareRoute: ratio(rpc, bare),
            meteredVsUnmetered: ratio(metered, unmetered),
          },
          // The same comparisons by workerd CPU per request (bare's ÷ the path's): what the
          // throughput ratios would be if workerd had the machine to itself.
          cpuRatios: {
            checksVsBareRoute: cpuRatio(metered, bare),
            verdictSizedBareRouteVsBareRoute: cpuRatio(verdict, bare),
            unmeteredChecksVsBareRoute: cpuRatio(unmetered, bare),
            rpcOnlyChecksVsBareRoute: cpuRatio(rpc, bare),
          },
          allRounds: rounds,
          usageTotal: usage.total,
          usageExact: usage.total === expectedTotal,
        },
        null,
        2,
      ),
    );
  } finally {
    await worker.stop();
    await owner.close();
    rmSync(state, { recursive: true, force: true });
    await database.stop();
  }
}

await main();
