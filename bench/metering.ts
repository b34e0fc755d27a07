// Benchmark (not a test): POST /v1/checks per second for one tenant with metering (the
// TenantObject RPC: ledger, idempotency, counters, outbox flushed to Postgres) against the
// same endpoint with the RPC replaced by an echo. Real HTTP over loopback to `wrangler dev`
// (workerd) in its own process — in-process unstable_dev shares Node's event loop with the
// load generator and caps out near 300 requests/s — a bounded number of requests, one run,
// one ratio.
//
// Run: npx tsx bench/metering.ts   (DATABASE_URL=postgres://… to use a running PostgreSQL;
// else embedded PGlite). Knobs: BENCH_REQUESTS (per round, default 3000), BENCH_CONCURRENCY
// (default 32), BENCH_ROUNDS (default 3; the median round is reported).
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { cpus, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { type EmbeddedPostgres, startEmbeddedPostgres } from "../db/local/embedded";
import { openNodeDatabase } from "../db/local/node-database";
import { prepareDatabase, workerDatabaseUrl } from "../db/local/prepare";
import { startWsBridge } from "../db/local/ws-bridge";
import { createTenant } from "../db/tenants";
import { sfRestaurant } from "../test/fixtures";

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 3000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 32);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARMUP = 300;
const ROOT = resolve(import.meta.dirname, "..");

async function load(url: string, key: string, metered: boolean, requests: number): Promise<number> {
  const body = JSON.stringify({ facility: sfRestaurant() });
  const headers = {
    authorization: `Bearer ${key}`,
    "content-type": "application/json",
    ...(metered ? {} : { "x-bench-unmetered": "1" }),
  };
  let sent = 0;
  const failures = new Map<number, number>();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (sent < requests) {
        sent++;
        const response = await fetch(url, { method: "POST", headers, body });
        await response.arrayBuffer();
        if (response.status !== 200) failures.set(response.status, (failures.get(response.status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  if (failures.size > 0) throw new Error(`non-200 answers: ${JSON.stringify(Object.fromEntries(failures))}`);
  return requests / seconds;
}

function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
    server.on("error", reject);
  });
}

async function waitUntilServing(base: string): Promise<void> {
  for (let attempt = 0; attempt < 120; attempt++) {
    try {
      await (await fetch(`${base}/v1/me`)).arrayBuffer();
      return;
    } catch {
      await new Promise((wait) => setTimeout(wait, 500));
    }
  }
  throw new Error(`wrangler dev did not answer on ${base} within a minute`);
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main() {
  let embedded: EmbeddedPostgres | undefined;
  let ownerUrl = process.env.DATABASE_URL;
  if (!ownerUrl) {
    embedded = await startEmbeddedPostgres({});
    ownerUrl = embedded.url;
  }
  await prepareDatabase(ownerUrl);
  const target = new URL(ownerUrl);
  const bridge = await startWsBridge({
    target: { host: target.hostname, port: Number(target.port || 5432) },
  });
  const owner = await openNodeDatabase(ownerUrl);
  const { apiKey, tenantId } = await createTenant(owner.db, {
    name: "Bench Kitchen Co",
    mode: "test",
    actor: "bench",
  });
  await owner.close();

  const port = await freePort();
  const state = mkdtempSync(join(tmpdir(), "prep-bench-"));
  const worker = spawn(
    resolve(ROOT, "node_modules/.bin/wrangler"),
    [
      "dev",
      "bench/metering-worker.ts",
      "--config",
      "wrangler.toml",
      "--ip",
      "127.0.0.1",
      "--port",
      String(port),
      "--persist-to",
      state,
      "--var",
      `DATABASE_URL:${workerDatabaseUrl(ownerUrl)}`,
      "--var",
      `DB_WS_PROXY:${bridge.proxy}`,
      "--log-level",
      "error",
    ],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitUntilServing(base);
  const checks = `${base}/v1/checks`;
  try {
    await load(checks, apiKey.key, false, WARMUP);
    await load(checks, apiKey.key, true, WARMUP);
    const rates = { metered: [] as number[], unmetered: [] as number[] };
    // Alternate the two so drift in the machine's state hits both alike.
    for (let round = 0; round < ROUNDS; round++) {
      rates.unmetered.push(await load(checks, apiKey.key, false, REQUESTS));
      rates.metered.push(await load(checks, apiKey.key, true, REQUESTS));
    }
    const [withMetering, without] = [median(rates.metered), median(rates.unmetered)];
    const usage = (await (
      await fetch(`${base}/v1/usage`, { headers: { authorization: `Bearer ${apiKey.key}` } })
    ).json()) as {
      total: number;
    };
    // Only metered checks count: the warm-up and every metered round.
    const expectedTotal = WARMUP + ROUNDS * REQUESTS;
    console.log(
      JSON.stringify(
        {
          machine: `${cpus()[0]?.model ?? "unknown CPU"} ×${cpus().length}, Node ${process.version}`,
          database: embedded ? "embedded PGlite" : "PostgreSQL",
          tenantId,
          requestsPerRound: REQUESTS,
          rounds: ROUNDS,
          concurrency: CONCURRENCY,
          checksPerSecond: { withMetering: Math.round(withMetering), withoutMetering: Math.round(without) },
          ratio: Number((withMetering / without).toFixed(3)),
          rounds_checksPerSecond: rates,
          usageTotal: usage.total,
          usageExact: usage.total === expectedTotal,
        },
        null,
        2,
      ),
    );
  } finally {
    worker.kill("SIGTERM");
    rmSync(state, { recursive: true, force: true });
    await bridge.close();
    await embedded?.stop();
  }
}

await main();
