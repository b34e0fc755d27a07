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
//   run with no outbox flush sharing the object's thread (bench/http.ts's "held" path).
// Every path bypasses the per-key rate limit, which would otherwise cap the run.
import { Hono } from "hono";
import type { RecordCheckInput, RecordCheckOutcome } from "../durable-objects/contract";
import { TenantObject as PrepTenantObject } from "../durable-objects/tenant-object";
import { createApp } from "../workers/app";
import type { Env } from "../workers/env";

/** The real tenant object with bench-only methods (exported under the name wrangler.toml binds). */
export class TenantObject extends PrepTenantObject {
  /** While true, the alarm (the outbox's flush to Postgres) waits: the "held" path's rounds. */
  private flushesHeld = false;

  async recordNothing(_input: RecordCheckInput): Promise<RecordCheckOutcome> {
    return { kind: "recorded" };
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
const rpcOnlyTenant = (namespace: DurableObjectNamespace<TenantObject>) => ({
  idFromName: (name: string) => namespace.idFromName(name),
  get: (id: DurableObjectId) => {
    const stub = namespace.get(id);
    return { recordCheck: (input: RecordCheckInput) => stub.recordNothing(input) };
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
