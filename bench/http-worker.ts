// The Worker under test for bench/http.ts. Three paths, one workerd process:
// - `POST /v1/bench/echo` (under /v1 so the Worker, not static assets, answers it): a bare Hono app that parses the JSON body and echoes it — the
//   baseline a check endpoint is compared with;
// - `POST /v1/checks`: Prep's real app and TenantObject (metered);
// - the same with `x-bench-unmetered: 1`: the tenant object replaced by an echo, so the two
//   differ only by the metering RPC (ledger, idempotency, counters, outbox).
// Every path bypasses the per-key rate limit, which would otherwise cap the run.
import { Hono } from "hono";
import type { RecordCheckInput } from "../durable-objects/contract";
import { createApp } from "../workers/app";
import type { Env } from "../workers/env";

export { TenantObject } from "../durable-objects/tenant-object";

const app = createApp();
const bare = new Hono().post("/v1/bench/echo", async (c) => c.json(await c.req.json()));
const unlimited = { limit: async () => ({ success: true }) };
const echoTenant = {
  idFromName: (name: string) => name,
  get: () => ({
    recordCheck: async (_input: RecordCheckInput) => ({ kind: "recorded" }),
  }),
};

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    if (new URL(request.url).pathname === "/v1/bench/echo") return bare.fetch(request);
    const metered = request.headers.get("x-bench-unmetered") !== "1";
    const benchEnv = {
      ...env,
      API_RATE_LIMIT: unlimited,
      ...(metered ? {} : { TENANT: echoTenant }),
    } as unknown as Env;
    return app.fetch(request, benchEnv, ctx);
  },
};
