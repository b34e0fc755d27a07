// The Worker under test for bench/metering.ts: Prep's real app and TenantObject, plus the
// same app, for requests marked `x-bench-unmetered: 1`, with the tenant object replaced by an
// echo, so the two differ only by the metering RPC (ledger, idempotency, counters, outbox).
// Both paths bypass the per-key rate limit, which would otherwise cap the run at 300/s.
import type { RecordCheckInput } from "../durable-objects/contract";
import { createApp } from "../workers/app";
import type { Env } from "../workers/env";

export { TenantObject } from "../durable-objects/tenant-object";

const app = createApp();
const unlimited = { limit: async () => ({ success: true }) };
const echoTenant = {
  idFromName: (name: string) => name,
  get: () => ({
    recordCheck: async (input: RecordCheckInput) => ({ kind: "recorded", record: input.record }),
  }),
};

export default {
  fetch(request: Request, env: Env, ctx: ExecutionContext) {
    const metered = request.headers.get("x-bench-unmetered") !== "1";
    const benchEnv = {
      ...env,
      API_RATE_LIMIT: unlimited,
      ...(metered ? {} : { TENANT: echoTenant }),
    } as unknown as Env;
    return app.fetch(request, benchEnv, ctx);
  },
};
