// The Worker under test for bench/http.ts. Four paths, one workerd process:
// - `POST /v1/bench/echo` (under /v1 so the Worker, not static assets, answers it): a bare Hono
//   app that parses the JSON body and echoes it — the baseline a check endpoint is compared with;
// - `POST /v1/checks`: Prep's real app and TenantObject (metered);
// - the same with `x-bench-path: unmetered`: the tenant object replaced by an echo in the
//   Worker, so the two differ only by metering (the RPC, ledger, idempotency, counters, outbox);
// - the same with `x-bench-path: rpc`: the real object's binding, but a method that does
//   nothing, which prices the RPC itself apart from the object's work.
// Every path bypasses the per-key rate limit, which would otherwise cap the run.
import { Hono } from "hono";
import type { RecordCheckInput, RecordCheckOutcome } from "../durable-objects/contract";
import { TenantObject as PrepTenantObject } from "../durable-objects/tenant-object";
import { createApp } from "../workers/app";
import type { Env } from "../workers/env";

/** The real tenant object with one bench-only method (exported under the name wrangler.toml binds). */
export class TenantObject extends PrepTenantObject {
  async recordNothing(_input: RecordCheckInput): Promise<RecordCheckOutcome> {
    return { kind: "recorded" };
  }
}

const app = createApp();
const bare = new Hono().post("/v1/bench/echo", async (c) => c.json(await c.req.json()));
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
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    if (new URL(request.url).pathname === "/v1/bench/echo") return bare.fetch(request);
    const path = request.headers.get("x-bench-path");
    const namespace = env.TENANT as unknown as DurableObjectNamespace<TenantObject>;
    const tenant = path === "unmetered" ? echoTenant : path === "rpc" ? rpcOnlyTenant(namespace) : namespace;
    const benchEnv = { ...env, API_RATE_LIMIT: unlimited, TENANT: tenant } as unknown as Env;
    return app.fetch(request, benchEnv, ctx);
  },
} satisfies ExportedHandler<Env>;
