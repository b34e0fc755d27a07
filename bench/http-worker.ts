// The Worker under test for bench/http.ts. Five paths, one workerd process:
// - `POST /v1/bench/echo` (under /v1 so the Worker, not static assets, answers it): a bare Hono
//   app that parses the JSON body and echoes it — the baseline a check endpoint is compared with;
// - `POST /v1/bench/verdict`: the same bare app, answering with the exact text of a real check
//   response (captured once) instead of the echo — what answering 10 kB costs with no work;
// - `POST /v1/checks`: Prep's real app and TenantObject (metered);
// - the same with `x-bench-path: unmetered`: the tenant object replaced by an echo in the
//   Worker, so the two differ only by metering (the RPC, ledger, idempotency, counters, outbox);
// - the same with `x-bench-path: rpc`: the real object's binding, but a method that does
//   nothing, which prices the RPC itself apart from the object's work;
// - `POST /v1/bench/hold`: holds (or releases) a tenant object's alarm, so a metered round can
//   run with no outbox flush sharing the object's thread (bench/http.ts's "held" path);
// - `POST /v1/bench/object`: a batch of RPCs to a tenant object, each doing a stage of the
//   metered check's work (bench/object.ts, which isolates the object's cost per step), and
//   `POST /v1/bench/delivered`: how many checks a flush stage's object has delivered.
// Every path bypasses the per-key rate limit, which would otherwise cap the run.
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { withTenant } from "../db/client";
import { newId } from "../db/ids";
import type { RecordCheckInput, RecordCheckOutcome } from "../durable-objects/contract";
import { type CheckDelivery, jsonArrayOf } from "../durable-objects/outbox";
import { TenantObject as PrepTenantObject } from "../durable-objects/tenant-object";
import { createApp } from "../workers/app";
import type { Env } from "../workers/env";
import { TenantMeters } from "../workers/services/tenant-meters";
import { type FlushStage, isFlushStage, type Stage } from "./object-stages";

/** The real tenant object with bench-only methods (exported under the name wrangler.toml binds). */
export class TenantObject extends PrepTenantObject {
  /** While true, the alarm (the outbox's flush to Postgres) waits: the "held" path's rounds. */
  private flushesHeld = false;
  /** Checks the flush stages' deliveries took (they store nothing to count them by). */
  private delivered = 0;
  private readonly deliveries: Record<FlushStage, CheckDelivery> = {
    drained: async (_db, _tenantId, checks) => {
      this.delivered += checks.length;
    },
    framed: async (_db, _tenantId, checks) => {
      jsonArrayOf(checks);
      this.delivered += checks.length;
    },
    connected: (db, tenantId, checks) =>
      withTenant(db, tenantId, async (tx) => {
        await tx.execute(sql`SELECT 1`);
        this.delivered += checks.length;
      }),
    sent: (db, tenantId, checks) =>
      withTenant(db, tenantId, async (tx) => {
        await tx.execute(sql`SELECT octet_length(${jsonArrayOf(checks)}::bytea)`);
        this.delivered += checks.length;
      }),
  };

  async recordNothing(_input: RecordCheckInput): Promise<RecordCheckOutcome> {
    return { kind: "recorded" };
  }

  /** One stage of a recording (STAGES); the steps are the ledger's own, in `record`'s order. */
  async recordStaged(input: RecordCheckInput, stage: Stage): Promise<RecordCheckOutcome> {
    if (isFlushStage(stage)) this.deliverChecks = this.deliveries[stage];
    if (stage === "record" || stage === "metered" || isFlushStage(stage)) return this.recordCheck(input);
    if (stage === "rpc" || stage === "none") return { kind: "recorded" };
    const { check } = input;
    const now = Date.now();
    const packed = this.ledger.pack(check.utf8);
    if (stage === "deflate") return { kind: "recorded" };
    this.ctx.storage.transactionSync(() => {
      const size = this.ledger.insertRow(check.id, now, null, packed);
      if (stage === "row") return;
      this.ledger.addBytes(size);
      if (stage === "bytes") return;
      this.ledger.countCheck(check.state, now);
      if (stage === "hourly") return;
      this.ledger.enqueue(check.id, now);
    });
    return { kind: "recorded" };
  }

  async deliveredByFlushStage(): Promise<number> {
    return this.delivered;
  }

  async holdFlushes(held: boolean): Promise<void> {
    this.flushesHeld = held;
  }

  override async alarm(): Promise<void> {
    if (this.flushesHeld) await this.ctx.storage.setAlarm(Date.now() + 100);
    else await super.alarm();
  }
}

const app = createApp();
/** One real check response's text, captured on the verdict route's first request. */
let checkResponseText: string | undefined;
const bare = new Hono()
  .post("/v1/bench/echo", async (c) => c.json(await c.req.json()))
  .post("/v1/bench/verdict", async (c) => {
    await c.req.json();
    return c.body(checkResponseText ?? "", 200, { "content-type": "application/json" });
  });
const unlimited = { limit: async () => ({ success: true }) };
const echoTenant = {
  idFromName: (name: string) => name,
  get: () => ({
    recordCheck: async (_input: RecordCheckInput): Promise<RecordCheckOutcome> => ({ kind: "recorded" }),
  }),
};
/**
 * The unmetered path replaces the tenant's meters, not only its object: what `TenantMeters`
 * does before the RPC (the shard's stub, the check's UTF-8 encoding) is metering's cost.
 */
const echoMeters = {
  record: async (): Promise<RecordCheckOutcome> => ({ kind: "recorded" }),
} as unknown as TenantMeters;
const metersOf = TenantMeters.of;
TenantMeters.of = (env, tenantId) =>
  env.TENANT === (echoTenant as unknown) ? echoMeters : metersOf(env, tenantId);
/** The last check an RPC-only request sent (bench/object.ts's record, captured once). */
let capturedCheck: RecordCheckInput["check"] | undefined;
const rpcOnlyTenant = (namespace: DurableObjectNamespace<TenantObject>) => ({
  idFromName: (name: string) => namespace.idFromName(name),
  get: (id: DurableObjectId) => {
    const stub = namespace.get(id);
    return {
      recordCheck: (input: RecordCheckInput) => {
        capturedCheck = input.check;
        return stub.recordNothing(input);
      },
    };
  },
});

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext) {
    // A slice, not new URL(): the wrapper should add as little as it can to every path.
    const pathname = request.url.slice(request.url.indexOf("/", "https://".length));
    if (pathname === "/v1/bench/verdict" && checkResponseText === undefined) {
      const check = new Request(request.url.replace(pathname, "/v1/checks"), {
        method: "POST",
        headers: request.headers,
        body: await request.clone().text(),
      });
      const answer = await app.fetch(check, benchEnvFor(env, echoTenant), ctx);
      if (answer.status !== 200) return answer;
      checkResponseText = await answer.text();
    }
    if (pathname === "/v1/bench/hold") {
      const { tenantId, held } = (await request.json()) as { tenantId: string; held: boolean };
      const objects = env.TENANT as unknown as DurableObjectNamespace<TenantObject>;
      await objects.get(objects.idFromName(tenantId)).holdFlushes(held);
      return new Response(null, { status: 204 });
    }
    if (pathname === "/v1/bench/object") return objectBatch(request, env);
    if (pathname === "/v1/bench/delivered") {
      const { name } = (await request.json()) as { name: string };
      const objects = env.TENANT as unknown as DurableObjectNamespace<TenantObject>;
      return Response.json(await objects.get(objects.idFromName(name)).deliveredByFlushStage());
    }
    if (pathname.startsWith("/v1/bench/")) return bare.fetch(request);
    const path = request.headers.get("x-bench-path");
    const namespace = env.TENANT as unknown as DurableObjectNamespace<TenantObject>;
    const tenant = path === "unmetered" ? echoTenant : path === "rpc" ? rpcOnlyTenant(namespace) : namespace;
    return app.fetch(request, benchEnvFor(env, tenant), ctx);
  },
} satisfies ExportedHandler<Env>;

function benchEnvFor(env: Env, tenant: unknown): Env {
  return { ...env, API_RATE_LIMIT: unlimited, TENANT: tenant } as unknown as Env;
}

const UTF8 = new TextEncoder();
let capturedJson: string | undefined;

/**
 * `count` RPCs at once to the object `name`, each with a check of its own id (the captured
 * check's JSON with its id replaced, encoded as `TenantMeters.record` does), each doing
 * `stage`. The stub is made per check, as `TenantMeters.record` makes it.
 */
async function objectBatch(request: Request, env: Env): Promise<Response> {
  const { name, stage, count } = (await request.json()) as { name: string; stage: Stage; count: number };
  if (capturedCheck === undefined) return new Response("send one RPC-only check first", { status: 409 });
  const template = capturedCheck;
  capturedJson ??= new TextDecoder().decode(template.utf8);
  const objects = env.TENANT as unknown as DurableObjectNamespace<TenantObject>;
  const calls: Promise<RecordCheckOutcome>[] = [];
  for (let i = 0; i < count; i++) {
    const id = newId("chk");
    const check = {
      id,
      tenantId: template.tenantId,
      state: template.state,
      utf8: UTF8.encode((capturedJson as string).replaceAll(template.id, id)),
    };
    if (stage === "none") continue;
    calls.push(objects.get(objects.idFromName(name)).recordStaged({ check }, stage));
  }
  const outcomes = await Promise.all(calls);
  const failed = outcomes.filter((outcome) => outcome.kind !== "recorded").length;
  return failed > 0
    ? new Response(`${failed} not recorded`, { status: 500 })
    : new Response(null, { status: 204 });
}
