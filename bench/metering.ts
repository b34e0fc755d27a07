// Benchmark (not a test): POST /v1/checks per second for one tenant with metering (the
// TenantObject RPC: ledger, idempotency, counters, outbox flushed to Postgres) against the
// same endpoint with the RPC replaced by an echo. Real HTTP over loopback to workerd
// (wrangler's unstable_dev), a bounded number of requests, one run, one ratio.
//
// Run: npx tsx bench/metering.ts   (DATABASE_URL=postgres://… to use a running PostgreSQL;
// else embedded PGlite). Knobs: BENCH_REQUESTS (per round, default 3000), BENCH_CONCURRENCY
// (default 32), BENCH_ROUNDS (default 3; the median round is reported).
import { cpus } from "node:os";
import { resolve } from "node:path";
import { unstable_dev } from "wrangler";
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

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

async function main() {
  let embedded: EmbeddedPostgres | undefined;
  let ownerUrl = process.env.DATABASE_URL;
  if (!ownerUrl) {
    embedded = await startEmbeddedPostgres({});
    ownerUrl = embedded.url;
  }
  await prepareDatabase(ownerUrl);
  const target = new URL(ownerUrl);
  const bridge = await startWsBridge({ target: { host: target.hostname, port: Number(target.port || 5432) } });
  const owner = await openNodeDatabase(ownerUrl);
  const { apiKey, tenantId } = await createTenant(owner.db, { name: "Bench Kitchen Co", mode: "test", actor: "bench" });
  await owner.close();

  const worker = await unstable_dev(resolve(ROOT, "bench/metering-worker.ts"), {
    config: resolve(ROOT, "wrangler.toml"),
    ip: "127.0.0.1",
    port: 0,
    logLevel: "error",
    vars: { DATABASE_URL: workerDatabaseUrl(ownerUrl), DB_WS_PROXY: bridge.proxy, PREP_ENV: "development" },
    experimental: { disableExperimentalWarning: true },
  });
  const base = `http://${worker.address}:${worker.port}`;
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
    const usage = (await (await fetch(`${base}/v1/usage`, { headers: { authorization: `Bearer ${apiKey.key}` } })).json()) as {
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
    await worker.stop();
    await bridge.close();
    await embedded?.stop();
  }
}

await main();
