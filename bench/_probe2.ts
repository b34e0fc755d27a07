import { resolve } from "node:path";
import { execSync } from "node:child_process";
import { unstable_dev } from "wrangler";
const worker = await unstable_dev(resolve("/work/main", "bench/metering-worker.ts"), { config: "/work/main/wrangler.toml", ip: "127.0.0.1", port: 0, logLevel: "error", persist: false, vars: { DATABASE_URL: "postgres://x@127.0.0.1:1/x", DB_WS_PROXY: "127.0.0.1:1/" }, experimental: { disableExperimentalWarning: true } });
const base = `http://${worker.address}:${worker.port}`;
console.log(execSync(`for i in 1 2 3 4 5; do curl -s -o /dev/null -w "%{time_total} %{http_code}\\n" ${base}/v1/nothing; done`).toString());
const t = performance.now(); for (let i = 0; i < 50; i++) await (await worker.fetch("/v1/nothing")).arrayBuffer(); console.log("worker.fetch", (performance.now() - t) / 50, "ms");
await worker.stop();
