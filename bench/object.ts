// Benchmark (not a test): what the tenant object costs per metered check, step by step.
// The bench Worker (bench/http-worker.ts) sends batches of RPCs to a tenant object, each doing
// one more step of `TenantObject.recordCheck` than the stage before (STAGES there: no RPC, a
// no-op RPC, + deflate, + the ledger row, + the byte counter, + the hourly meter, + the outbox
// row, the real recordCheck with its flush held; then with its flush running, delivering
// nowhere, framing the batch, opening the connection and transaction without the payload, and
// the real delivery to Postgres),
// through the real Ledger. Each stage has its own object, so no stage's rows or outbox weigh
// on another's. The stages are interleaved (the order rotates every round) so drift in the
// machine's load hits them alike; each round measures workerd's CPU time per check from /proc
// (user + system: the Worker's and the object's thread, plus SQLite), and the median round
// per stage is reported, with each step's increment and its ratio to the no-op RPC's cost.
//
// Run: DATABASE_URL=postgres://… npx tsx bench/object.ts
// Profile instead: BENCH_PROFILE=<stage> runs the warm-up and one round of that stage under
// workerd's V8 inspector and prints where its time went (bench/profile.ts).
// Knobs: BENCH_OBJECT_CHECKS (per stage and round, default 3000), BENCH_ROUNDS (default 5),
// BENCH_OBJECT_BATCH (RPCs per HTTP request, default 8), BENCH_CONCURRENCY (requests in
// flight, default 4: 32 RPCs in flight, as bench/http.ts's 32 connections).
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { type Database, withTenant } from "../db/client";
import { openNodeDatabase } from "../db/local/node-database";
import { startLocalDatabase } from "../db/local/stack";
import { createTenant } from "../db/tenants";
import { sfRestaurant } from "../test/fixtures";
import { STAGES as ALL_STAGES, isFlushStage, type Stage } from "./object-stages";
import { printProfileSummary, profileWhile, saveProfile, summariseProfile } from "./profile";
import { startWorkerd, type Workerd } from "./workerd";

const CHECKS = Number(process.env.BENCH_OBJECT_CHECKS ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const BATCH = Number(process.env.BENCH_OBJECT_BATCH ?? 8);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 4);
const WARMUP = 400;
const PROFILE_STAGE = process.env.BENCH_PROFILE as Stage | undefined;
/** BENCH_OBJECT_STAGES=rpc,record,…: run only these stages (steps then compare what is run). */
const ONLY = process.env.BENCH_OBJECT_STAGES?.split(",");
const STAGES: Stage[] = ALL_STAGES.filter((stage) => !ONLY || ONLY.includes(stage));
/** Steps measured against a stage other than the one listed above them. */
const STEP_FROM: Partial<Record<Stage, Stage>> = { connected: "drained", sent: "connected", metered: "sent" };
const LABELS: Record<Stage, string> = {
  none: "no RPC (the Worker's loop and the check's bytes)",
  rpc: "RPC to a method that does nothing",
  deflate: "+ deflate the record (Ledger.pack)",
  row: "+ ledger row insert, in a transaction",
  bytes: "+ byte counter (storage budget)",
  hourly: "+ hourly meter per state",
  outbox: "+ outbox row",
  record: "real recordCheck, flush held",
  drained: "+ flush delivering nowhere (read back, decode, delete, alarm)",
  framed: "+ framing each batch as the INSERT's JSON array",
  connected: "flush delivering nowhere + a connection and transaction per batch",
  sent: "+ the framed batch sent as a parameter Postgres only measures",
  metered: "real recordCheck + flush to Postgres: the INSERT instead",
};

const CLOCK_TICKS_PER_SECOND = 100;
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
  return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
}

async function post(url: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${url}: ${response.status} ${await response.text()}`);
  return response;
}

async function postgresChecks(db: Database, tenantId: string): Promise<number> {
  return withTenant(db, tenantId, async (tx) =>
    Number(((await tx.execute(sql`SELECT count(*) AS n FROM checks`)).rows[0] as { n: string }).n),
  );
}

/** Polls `count` every 50 ms until it reaches `expected`; throws after a minute, naming `what`. */
async function waitForCount(count: () => Promise<number>, expected: number, what: string): Promise<void> {
  let last = 0;
  for (let attempt = 0; attempt < 600; attempt++) {
    last = await count();
    if (last >= expected) return;
    await new Promise((wait) => setTimeout(wait, 50));
  }
  throw new Error(`${what} did not deliver ${expected} checks within a minute (${last} delivered)`);
}

async function flushStageDelivered(worker: Workerd, name: string): Promise<number> {
  return (await (await post(`${worker.url}/v1/bench/delivered`, { name })).json()) as number;
}

/** `checks` RPCs of `stage` to the object `name`: BATCH per request, CONCURRENCY requests in flight. */
async function drive(worker: Workerd, name: string, stage: Stage, checks: number): Promise<void> {
  let left = Math.ceil(checks / BATCH);
  const lane = async () => {
    while (left-- > 0) await post(`${worker.url}/v1/bench/object`, { name, stage, count: BATCH });
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, lane));
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function main() {
  const database = await startLocalDatabase({ databaseUrl: process.env.DATABASE_URL });
  const owner = await openNodeDatabase(database.ownerUrl);
  const { apiKey, tenantId } = await createTenant(owner.db, {
    name: "Bench Object Co",
    mode: "test",
    actor: "bench",
    billing: { plan: "enterprise", states: [] },
  });
  const stateRoot = process.env.BENCH_STATE_DIR ?? (existsSync("/dev/shm") ? "/dev/shm" : tmpdir());
  const state = mkdtempSync(join(stateRoot, "prep-bench-object-"));
  process.env.TMPDIR = state;
  const worker = await startWorkerd(
    state,
    { DATABASE_URL: database.workerUrl, DB_WS_PROXY: database.wsProxy },
    PROFILE_STAGE !== undefined,
  );
  try {
    // One real check through the RPC-only path: the bench Worker keeps the entry it sent.
    await post(
      `${worker.url}/v1/checks`,
      { facility: sfRestaurant() },
      { authorization: `Bearer ${apiKey.key}`, "x-bench-path": "rpc" },
    );
    const objectName = (stage: Stage) => `${tenantId}:bench:${stage}`;
    // Only the "record" object's flushes are held; the staged ones never arm an alarm.
    await post(`${worker.url}/v1/bench/hold`, { tenantId: objectName("record"), held: true });
    // workerd's CPU while nothing is sent (its own timers, the held object's alarm): the
    // metered stage's rounds last longer (they wait for the delivery), so this is its bias.
    const idleBefore = cpuSecondsOf(worker.pid);
    await new Promise((wait) => setTimeout(wait, 3000));
    const idleUsPerSecond = ((cpuSecondsOf(worker.pid) - idleBefore) * 1e6) / 3;
    const wallMs = Object.fromEntries(STAGES.map((stage) => [stage, [] as number[]])) as Record<
      Stage,
      number[]
    >;
    let delivered = 0;
    const round = async (stage: Stage, checks: number): Promise<number> => {
      // The flush stages count deliveries in memory, and workerd may have evicted the idle
      // object since its last round (a new instance counts from 0): count from here.
      const deliveredBefore = isFlushStage(stage) ? await flushStageDelivered(worker, objectName(stage)) : 0;
      const before = cpuSecondsOf(worker.pid);
      const started = performance.now();
      await drive(worker, objectName(stage), stage, checks);
      const sent = Math.ceil(checks / BATCH) * BATCH;
      if (stage === "metered") {
        delivered += sent;
        await waitForCount(() => postgresChecks(owner.db, tenantId), delivered, "the outbox");
      } else if (isFlushStage(stage)) {
        const name = objectName(stage);
        await waitForCount(() => flushStageDelivered(worker, name), deliveredBefore + sent, name);
      }
      const cpu = cpuSecondsOf(worker.pid) - before;
      if (checks === CHECKS) wallMs[stage].push(performance.now() - started);
      return (cpu * 1e6) / sent;
    };
    for (const stage of STAGES) await round(stage, WARMUP);
    if (PROFILE_STAGE) {
      if (!STAGES.includes(PROFILE_STAGE))
        throw new Error(`BENCH_PROFILE must be one of ${STAGES.join(", ")}`);
      const interval = Number(process.env.BENCH_PROFILE_INTERVAL_US ?? 50);
      const profile = await profileWhile(worker.inspectorUrl as string, interval, async () => {
        await round(PROFILE_STAGE, CHECKS);
      });
      const file = join(tmpdir(), `prep-object-${PROFILE_STAGE}-${Date.now()}.cpuprofile`);
      saveProfile(profile, file);
      printProfileSummary(PROFILE_STAGE, summariseProfile(profile, worker.bundle, CHECKS), file);
      return;
    }
    const rounds = Object.fromEntries(STAGES.map((stage) => [stage, [] as number[]])) as Record<
      Stage,
      number[]
    >;
    const loads: number[] = [];
    for (let r = 0; r < ROUNDS; r++) {
      // Rotate the order every round, so no stage always follows the same one.
      const order = STAGES.map((_, i) => STAGES[(i + r) % STAGES.length] as Stage);
      for (const stage of order) rounds[stage].push(await round(stage, CHECKS));
      loads.push(loadavg()[0] ?? 0);
      process.stderr.write(`round ${r + 1}/${ROUNDS} done (load ${loads.at(-1)?.toFixed(1)})\n`);
    }
    const med = Object.fromEntries(STAGES.map((stage) => [stage, median(rounds[stage])])) as Record<
      Stage,
      number
    >;
    /** `a − b` in µs, or "—" when BENCH_OBJECT_STAGES left either out. */
    const between = (a: Stage, b: Stage) => (a in med && b in med ? (med[a] - med[b]).toFixed(0) : "—");
    const rpcFloor = med.rpc - med.none;
    console.log(
      `\nworkerd CPU per check, median of ${ROUNDS} interleaved rounds × ${CHECKS} checks (µs; step = this stage − the one above, or the one named; ÷ RPC = step ÷ the no-op RPC's cost over no RPC):\n`,
    );
    console.log("| Stage | µs/check | step µs | step ÷ RPC | range of rounds µs |");
    console.log("| --- | ---: | ---: | ---: | ---: |");
    STAGES.forEach((stage, i) => {
      const from = STEP_FROM[stage];
      const prev = i === 0 ? undefined : from && STAGES.includes(from) ? from : STAGES[i - 1];
      const step = prev === undefined ? med[stage] : med[stage] - med[prev];
      const perRpc = Number.isFinite(rpcFloor) && i >= 2 ? (step / rpcFloor).toFixed(2) : "—";
      const xs = rounds[stage];
      console.log(
        `| ${LABELS[stage]}${prev !== undefined && prev !== STAGES[i - 1] ? ` (step from ${prev})` : ""} | ${med[stage].toFixed(0)} | ${prev === undefined ? "—" : step.toFixed(0)} | ${perRpc} | ${Math.min(...xs).toFixed(0)}–${Math.max(...xs).toFixed(0)} |`,
      );
    });
    console.log(
      `\nThe object's work per check (real recordCheck, flush held − no-op RPC): ${between("record", "rpc")} µs; with the flush: ${between("metered", "rpc")} µs; the RPC floor: ${between("rpc", "none")} µs. The flush: ${between("drained", "record")} µs in the object (framing: ${between("framed", "drained")}), connections and transactions ${between("connected", "drained")} µs, sending the batch ${between("sent", "connected")} µs, Postgres storing it ${between("metered", "sent")} µs; the delivery as a whole ${between("metered", "drained")} µs.`,
    );
    const idleShare = (stage: Stage) => (idleUsPerSecond * median(wallMs[stage])) / 1000 / CHECKS;
    console.log(
      `workerd idle: ${(idleUsPerSecond / 1000).toFixed(1)} ms of CPU per second; a round's idle share per check: ${STAGES.map((stage) => `${stage} ${idleShare(stage).toFixed(1)} µs (round ${median(wallMs[stage]).toFixed(0)} ms)`).join(", ")}.`,
    );
    console.log(
      JSON.stringify({
        machine: `${cpus()[0]?.model ?? "unknown CPU"} ×${cpus().length}, Node ${process.version}`,
        loadDuringRounds: loads.map((l) => Number(l.toFixed(1))),
        checksPerRound: CHECKS,
        rounds,
        delivered,
      }),
    );
  } finally {
    await worker.stop();
    await owner.close();
    rmSync(state, { recursive: true, force: true });
    await database.stop();
  }
}

await main();
