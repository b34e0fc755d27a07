// Benchmark (not a test): drift to delivery. How long from a change that alters a facility's
// status (PATCH /v1/facilities/{id} answered) to its signed `facility.status_changed` webhook
// arriving at a receiver — the fixed interface promises 60 s. Real workerd (Prep's app and
// tenant object, bench/workerd.ts), real Postgres, a Node receiver on loopback that verifies
// each delivery's Standard Webhooks signature with the `standardwebhooks` package.
//
// Run: npx tsx bench/notify.ts   (DATABASE_URL=postgres://… to use a running PostgreSQL; else
// embedded PGlite). Knob: BENCH_CHANGES (status changes measured, default 40).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Webhook } from "standardwebhooks";
import { openNodeDatabase } from "../db/local/node-database";
import { startLocalDatabase } from "../db/local/stack";
import { createTenant } from "../db/tenants";
import { cardFor, sfRestaurant } from "../test/fixtures";
import { startWorkerd } from "./workerd";

const CHANGES = Number(process.env.BENCH_CHANGES ?? 40);

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;

async function main(): Promise<void> {
  const database = await startLocalDatabase({ databaseUrl: process.env.DATABASE_URL });
  const owner = await openNodeDatabase(database.ownerUrl);
  const { apiKey } = await createTenant(owner.db, {
    name: "Bench Notify Co",
    mode: "test",
    actor: "bench",
    billing: { plan: "enterprise", states: [] },
  });
  const stateRoot = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();
  const state = mkdtempSync(join(stateRoot, "prep-bench-notify-"));

  // The receiver: each arrival's time by status, after checking its signature.
  let secret = "";
  const arrivals = new Map<string, number>();
  let badSignatures = 0;
  const receiver = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const at = performance.now();
    const body = Buffer.concat(chunks).toString("utf8");
    try {
      const payload = new Webhook(secret).verify(body, request.headers as Record<string, string>) as {
        data: { status: string; previousStatus: string };
      };
      arrivals.set(`${payload.data.previousStatus}->${payload.data.status}#${arrivals.size}`, at);
    } catch {
      badSignatures++;
    }
    response.writeHead(200).end();
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const address = receiver.address() as { port: number };

  const worker = await startWorkerd(state, {
    DATABASE_URL: database.workerUrl,
    DB_WS_PROXY: database.wsProxy,
    PREP_ENV: "development",
  });
  const api = (path: string, init: { method?: string; json?: unknown } = {}) =>
    fetch(`${worker.url}${path}`, {
      method: init.method ?? "GET",
      headers: { authorization: `Bearer ${apiKey.key}`, "content-type": "application/json" },
      ...(init.json === undefined ? {} : { body: JSON.stringify(init.json) }),
    });
  try {
    const endpoint = (await (
      await api("/v1/webhooks", {
        method: "POST",
        json: { url: `http://127.0.0.1:${address.port}/hook`, events: ["facility.status_changed"] },
      })
    ).json()) as { id: string; secret: string };
    secret = endpoint.secret;
    const created = (await (
      await api("/v1/facilities", { method: "POST", json: sfRestaurant() })
    ).json()) as {
      id: string;
    };
    const staff = sfRestaurant().staff as Record<string, unknown>[];
    const trained = [staff[0], { ...staff[1], credentials: [cardFor("2026-09-10")] }];
    const latencies: number[] = [];
    for (let i = 0; i < CHANGES; i++) {
      const before = arrivals.size;
      const patched = await api(`/v1/facilities/${created.id}`, {
        method: "PATCH",
        json: { staff: i % 2 === 0 ? trained : staff },
      });
      const answeredAt = performance.now();
      if (patched.status !== 200)
        throw new Error(`PATCH answered ${patched.status}: ${await patched.text()}`);
      const deadline = Date.now() + 60_000;
      while (arrivals.size === before) {
        if (Date.now() > deadline) throw new Error(`change ${i}: no delivery within 60 s`);
        await new Promise((resolve) => setTimeout(resolve, 1));
      }
      latencies.push(([...arrivals.values()].at(-1) as number) - answeredAt);
    }
    latencies.sort((a, b) => a - b);
    const ms = (v: number) => `${Math.max(0, v).toFixed(1)} ms`;
    console.log(
      `drift → webhook delivery over ${CHANGES} status changes: p50 ${ms(percentile(latencies, 50))}, p95 ${ms(
        percentile(latencies, 95),
      )}, max ${ms(latencies.at(-1) as number)} (target: 60 s) — ${(latencies.at(-1) as number) < 60_000 ? "met" : "NOT met"}; bad signatures: ${badSignatures}`,
    );
    console.log(
      "Measured from the PATCH's answer to the receiver holding the body; negative values (the webhook before the answer) count as 0.",
    );
  } finally {
    await worker.stop();
    receiver.close();
    await owner.close();
    await database.stop();
    rmSync(state, { recursive: true, force: true });
  }
}

await main();
